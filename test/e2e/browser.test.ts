// What the student sees, in a real browser: Debian's Chromium (headless, no network of its
// own) on Debian's classic Jupyter Notebook server. Runs a lesson notebook and the chart
// fixture through the menus, checks that no cell shows an error and that every chart is
// drawn by plotly; reopens the saved notebook trusted (live charts again) and untrusted
// (scripts stripped: the static pictures show); opens the nbconvert HTML export with and
// without JavaScript; builds the course site and checks a lesson page. Screenshots go to
// .cache/screenshots/. Server and browser are closed at the end, even on failure.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Page } from "playwright-core";
import { cacheDir, isCI, projectRoot } from "../../lib/common/config";
import { readNotebook, writeNotebook } from "../../tools/notebooks/format";
import { buildSite } from "../../tools/site/build";
import {
  cellErrors, chartReport, isTrusted, runAllCells, saveNotebook, unscrollNotebook, waitForAllCells, waitForKernel, waitForLiveCharts,
  waitForStaticCharts,
} from "./presentation/classic-notebook";
import { findNotebookServer, NotebookServer, startNotebookServer } from "./presentation/notebook-server";
import { chromiumAvailable, CHROMIUM, launchOfflineBrowser, OfflineBrowser } from "./presentation/offline-browser";

const root = projectRoot();
const shots = cacheDir("screenshots");
const serverRoot = path.join(root, ".cache");
const log = (line: string): void => console.log(`      ${line}`);

/** The lesson the test runs: CNN_COURSE_BROWSER_LESSON, else the first lecture notebook with charts. */
function chooseLesson(): string | null {
  if (process.env.CNN_COURSE_BROWSER_LESSON) return path.resolve(process.env.CNN_COURSE_BROWSER_LESSON);
  const dir = path.join(root, "solutions");
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => /^0[1-7]-.*\.ipynb$/.test(n)).sort() : [];
  const preferred = ["02-filtros-convolucao.ipynb", "05-pooling.ipynb"].find((n) => names.includes(n));
  return preferred ? path.join(dir, preferred) : names.length ? path.join(dir, names[0]) : null;
}

/**
 * Copies a notebook to <root>/.cache/ (ignored): one level below the root like solutions/,
 * so `import "cnn-course"` and relative paths resolve as for the original. The server is
 * rooted there (it refuses to serve anything under a hidden folder such as .cache).
 */
function workingCopy(source: string, tag: string): string {
  const copy = path.join(serverRoot, `browser-${tag}-${path.basename(source)}`);
  fs.mkdirSync(path.dirname(copy), { recursive: true });
  fs.copyFileSync(source, copy);
  return copy;
}

async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(shots, { recursive: true });
  const file = path.join(shots, name);
  await page.screenshot({ path: file, fullPage: true });
  log(`screenshot: ${path.relative(root, file)}`);
  return file;
}

interface NotebookRunResult { copy: string; page: Page }

