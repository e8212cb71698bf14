// One executed notebook as one static HTML page of the course site: markdown with math
// (marked + KaTeX, rendered here, no MathJax from a CDN), TypeScript code highlighted
// (highlight.js), and the outputs as Jupyter stored them. The plotly.js loader output
// of the notebook is dropped: the page loads assets/plotly.min.js once instead.
import hljs from "highlight.js";
import katex from "katex";
import { Marked, Tokens } from "marked";
import { PLOTLY_LOADER_ATTR } from "../../lib/view/chart/html";
import { escapeHtml } from "../../lib/view/display";
import { Cell, Notebook, Output, sourceText } from "../notebooks/format";

export interface LessonMeta { id: string; title: string; summary: string; order: number; file: string }

/** A multiline Jupyter string as one string. */
function joined(v: unknown): string {
  return Array.isArray(v) ? v.join("") : typeof v === "string" ? v : "";
}

// eslint-disable-next-line no-control-regex -- ANSI colour codes start with the ESC control character
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

// Fenced code in markdown is a code block like a code cell's: highlighted (TypeScript unless the
// fence names another language highlight.js knows), in the same styled <pre>.
const markdown = new Marked({
  renderer: {
    code({ text, lang }: Tokens.Code): string {
      const name = (lang ?? "").trim().split(/\s+/)[0].toLowerCase();
      const language = name && hljs.getLanguage(name) ? name : "typescript";
      const body = hljs.highlight(text, { language, ignoreIllegals: true }).value;
      return `<pre class="code-block"><code class="hljs language-${language}">${body}</code></pre>\n`;
    },
  },
});

/** Markdown to HTML with $...$ and $$...$$ math typeset by KaTeX; code spans and blocks keep their dollars. */
export function markdownToHtml(md: string, attachments: Record<string, Record<string, string>> = {}): string {
  const math: string[] = [];
  const keep = (html: string): string => `@@CNNMATH${math.push(html) - 1}@@`;
  // Split out code (fenced blocks and inline spans) so math inside code is left alone.
  const parts = md.split(/(```[\s\S]*?```|`[^`\n]*`)/g);
  const withMath = parts.map((part, i) => {
    if (i % 2 === 1) return part;
    return part
      .replace(/\$\$([\s\S]+?)\$\$/g, (_, tex: string) => keep(katex.renderToString(tex.trim(), { displayMode: true, throwOnError: false })))
      .replace(/(^|[^\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\d)/g, (_, before: string, tex: string) =>
        before + keep(katex.renderToString(tex, { displayMode: false, throwOnError: false })));
  }).join("");
  let html = markdown.parse(withMath, { async: false, gfm: true }) as string;
  html = html.replace(/@@CNNMATH(\d+)@@/g, (_, n: string) => math[Number(n)]);
  // Cell attachments (pasted images): attachment:name → data URI.
  return html.replace(/(src=")attachment:([^"]+)"/g, (whole, pre: string, name: string) => {
    const bundle = attachments[decodeURIComponent(name)];
    const mime = bundle && Object.keys(bundle)[0];
    return mime ? `${pre}data:${mime};base64,${joined(bundle[mime]).replace(/\s/g, "")}"` : whole;
  });
}

export function highlightTypeScript(code: string): string {
  return hljs.highlight(code, { language: "typescript", ignoreIllegals: true }).value;
}

/** True for the output that carries plotly.js itself (see lib/view/chart/html.ts). */
export function isPlotlyLoader(out: Output): boolean {
  const html = joined(out.data?.["text/html"]);
  return html.includes(`${PLOTLY_LOADER_ATTR}=`) && html.trimStart().startsWith("<script");
}

/** One output as HTML, by Jupyter's order of preference. */
export function outputToHtml(out: Output): string {
  if (out.output_type === "stream") {
    const cls = out.name === "stderr" ? "stderr" : "stdout";
    return `<pre class="output stream ${cls}">${escapeHtml(joined(out.text).replace(ANSI, ""))}</pre>`;
  }
  if (out.output_type === "error") {
    const tb = (out.traceback ?? []).join("\n").replace(ANSI, "") || `${out.ename}: ${out.evalue}`;
    return `<pre class="output error">${escapeHtml(tb)}</pre>`;
  }
  const data = out.data ?? {};
  if (isPlotlyLoader(out)) return "";
  if (data["text/html"] !== undefined) return `<div class="output html">${joined(data["text/html"])}</div>`;
  if (data["image/svg+xml"] !== undefined) {
    const svg = Buffer.from(joined(data["image/svg+xml"]), "utf8").toString("base64");
    return `<div class="output image"><img src="data:image/svg+xml;base64,${svg}" alt=""></div>`;
  }
  for (const mime of ["image/png", "image/jpeg", "image/gif"]) {
    if (data[mime] !== undefined) return `<div class="output image"><img src="data:${mime};base64,${joined(data[mime]).replace(/\s/g, "")}" alt=""></div>`;
  }
  if (data["text/markdown"] !== undefined) return `<div class="output markdown">${markdownToHtml(joined(data["text/markdown"]))}</div>`;
  if (data["text/plain"] !== undefined) {
    const t = joined(data["text/plain"]);
    return t ? `<pre class="output text">${escapeHtml(t.replace(ANSI, ""))}</pre>` : "";
  }
  return "";
}

