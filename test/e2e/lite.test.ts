// The course in the browser (npm run lite): the built site served on 127.0.0.1 and opened in
// Debian's headless Chromium; each student notebook, its exercises filled from solutions/ and
// saved in the browser's storage as a student's work would be, runs cell by cell in the page's
// TypeScript kernel. Asserts: no cell raises, every check cell reports success, every chart is
// drawn, and the check reports equal tslab's for the same notebook (.cache/executed/, run first
// when missing or stale). A .ipynb downloaded from the page is graded by the grader unchanged.
// Prints each notebook's browser time beside its tslab time, and the site's size (gzip < 30 MB).
// Screenshots: .cache/screenshots/lite-*.png.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Page } from "playwright-core";
import { MARKS } from "../../lib/check/marks";
import { cacheDir, isCI, projectRoot } from "../../lib/common/config";
import { Notebook, readNotebook } from "../../tools/notebooks/format";
import { executedPath, needsRun, readRunStatus, runNotebooks } from "../../tools/notebooks/run";
import { buildLite, LiteSite } from "../../tools/lite/site";
import { listXrayFiles } from "../../lib/pneumonia/data/xray-files";
import { loadImages } from "../../lib/pneumonia/data/load-images";
import { xraySampleDir } from "../../lib/common/config";
import { serveStatic, StaticServer } from "../../tools/lite/serve";
import { chromiumAvailable, CHROMIUM, launchOfflineBrowser, OfflineBrowser } from "./presentation/offline-browser";

const log = (line: string): void => console.log(`      ${line}`);
/** Every student notebook; 09 and 10 on the site's X-ray sample, 10 after 09 (it loads 09's checkpoint from IndexedDB). */
const ALL_NOTEBOOKS = ["00-boas-vindas", "01-conectividade", "02-filtros-convolucao", "03-passo-preenchimento-relu",
  "04-outros-filtros-olhos", "05-pooling", "06-filtros-3d-cnn", "07-dropout", "08-camadas-batchnorm", "09-pneumonia",
  "10-o-que-o-modelo-ve", "11-retropropagacao"];
/** CNN_COURSE_LITE_NOTEBOOKS=09,10 runs only those (by number), on a shared machine. */
const LITE_NOTEBOOKS = process.env.CNN_COURSE_LITE_NOTEBOOKS
  ? ALL_NOTEBOOKS.filter((n) => process.env.CNN_COURSE_LITE_NOTEBOOKS!.split(",").map((x) => x.trim()).includes(n.slice(0, 2)))
  : ALL_NOTEBOOKS;
/** The pneumonia preset of both runs (the page's process.env and tslab's): smoke unless set. */
const PRESET = process.env.CNN_COURSE_PRESET ?? "smoke";

interface CellResult { index: number; status: "ok" | "error"; seconds: number; text: string }
interface PageRun { cells: CellResult[]; seconds: number; loadSeconds: number }

/** The student notebook with every cell that differs from the solution replaced by the solution's (same cell ids). */
function filledFromSolutions(name: string): Notebook {
  const student = readNotebook(path.join(projectRoot(), "notebooks", `${name}.ipynb`));
  const solution = readNotebook(path.join(projectRoot(), "solutions", `${name}.ipynb`));
  const byId = new Map(solution.cells.map((c) => [c.id, c]));
  return { ...student, cells: student.cells.map((c) => ({ ...c, source: byId.get(c.id)?.source ?? c.source })) };
}

/** stdout text of each check cell (metadata course.role "check"), by cell index. */
function checkTexts(nb: Notebook): Map<number, string> {
  const out = new Map<number, string>();
  nb.cells.forEach((c, i) => {
    if (c.metadata.course?.role !== "check") return;
    const text = (c.outputs ?? []).filter((o) => o.output_type === "stream" && o.name === "stdout")
      .map((o) => (Array.isArray(o.text) ? o.text.join("") : o.text ?? "")).join("");
    out.set(i, text);
  });
  return out;
}

function streamTextOf(cell: CellResult): string {
  return cell.text.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { output_type: string; name?: string; text?: string })
    .filter((o) => o.output_type === "stream" && o.name === "stdout").map((o) => o.text ?? "").join("");
}

