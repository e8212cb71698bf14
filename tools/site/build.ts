// The static course site, built from EXECUTED notebooks: an index of the lessons (title and
// one-line summary from notebook metadata `course`) and one page per lesson with its charts
// (tools/site/render.ts). By default it uses the SOLUTIONS (every chart and result is there;
// the student versions stop at their exercises). It reuses the executed copies that
// `npm run notebooks` writes to .cache/executed/ when their source is unchanged (sha256 in the
// .status.json beside them) and their run succeeded, and executes the missing, stale or failed ones first, through the same
// runner. The site works offline from its folder: plotly.js, KaTeX and the styles are copied
// into assets/. CLI: scripts/build-site.ts (npm run site).
import * as fs from "fs";
import * as path from "path";
import { plotlyMinPath } from "../../lib/view/chart/html";
import { cacheDir } from "../../lib/common/config";
import { readNotebook } from "../notebooks/format";
import { findJupyterPython, JUPYTER_MISSING_HELP } from "../notebooks/jupyter";
import { courseNotebooks, executedPath, needsRun, readRunStatus, runNotebooks } from "../notebooks/run";
import { LessonMeta, lessonMeta, renderIndexPage, renderLessonPage, SITE_CSS } from "./render";

export const COURSE_TITLE = "Camadas convolucionais e Dropout";

export interface SiteOptions {
  /** Executed notebooks to render as they are (skips selection and execution). */
  executed?: string[];
  /** Which course notebooks, when `executed` is not given (default "solutions"). */
  which?: "solutions" | "students";
  outDir?: string;
  /** Execute missing or stale notebooks (default true). */
  execute?: boolean;
  /** Execute every notebook again. */
  fresh?: boolean;
  jobs?: number;
  log?: (line: string) => void;
}

export interface SitePage extends LessonMeta { source: string; warning?: string }

export interface SiteResult { outDir: string; pages: SitePage[]; executedNow: number; seconds: number; renderSeconds: number }

/** Executed copies of the course notebooks, running the ones that are missing, stale or failed. */
async function executedCourse(opts: SiteOptions, log: (l: string) => void): Promise<{ files: string[]; executedNow: number }> {
  const sources = courseNotebooks(opts.which ?? "solutions");
  if (sources.length === 0) throw new Error(`no notebooks in ${opts.which === "students" ? "notebooks/" : "solutions/"}`);
  const outDir = cacheDir("executed");
  const stale = sources.filter((nb) => {
    const status = readRunStatus(executedPath(nb, outDir));
    return needsRun(nb, executedPath(nb, outDir), status, opts.fresh ?? false);
  });
  if (stale.length && opts.execute !== false) {
    if (!findJupyterPython()) throw new Error(JUPYTER_MISSING_HELP);
    log(`executing ${stale.length} notebook(s) (missing, changed or failed in their last run)...`);
    await runNotebooks(stale, { jobs: opts.jobs ?? 2, cellTimeoutSec: 600, totalTimeoutSec: 3600, outDir, log });
  } else if (stale.length) {
    log(`not executing (--no-execute): ${stale.map((s) => path.basename(s)).join(", ")} may be missing or stale`);
  }
  return { files: sources.map((nb) => executedPath(nb, outDir)).filter((f) => fs.existsSync(f)), executedNow: opts.execute === false ? 0 : stale.length };
}

function copyAssets(outDir: string): void {
  const assets = path.join(outDir, "assets");
  fs.mkdirSync(path.join(assets, "katex", "fonts"), { recursive: true });
  fs.copyFileSync(plotlyMinPath(), path.join(assets, "plotly.min.js"));
  fs.writeFileSync(path.join(assets, "site.css"), SITE_CSS);
  fs.copyFileSync(require.resolve("highlight.js/styles/github.css"), path.join(assets, "highlight.css"));
  const katexDist = path.dirname(require.resolve("katex/dist/katex.min.css"));
  fs.copyFileSync(path.join(katexDist, "katex.min.css"), path.join(assets, "katex", "katex.min.css"));
  // woff2 only: every browser that runs plotly.js reads it, and the CSS's other formats are fallbacks.
  for (const f of fs.readdirSync(path.join(katexDist, "fonts")).filter((n) => n.endsWith(".woff2"))) {
    fs.copyFileSync(path.join(katexDist, "fonts", f), path.join(assets, "katex", "fonts", f));
  }
}

/** Builds the site; returns its pages and how long it took. */
export async function buildSite(opts: SiteOptions = {}): Promise<SiteResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const started = Date.now();
  const outDir = path.resolve(opts.outDir ?? cacheDir("site"));
  const { files, executedNow } = opts.executed ? { files: opts.executed, executedNow: 0 } : await executedCourse(opts, log);
  const renderStarted = Date.now();
  const lessons = files.map((file) => {
    const nb = readNotebook(file);
    const status = readRunStatus(file);
    const meta = lessonMeta(nb, file);
    const warning = status && status.ok === false ? `Esta lição parou com um erro ao ser executada: ${status.failure ?? "veja o notebook"}` : undefined;
    return { nb, page: { ...meta, source: file, warning } as SitePage, status };
  }).sort((a, b) => a.page.order - b.page.order || a.page.id.localeCompare(b.page.id));
  const ids = new Set<string>();
  for (const l of lessons) {
    if (ids.has(l.page.id)) throw new Error(`two notebooks have the course id "${l.page.id}" (${l.page.source}): ids must be unique`);
    ids.add(l.page.id);
  }
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  copyAssets(outDir);
  const builtAt = new Date().toISOString().slice(0, 16).replace("T", " ");
  lessons.forEach((l, i) => {
    const when = l.status?.executedAt ? `executado em ${l.status.executedAt.slice(0, 16).replace("T", " ")}` : "executado";
    const html = renderLessonPage(l.nb, {
      meta: l.page, prev: lessons[i - 1]?.page, next: lessons[i + 1]?.page, courseTitle: COURSE_TITLE, warning: l.page.warning,
      footer: `${path.basename(l.page.source)}, ${when}; site gerado em ${builtAt} UTC.`,
    });
    fs.writeFileSync(path.join(outDir, l.page.file), html);
  });
  fs.writeFileSync(path.join(outDir, "index.html"), renderIndexPage(lessons.map((l) => l.page), COURSE_TITLE,
    "Redes convolucionais e dropout em TypeScript: cada lição é um notebook do curso já executado, com seus gráficos.",
    `Site gerado em ${builtAt} UTC a partir dos notebooks executados.`));
  const seconds = (Date.now() - started) / 1000, renderSeconds = (Date.now() - renderStarted) / 1000;
  log(`site: ${lessons.length} lesson page(s) + index in ${path.relative(process.cwd(), outDir) || "."}/ ` +
    `(${seconds.toFixed(1)} s total, ${renderSeconds.toFixed(1)} s rendering, ${executedNow} notebook(s) executed)`);
  return { outDir, pages: lessons.map((l) => l.page), executedNow, seconds, renderSeconds };
}