describe("what the student sees, in a real browser", function () {
  // Each step takes well under a minute on an idle 2-core machine; the limit leaves room for a busy one.
  this.timeout(300_000);
  let server: NotebookServer | null = null;
  let browser: OfflineBrowser | null = null;
  const copies: string[] = [];
  const runs = new Map<string, NotebookRunResult>();
  const fixture = path.join(root, "test", "fixtures", "presentation", "charts.ipynb");
  const lesson = chooseLesson();
  // Both notebooks run at once, one kernel per core; the tests below wait for their own.
  let lessonRun: Promise<NotebookRunResult> | null = null;
  let chartsRun: Promise<NotebookRunResult> | null = null;

  before(async function () {
    const missing = [!chromiumAvailable() && `Chromium (${CHROMIUM}: apt-get install chromium)`,
      !findNotebookServer() && "the Jupyter Notebook server (apt-get install jupyter-notebook)"].filter(Boolean);
    if (missing.length) {
      if (isCI()) throw new Error(`CI=true but the browser test cannot run: missing ${missing.join(" and ")}`);
      log(`(skipped: missing ${missing.join(" and ")})`);
      this.skip();
    }
    if (!fs.existsSync(path.join(root, "lib", "dist", "index.js"))) throw new Error("lib/dist is missing: run `npm run build` first (npm test does)");
    fs.mkdirSync(serverRoot, { recursive: true });
    server = await startNotebookServer(serverRoot);
    browser = await launchOfflineBrowser();
    chartsRun = runInNotebook(fixture, "charts", 150_000);
    lessonRun = lesson ? runInNotebook(lesson, "lesson", 150_000) : null;
    // Failures surface in the test that awaits the run, not as unhandled rejections here.
    chartsRun.catch(() => undefined);
    lessonRun?.catch(() => undefined);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    for (const c of copies) fs.rmSync(c, { force: true });
  });

  /** Opens a copy of `source` in the Notebook, runs all cells through the menu and saves it. */
  async function runInNotebook(source: string, tag: string, timeoutMs: number): Promise<NotebookRunResult> {
    const copy = workingCopy(source, tag);
    copies.push(copy);
    const page = await browser!.context.newPage();
    const started = Date.now();
    await page.goto(server!.notebookUrl(path.relative(serverRoot, copy)), { waitUntil: "domcontentloaded" });
    await waitForKernel(page);
    await runAllCells(page);
    await waitForAllCells(page, timeoutMs);
    log(`${path.basename(source)}: all cells ran in ${((Date.now() - started) / 1000).toFixed(1)} s (page open to idle)`);
    await saveNotebook(page);
    const result = { copy, page };
    runs.set(tag, result);
    return result;
  }

  it("runs a lesson notebook in the classic Notebook: no cell error, every chart drawn", async function () {
    if (!lessonRun) {
      if (isCI()) throw new Error("no lecture notebook (solutions/0[1-7]-*.ipynb) to run in the browser");
      log("(no lecture notebook yet in solutions/)");
      this.skip();
    }
    const { page } = await lessonRun!;
    assert.deepEqual(await cellErrors(page), []);
    const report = await chartReport(page);
    if (report.figures > 0) await waitForLiveCharts(page, report.figures);
    const after = await chartReport(page);
    log(`lesson charts: ${JSON.stringify(after)}`);
    assert.ok(after.figures > 0, "the lesson shows at least one chart");
    assert.equal(after.drawnLive, after.figures, "every chart drawn by plotly");
    await unscrollNotebook(page);
    await screenshot(page, "notebook-lesson-live.png");
  });

  it("runs the chart fixture: every chart kind drawn live, progress and the live chart updated in place", async () => {
    const { page } = await chartsRun!;
    assert.deepEqual(await cellErrors(page), []);
    await waitForLiveCharts(page, 5);
    const report = await chartReport(page);
    // heatmap x2, the live chart (one output, updated 3 times), imageGrid, lineChart
    assert.deepEqual({ figures: report.figures, drawnLive: report.drawnLive, blank: report.blank }, { figures: 5, drawnLive: 5, blank: 0 });
    const texts = await page.evaluate(() => Array.from(document.querySelectorAll(".cnn-course-progress")).map((e) => e.textContent ?? ""));
    assert.equal(texts.length, 3, "one progress display per epoch, each updated in place");
    assert.match(texts[2], /✔ Época 3\/3: 20\/20 \(100%\)/);
    const live = await page.evaluate(() => {
      const plots = Array.from(document.querySelectorAll(".cnn-course-figure .js-plotly-plot")) as (HTMLElement & { data?: { y?: number[] }[] })[];
      return plots.map((p) => (p.data ?? []).filter((t) => Array.isArray(t.y)).map((t) => t.y?.length ?? 0));
    });
    assert.ok(live.some((lengths) => lengths.length === 2 && lengths.every((n) => n === 3)), `the live chart holds 3 epochs of train and validation loss: ${JSON.stringify(live)}`);
    await unscrollNotebook(page);
    await screenshot(page, "notebook-charts-live.png");
  });

  it("reopens the saved notebook (trusted): the charts are drawn again from the saved plotly loader", async () => {
    const run = await chartsRun!;
    const page = await browser!.context.newPage();
    await page.goto(server!.notebookUrl(path.relative(serverRoot, run.copy)), { waitUntil: "domcontentloaded" });
    await waitForStaticCharts(page, 5);
    assert.equal(await isTrusted(page), true);
    await waitForLiveCharts(page, 5);
    const report = await chartReport(page);
    assert.equal(report.drawnLive, 5);
    await page.close();
  });

  it("shows the static pictures when the reopened notebook is untrusted (scripts stripped)", async () => {
    const run = await chartsRun!;
    // Received from someone else: its signature is not in this server's trust database.
    const nb = readNotebook(run.copy);
    nb.metadata.cnn_course_received = true;
    const untrusted = path.join(serverRoot, "browser-untrusted-charts.ipynb");
    writeNotebook(untrusted, nb);
    copies.push(untrusted);
    const page = await browser!.context.newPage();
    await page.goto(server!.notebookUrl(path.relative(serverRoot, untrusted)), { waitUntil: "domcontentloaded" });
    await waitForStaticCharts(page, 5);
    assert.equal(await isTrusted(page), false);
    const report = await chartReport(page);
    assert.deepEqual(report, { figures: 5, drawnLive: 0, staticVisible: 5, blank: 0 });
    await unscrollNotebook(page);
    await screenshot(page, "notebook-untrusted-static.png");
    await page.close();
  });

  it("draws the charts in the nbconvert HTML export offline, and shows the pictures with JavaScript off", async () => {
    const run = await chartsRun!;
    const outDir = cacheDir("browser-export");
    fs.mkdirSync(outDir, { recursive: true });
    const r = spawnSync("/usr/bin/python3", ["-m", "nbconvert", "--to", "html", run.copy, "--output-dir", outDir, "--output", "charts"],
      { encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 0, `nbconvert failed: ${r.stderr}`);
    const html = path.join(outDir, "charts.html");
    const page = await browser!.context.newPage();
    // Debian's template loads RequireJS and MathJax from file:// (slow "load"): the charts only need the DOM.
    await page.goto(`file://${html}`, { waitUntil: "domcontentloaded" });
    await waitForLiveCharts(page, 5);
    assert.equal((await chartReport(page)).drawnLive, 5);
    await screenshot(page, "export-live.png");
    await page.close();
    const noJs = await launchOfflineBrowser({ javaScriptEnabled: false });
    try {
      const p = await noJs.context.newPage();
      await p.goto(`file://${html}`, { waitUntil: "domcontentloaded" });
      await waitForStaticCharts(p, 5);
      assert.deepEqual(await chartReport(p), { figures: 5, drawnLive: 0, staticVisible: 5, blank: 0 });
      await screenshot(p, "export-no-javascript.png");
    } finally {
      await noJs.close();
    }
  });

  it("builds the course site and shows a lesson page's charts offline", async () => {
    const executed = [...runs.values()].map((r) => r.copy);
    assert.ok(executed.length > 0, "a notebook ran in the browser");
    const outDir = cacheDir("browser-site");
    const site = await buildSite({ executed, outDir, log });
    const page = await browser!.context.newPage();
    const blockedBefore = browser!.blocked.length;
    await page.goto(`file://${path.join(outDir, "index.html")}`);
    const links = await page.locator("a.lesson-link").count();
    assert.equal(links, site.pages.length);
    await screenshot(page, "site-index.png");
    await page.locator("a.lesson-link").first().click();
    await page.waitForSelector(".cnn-course-figure");
    const count = (await chartReport(page)).figures;
    await waitForLiveCharts(page, count);
    const report = await chartReport(page);
    assert.ok(report.figures > 0);
    assert.equal(report.drawnLive, report.figures);
    assert.deepEqual(browser!.blocked.slice(blockedBefore), [], "the site asks for nothing outside its folder");
    await screenshot(page, "site-lesson.png");
    await page.close();
  });
});