/** stdout of every code cell, by cell index. */
function stdoutTexts(nb: Notebook): Map<number, string> {
  const out = new Map<number, string>();
  nb.cells.forEach((c, i) => {
    if (c.cell_type !== "code") return;
    out.set(i, (c.outputs ?? []).filter((o) => o.output_type === "stream" && o.name === "stdout")
      .map((o) => (Array.isArray(o.text) ? o.text.join("") : o.text ?? "")).join(""));
  });
  return out;
}

/** Cells whose stdout differs from tslab's, as "index" (the rest printed the very same text). */
function stdoutDifferences(run: PageRun, tslabNb: Notebook): { same: number; differ: number[] } {
  const expected = stdoutTexts(tslabNb);
  const differ: number[] = [];
  let same = 0;
  for (const cell of run.cells) {
    if (streamTextOf(cell) === (expected.get(cell.index) ?? "")) same++;
    else differ.push(cell.index);
  }
  return { same, differ };
}

/** The charts of the page: how many, and how many are drawn (live plotly SVG, or the static picture decoded). */
const CHARTS_JS = `(() => { const figs = Array.from(document.querySelectorAll(".cnn-course-figure"));
  const drawn = figs.filter((f) => f.querySelector(".js-plotly-plot svg.main-svg") ||
    Array.from(f.querySelectorAll("img.cnn-course-static")).some((i) => i.complete && i.naturalWidth > 0));
  return { charts: figs.length, drawn: drawn.length }; })()`;

async function runInPage(page: Page, base: string, name: string, nb: Notebook): Promise<PageRun> {
  const file = `notebooks/${name}.ipynb`;
  await page.goto(base);
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [`cnn-course-lite:${file}`, JSON.stringify(nb)]);
  const started = Date.now();
  await page.goto(`${base}#${file}`);
  await page.reload();
  await page.waitForFunction("window.cnnLite && window.cnnLite.ready");
  const loadSeconds = (Date.now() - started) / 1000;
  await page.evaluate(`process.env.CNN_COURSE_PRESET = ${JSON.stringify(PRESET)}`);
  return { ...((await page.evaluate("window.cnnLite.runAll()")) as PageRun), loadSeconds };
}

/** The newest modification time (ms) of the files under `dir`. */
function newestMtime(dir: string): number {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .reduce((t, e) => Math.max(t, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs), 0);
}

/**
 * tslab's executed copies of the solutions (the same code as the filled notebooks), running the
 * stale ones: changed notebook, or executed before the last `npm run build` of lib/ (the check
 * reports come from lib/dist, which the browser bundle compiles from the same sources).
 */
async function tslabRuns(names: string[]): Promise<Map<string, { nb: Notebook; seconds: number }>> {
  const outDir = cacheDir("executed");
  const built = newestMtime(path.join(projectRoot(), "lib", "dist"));
  const sources = names.map((n) => path.join(projectRoot(), "solutions", `${n}.ipynb`));
  const stale = sources.filter((nb) => {
    const status = readRunStatus(executedPath(nb, outDir));
    return needsRun(nb, executedPath(nb, outDir), status, false) || Date.parse(status?.executedAt ?? "") < built;
  });
  if (stale.length) {
    log(`running ${stale.length} solution notebook(s) under tslab first`);
    process.env.CNN_COURSE_PRESET = PRESET;
    // On the repository's sample, as the site: no full copy of the X-rays.
    const data = process.env.CNN_COURSE_DATA;
    delete process.env.CNN_COURSE_DATA;
    const runs = await runNotebooks(stale, { jobs: 1, cellTimeoutSec: 600, totalTimeoutSec: 1200, outDir, log })
      .finally(() => { if (data !== undefined) process.env.CNN_COURSE_DATA = data; });
    assert.deepEqual(runs.filter((r) => !r.result.ok).map((r) => path.basename(r.notebook)), [], "every solution runs under tslab");
  }
  return new Map(sources.map((s, i) => [names[i], {
    nb: readNotebook(executedPath(s, outDir)), seconds: readRunStatus(executedPath(s, outDir))?.seconds ?? NaN,
  }]));
}