/** Consecutive stream outputs of one kind as one (kernels send each console.log apart). */
export function mergeStreams(outputs: Output[]): Output[] {
  const merged: Output[] = [];
  for (const o of outputs) {
    const last = merged[merged.length - 1];
    if (o.output_type === "stream" && last?.output_type === "stream" && last.name === o.name) {
      merged[merged.length - 1] = { ...last, text: joined(last.text) + joined(o.text) };
    } else merged.push(o);
  }
  return merged;
}

const isProgress = (o: Output): boolean => joined(o.data?.["text/html"]).includes("cnn-course-progress");
const isChart = (o: Output): boolean => joined(o.data?.["text/html"]).includes("cnn-course-figure");

/**
 * A live chart (created at the end of epoch 1, then updated in place) is saved between the first
 * epochs' progress lines; on a static page it reads better after them. Charts that sit among
 * progress displays move to just after the last one, in their order; everything else stays.
 */
export function chartsAfterProgress(outputs: Output[]): Output[] {
  const last = outputs.map(isProgress).lastIndexOf(true);
  if (last < 0) return outputs;
  const moved = outputs.slice(0, last).filter(isChart);
  if (moved.length === 0) return outputs;
  const kept = outputs.slice(0, last + 1).filter((o) => !isChart(o));
  return [...kept, ...moved, ...outputs.slice(last + 1)];
}

function cellToHtml(cell: Cell, index: number): string {
  const src = sourceText(cell);
  if (cell.cell_type === "markdown") {
    return `<section class="cell markdown" id="cell-${index}">${markdownToHtml(src, (cell.attachments ?? {}) as Record<string, Record<string, string>>)}</section>`;
  }
  if (cell.cell_type === "raw") return "";
  const prompt = cell.execution_count ? `[${cell.execution_count}]` : "";
  const outputs = mergeStreams(chartsAfterProgress(cell.outputs ?? [])).map(outputToHtml).filter(Boolean).join("");
  return `<section class="cell code" id="cell-${index}"><div class="input"><span class="prompt">${prompt}</span>` +
    `<pre><code class="hljs language-typescript">${highlightTypeScript(src)}</code></pre></div>` +
    (outputs ? `<div class="outputs">${outputs}</div>` : "") + `</section>`;
}