describe("the course in the browser (npm run lite, headless Chromium)", function () {
  this.timeout(3_600_000);
  let site: LiteSite;
  let server: StaticServer;
  let browser: OfflineBrowser;
  let tslab: Map<string, { nb: Notebook; seconds: number }>;
  const times: string[] = [];
  const ran = new Set<string>();

  before(async function () {
    if (!chromiumAvailable()) {
      if (isCI()) throw new Error(`CI=true but Chromium is missing (${CHROMIUM}: apt-get install chromium)`);
      log(`(skipped: Chromium missing at ${CHROMIUM})`);
      this.skip();
    }
    site = await buildLite({ outDir: cacheDir("lite"), log });
    tslab = await tslabRuns(LITE_NOTEBOOKS);
    server = await serveStatic(site.outDir);
    browser = await launchOfflineBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (times.length) log(["notebook                         browser s (page load + cells)   tslab s", ...times].join("\n      "));
  });

  it("builds a site under 30 MB gzip-compressed, the tfjs wasm binaries and the X-ray sample included", () => {
    log(`site: ${site.files} files, ${(site.bytes / 1e6).toFixed(1)} MB, ${(site.gzipBytes / 1e6).toFixed(1)} MB gzip`);
    assert.ok(site.gzipBytes < 30e6, `gzip size ${site.gzipBytes}`);
    for (const f of ["index.html", "jupyter-lite.json", "api/contents/all.json", "tfjs/tfjs-backend-wasm-simd.wasm", "data/mnist.bin",
      "data/chest-xray-sample/README.md", "files/notebooks/00-boas-vindas.ipynb", "files.json"]) {
      assert.ok(fs.existsSync(path.join(site.outDir, f)), `${f} in the site`);
    }
    const students = fs.readdirSync(path.join(projectRoot(), "notebooks")).filter((n) => n.endsWith(".ipynb"));
    assert.deepEqual(site.notebooks, students.sort().map((n) => `notebooks/${n}`));
  });

  for (const name of LITE_NOTEBOOKS) {
    it(`${name}: runs in the page, every check passes, charts drawn, check reports equal tslab's`, async () => {
      const page = await browser.context.newPage();
      try {
        const filled = filledFromSolutions(name);
        const run = await runInPage(page, server.url, name, filled);
        fs.mkdirSync(cacheDir("lite-runs"), { recursive: true });
        fs.writeFileSync(cacheDir("lite-runs", `${name}.json`), JSON.stringify(run, null, 1));
        const raised = run.cells.filter((c) => c.status === "error").map((c) => `cell ${c.index}: ${c.text.slice(0, 300)}`);
        assert.deepEqual(raised, [], `${name}: cells that raised`);
        const expected = checkTexts(tslab.get(name)!.nb);
        for (const [index, tslabText] of expected) {
          const cell = run.cells.find((c) => c.index === index);
          assert.ok(cell, `${name}: check cell ${index} ran`);
          const text = streamTextOf(cell!);
          assert.ok(text.startsWith(MARKS.passed), `${name}: check cell ${index} reports success: ${text.slice(0, 200)}`);
          for (const bad of [MARKS.failed, MARKS.notDone, MARKS.reference, MARKS.error, MARKS.caseFailed]) {
            assert.ok(!text.includes(bad), `${name}: check cell ${index} shows ${bad}: ${text.slice(0, 200)}`);
          }
          assert.equal(text, tslabText, `${name}: check cell ${index} prints what tslab printed`);
        }
        // Not asserted: timings and the engine line differ by nature; the figure goes in the report.
        const stdout = stdoutDifferences(run, tslab.get(name)!.nb);
        log(`${name}: ${stdout.same} of ${run.cells.length} code cells print the same stdout as tslab` +
          (stdout.differ.length ? `; different: cells ${stdout.differ.join(", ")}` : ""));
        if (name === "10-o-que-o-modelo-ve" && ran.has("09-pneumonia")) {
          // The model notebook 09 trained in another page, kept in IndexedDB (lib/common/browser-files.ts).
          const model = run.cells.map(streamTextOf).find((t) => t.includes("Modelo carregado") || t.includes("Modelo treinado")) ?? "";
          assert.match(model, /Modelo carregado de um checkpoint; origem: o notebook 09/, `${name} loads 09's checkpoint: ${model}`);
        }
        ran.add(name);
        const charts = (await page.evaluate(CHARTS_JS)) as { charts: number; drawn: number };
        assert.equal(charts.drawn, charts.charts, `${name}: every chart drawn`);
        fs.mkdirSync(cacheDir("screenshots"), { recursive: true });
        // The last chart (or the end of the notebook) in view: what the student sees after running it all.
        await page.evaluate(`(() => { const f = Array.from(document.querySelectorAll(".cnn-course-figure")).pop();
          if (f) f.scrollIntoView({ block: "center" }); })()`);
        await page.screenshot({ path: cacheDir("screenshots", `lite-${name}.png`), fullPage: false });
        const t = tslab.get(name)!.seconds;
        const browserTotal = `${(run.loadSeconds + run.seconds).toFixed(1)} (${run.loadSeconds.toFixed(1)} + ${run.seconds.toFixed(1)})`;
        times.push(`${name.padEnd(32)} ${browserTotal.padStart(30)} ${t.toFixed(1).padStart(9)}`);
        log(`${name}: ${run.cells.length} code cells, ${expected.size} checks, ${charts.charts} charts; browser ${browserTotal} s, tslab ${t.toFixed(1)} s`);
      } finally {
        await page.close();
      }
    });
  }

  it("decodes the site's X-ray sample to the very pixels jimp gives under Node (48x48, every 5th file)", async () => {
    const page = await browser.context.newPage();
    try {
      await page.goto(server.url);
      await page.waitForFunction("window.cnnLite && window.cnnLite.ready");
      await page.evaluate("window.cnnLite.startKernel()");
      const fromPage = (await page.evaluate(`(async () => {
        const c = cnnCourse.course, files = c.listXrayFiles().filter((_, i) => i % 5 === 0);
        const b = await cnnCourse.loadImages(files, 48, { cache: false, progress: false });
        return { paths: b.files, images: Array.from(b.images) };
      })()`)) as { paths: string[]; images: number[] };
      const files = listXrayFiles(xraySampleDir()).filter((_, i) => i % 5 === 0);
      assert.deepEqual(fromPage.paths.map((p) => p.replace(/^\/curso\/data\/chest-xray-sample\//, "")),
        files.map((f) => path.relative(xraySampleDir(), f.path)));
      const node = await loadImages(files, 48, { cache: false, progress: false, workers: 0 });
      const differ = node.images.reduce((n, v, i) => n + (v === fromPage.images[i] ? 0 : 1), 0);
      log(`X-ray decoding: ${files.length} files, ${node.images.length} bytes at 48x48, ${differ} differ from jimp's`);
      assert.equal(fromPage.images.length, node.images.length);
      assert.equal(differ, 0);
    } finally {
      await page.close();
    }
  });

  it("a notebook downloaded from the page is graded by npm run grade unchanged, with full points", async () => {
    const page = await browser.context.newPage();
    try {
      const name = "00-boas-vindas";
      await runInPage(page, server.url, name, filledFromSolutions(name));
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByText("Baixar .ipynb").click()]);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cnn-lite-grade-"));
      const file = path.join(dir, `${name}.ipynb`);
      await download.saveAs(file);
      const out = path.join(dir, "grades");
      const r = spawnSync("npx", ["tsx", "scripts/grade.ts", file, "--out", out, "--jobs", "1"], { cwd: projectRoot(), encoding: "utf8" });
      const report = JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8")) as { submissions: { status: string; points: number; maxPoints: number; problems: string[] }[] };
      const s = report.submissions[0];
      log(`graded the downloaded ${name}.ipynb: ${s.status}, ${s.points}/${s.maxPoints} (grader exit ${r.status})`);
      assert.equal(s.status, "graded", s.problems.join("; "));
      assert.equal(s.points, s.maxPoints);
      fs.rmSync(dir, { recursive: true, force: true });
    } finally {
      await page.close();
    }
  });
});