/** The lesson's id, title, summary and order, from notebook metadata `course` (file name as fallback). */
export function lessonMeta(nb: Notebook, file: string): LessonMeta {
  const base = file.replace(/^.*[\\/]/, "").replace(/\.ipynb$/, "").replace(/^browser-[a-z]+-/, "");
  const c = nb.metadata.course;
  const firstHeading = nb.cells.find((x) => x.cell_type === "markdown" && /^#\s/m.test(sourceText(x)));
  const heading = firstHeading ? /^#\s+(.*)$/m.exec(sourceText(firstHeading))?.[1] ?? "" : "";
  const order = c?.order ?? Number(/^(\d+)/.exec(base)?.[1] ?? 999);
  return { id: c?.id ?? base, title: c?.title ?? (heading || base), summary: c?.summary ?? "", order, file: `${c?.id ?? base}.html` };
}

export interface PageContext {
  meta: LessonMeta;
  prev?: LessonMeta;
  next?: LessonMeta;
  courseTitle: string;
  /** Shown above the lesson when its run stopped with an error. */
  warning?: string;
  footer: string;
}

/** True when any output holds a course chart (the page then loads plotly.js). */
export function hasCharts(nb: Notebook): boolean {
  return nb.cells.some((c) => (c.outputs ?? []).some((o) => joined(o.data?.["text/html"]).includes("cnn-course-figure")));
}

export function pageShell(title: string, body: string, opts: { plotly: boolean; courseTitle: string }): string {
  return `<!doctype html>\n<html lang="pt-BR"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)} · ${escapeHtml(opts.courseTitle)}</title>` +
    `<link rel="stylesheet" href="assets/site.css"><link rel="stylesheet" href="assets/highlight.css">` +
    `<link rel="stylesheet" href="assets/katex/katex.min.css">` +
    (opts.plotly ? `<script src="assets/plotly.min.js"></script>` : "") +
    `</head><body>${body}</body></html>\n`;
}

export function renderLessonPage(nb: Notebook, ctx: PageContext): string {
  const nav = `<nav class="lesson-nav"><a href="index.html">↑ Índice</a>` +
    (ctx.prev ? `<a class="prev" href="${ctx.prev.file}">← ${escapeHtml(ctx.prev.title)}</a>` : "") +
    (ctx.next ? `<a class="next" href="${ctx.next.file}">${escapeHtml(ctx.next.title)} →</a>` : "") + `</nav>`;
  const body = `<header><a class="course" href="index.html">${escapeHtml(ctx.courseTitle)}</a>${nav}</header>` +
    `<main class="lesson">` + (ctx.warning ? `<p class="warning">⚠ ${escapeHtml(ctx.warning)}</p>` : "") +
    nb.cells.map(cellToHtml).join("\n") + `</main><footer>${nav}<p>${escapeHtml(ctx.footer)}</p></footer>`;
  return pageShell(ctx.meta.title, body, { plotly: hasCharts(nb), courseTitle: ctx.courseTitle });
}

export function renderIndexPage(lessons: (LessonMeta & { warning?: string })[], courseTitle: string, intro: string, footer: string): string {
  const items = lessons.map((l) => `<li><a class="lesson-link" href="${l.file}"><span class="order">${l.order}</span> ${escapeHtml(l.title)}</a>` +
    (l.summary ? `<p class="summary">${escapeHtml(l.summary)}</p>` : "") + (l.warning ? `<p class="warning">⚠ ${escapeHtml(l.warning)}</p>` : "") + `</li>`).join("");
  const body = `<header><span class="course">${escapeHtml(courseTitle)}</span></header><main class="index">` +
    `<h1>${escapeHtml(courseTitle)}</h1><p class="intro">${escapeHtml(intro)}</p><ol class="lessons">${items}</ol></main>` +
    `<footer><p>${escapeHtml(footer)}</p></footer>`;
  return pageShell("Índice", body, { plotly: false, courseTitle });
}

export const SITE_CSS = `
:root { --fg: #1d2433; --muted: #5b6475; --line: #e3e6ec; --accent: #2d6cdf; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fafbfc; }
header, footer { background: #fff; border-bottom: 1px solid var(--line); padding: 10px 24px; display: flex; gap: 24px; align-items: center; flex-wrap: wrap; }
footer { border-top: 1px solid var(--line); border-bottom: 0; margin-top: 40px; flex-direction: column; align-items: flex-start; color: var(--muted); font-size: 13px; }
header .course { font-weight: 600; color: var(--fg); text-decoration: none; }
.lesson-nav { display: flex; gap: 18px; flex-wrap: wrap; }
a { color: var(--accent); }
main { max-width: 1100px; margin: 0 auto; padding: 16px 24px; }
.cell { margin: 14px 0; }
.cell.code .input { display: flex; gap: 8px; align-items: flex-start; }
.prompt { color: var(--muted); font: 12px/1.4 ui-monospace, monospace; min-width: 42px; padding-top: 10px; text-align: right; }
.cell.code pre { flex: 1; margin: 0; overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
.cell.code pre code.hljs { padding: 8px 12px; font: 13px/1.45 ui-monospace, "SFMono-Regular", Menlo, monospace; background: #f6f8fa; }
.outputs { margin: 6px 0 0 50px; overflow-x: auto; }
.outputs img, .outputs .cnn-course-figure { max-width: 100%; height: auto; }
.markdown pre.code-block { margin: 8px 0; overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; background: #f6f8fa; }
.markdown pre.code-block code.hljs { display: block; padding: 8px 12px; font: 13px/1.45 ui-monospace, "SFMono-Regular", Menlo, monospace; background: #f6f8fa; }
.output { margin: 4px 0; }
pre.output { font: 13px/1.4 ui-monospace, monospace; white-space: pre-wrap; margin: 4px 0; padding: 4px 8px; }
pre.stderr { background: #fff5f5; }
pre.error { background: #ffecec; color: #8a1f11; }
.warning { background: #fff4d6; border: 1px solid #f0c36d; padding: 8px 12px; border-radius: 6px; }
ol.lessons { list-style: none; padding: 0; }
ol.lessons li { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 10px 0; }
.lesson-link { font-size: 18px; font-weight: 600; text-decoration: none; }
.lesson-link .order { display: inline-block; min-width: 28px; color: var(--muted); }
.summary { margin: 4px 0 0 28px; color: var(--muted); }
.markdown table { border-collapse: collapse; } .markdown td, .markdown th { border: 1px solid var(--line); padding: 4px 8px; }
`;
