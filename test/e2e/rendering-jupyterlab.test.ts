// What students see in JupyterLab, rendered by JupyterLab 4's own output code (rendermime,
// outputarea, its Sanitizer and trust model; bundled by esbuild, see test/jupyterlab/) in
// Debian's Chromium: every executed solution notebook, trusted (cells run in the session:
// scripts run, live plotly charts) and untrusted (reopened without a signature: sanitized HTML,
// the static pictures). Asserts that every chart is drawn, progress displays show their final
// state, images and tables appear, and no output is empty or shows raw markup. Screenshots go
// to .cache/screenshots/jupyterlab-*.png. The executed copies come from .cache/executed/
// (npm run notebooks); the missing, changed or failed ones are executed first.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { Page } from "playwright-core";
import { cacheDir, isCI, projectRoot } from "../../lib/common/config";
import { courseNotebooks, executedPath, needsRun, readRunStatus, runNotebooks } from "../../tools/notebooks/run";
import { findJupyterPython } from "../../tools/notebooks/jupyter";
import { chartReport, waitForLiveCharts, waitForStaticCharts } from "./presentation/classic-notebook";
import { chromiumAvailable, CHROMIUM, launchOfflineBrowser, OfflineBrowser } from "./presentation/offline-browser";
import { buildTestPage, TestPage } from "./jupyterlab/bundle";

const log = (line: string): void => console.log(`      ${line}`);
const shots = cacheDir("screenshots");

interface OutputInfo {
  where: string; type: string; mime: string; loader: boolean; progress: boolean;
  text: string; media: number; imagesBroken: number; tables: number; progressFinal: boolean;
}

// Page-side code as text (tsx-compiled functions carry helpers the page does not have).
const OUTPUT_REPORT_JS = `(() => Array.from(document.querySelectorAll(".test-output")).map((o) => {
  const d = o.dataset;
  const body = o.querySelector(".jp-OutputArea-output") || o;
  const imgs = Array.from(body.querySelectorAll("img"));
  const bar = body.querySelector("progress");
  const text = (body.innerText || "").trim();
  return {
    where: "cell " + d.cell + " output " + d.output, type: d.type, mime: d.mime, loader: d.loader === "1", progress: d.progress === "1",
    text: text.slice(0, 300),
    media: imgs.filter((i) => i.complete && i.naturalWidth > 0).length + body.querySelectorAll("svg.main-svg, canvas").length,
    imagesBroken: imgs.filter((i) => !i.complete || i.naturalWidth === 0).length,
    tables: body.querySelectorAll("table").length,
    progressFinal: !!bar && bar.value === bar.max && /^✔/.test(text),
  };
}))()`;

/** Charts (live plot or static picture) wider than their output area, as [drawn width, area width]. */
const CHARTS_TOO_WIDE_JS = `(() => Array.from(document.querySelectorAll(".cnn-course-figure")).map((f) => {
  const shown = Array.from(f.querySelectorAll(".js-plotly-plot svg.main-svg, img.cnn-course-static"))
    .filter((e) => e.getBoundingClientRect().width > 0)[0];
  return shown ? [Math.round(shown.getBoundingClientRect().width), Math.round(f.getBoundingClientRect().width)] : null;
}).filter((p) => p && p[0] > p[1] + 1))()`;

/** The solution notebooks' executed copies, running the missing, changed or failed ones first. */
async function executedSolutions(): Promise<string[]> {
  const sources = courseNotebooks("solutions");
  const outDir = cacheDir("executed");
  const stale = sources.filter((nb) => needsRun(nb, executedPath(nb, outDir), readRunStatus(executedPath(nb, outDir)), false));
  if (stale.length) {
    log(`executing ${stale.length} solution notebook(s) first (smoke preset)`);
    process.env.CNN_COURSE_PRESET = process.env.CNN_COURSE_PRESET ?? "smoke";
    const runs = await runNotebooks(stale, { jobs: 2, cellTimeoutSec: 600, totalTimeoutSec: 1200, outDir, log });
    const failed = runs.filter((r) => !r.result.ok).map((r) => path.basename(r.notebook));
    assert.deepEqual(failed, [], "every solution notebook runs before it is rendered");
  }
  return sources.map((nb) => executedPath(nb, outDir));
}

/** Problems of one rendered output, as lines (empty: fine). */
function outputProblems(nb: string, o: OutputInfo, trusted: boolean): string[] {
  const at = `${nb} ${o.where} (${o.type}, ${o.mime || "no renderer"})`;
  const problems: string[] = [];
  if (o.loader) {
    // plotly.js's loader is a bare <script>: an empty output in JupyterLab too, by design.
    return trusted || o.text === "" ? [] : [`${at}: the stripped plotly loader shows text: ${o.text}`];
  }
  if (!o.text && o.media === 0) problems.push(`${at}: empty`);
  if (/<\/?(div|span|script|table|img|svg|progress|p|br)\b[^>]*>|&lt;|&gt;|&amp;|\\u003c/i.test(o.text)) problems.push(`${at}: raw markup: ${o.text.slice(0, 120)}`);
  if (o.imagesBroken) problems.push(`${at}: ${o.imagesBroken} image(s) not decoded`);
  if (o.progress && !o.progressFinal) problems.push(`${at}: progress not in its final state: ${o.text.slice(0, 120)}`);
  return problems;
}

describe("what students see in JupyterLab (its own rendermime and output area, in Chromium)", function () {
  this.timeout(1_800_000);
  let browser: OfflineBrowser | null = null;
  let testPage: TestPage;
  let notebooks: string[] = [];
  const totals = { trusted: { outputs: 0, charts: 0, images: 0, tables: 0, progress: 0 }, untrusted: { outputs: 0, charts: 0, images: 0, tables: 0, progress: 0 } };

  before(async function () {
    const missing = [!chromiumAvailable() && `Chromium (${CHROMIUM}: apt-get install chromium)`,
      !findJupyterPython() && "Jupyter's nbclient (apt-get install python3-nbclient)"].filter(Boolean);
    if (missing.length) {
      if (isCI()) throw new Error(`CI=true but the JupyterLab rendering test cannot run: missing ${missing.join(" and ")}`);
      log(`(skipped: missing ${missing.join(" and ")})`);
      this.skip();
    }
    testPage = await buildTestPage();
    log(`test page ${testPage.built ? "bundled" : "reused"} in ${testPage.seconds.toFixed(1)} s (${path.relative(projectRoot(), testPage.dir)})`);
    notebooks = await executedSolutions();
    browser = await launchOfflineBrowser();
  });

  after(async () => {
    await browser?.close();
  });

  /** Renders one executed notebook; returns its page (open) and the per-output report. */
  async function render(file: string, trusted: boolean): Promise<{ page: Page; outputs: OutputInfo[] }> {
    const page = await browser!.context.newPage();
    await page.setViewportSize({ width: 1040, height: 900 });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`file://${testPage.html}`);
    const nb = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
    await page.evaluate(({ nb, trusted }) => (window as unknown as { renderNotebook(n: unknown, t: boolean): Promise<number> }).renderNotebook(nb, trusted), { nb, trusted });
    const figures = (await chartReport(page)).figures;
    if (figures > 0) {
      if (trusted) await waitForLiveCharts(page, figures);
      else await waitForStaticCharts(page, figures);
    }
    // Images decode asynchronously.
    await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete), undefined, { timeout: 60_000 });
    assert.deepEqual(errors, [], `${path.basename(file)}: no script error on the page`);
    return { page, outputs: await page.evaluate<OutputInfo[]>(OUTPUT_REPORT_JS) };
  }

  for (const trusted of [true, false]) {
    const mode = trusted ? "trusted" : "untrusted";
    it(`renders every executed solution notebook ${mode}: charts ${trusted ? "live" : "as static pictures"}, final progress, images, tables, no empty output or raw markup`, async () => {
      assert.ok(notebooks.length >= 8, `the course's solution notebooks (found ${notebooks.length})`);
      const problems: string[] = [];
      for (const file of notebooks) {
        const name = path.basename(file, ".ipynb");
        const { page, outputs } = await render(file, trusted);
        const charts = await chartReport(page);
        if (trusted && charts.drawnLive !== charts.figures) problems.push(`${name}: ${charts.figures - charts.drawnLive} chart(s) not drawn live`);
        // Wide charts (several panels) are drawn to the output area's width, not behind a scroll bar.
        const tooWide = await page.evaluate<[number, number][]>(CHARTS_TOO_WIDE_JS);
        if (tooWide.length) problems.push(`${name}: chart(s) wider than the output area: ${JSON.stringify(tooWide)}`);
        if (!trusted && (charts.staticVisible !== charts.figures || charts.drawnLive !== 0)) {
          problems.push(`${name}: untrusted charts ${JSON.stringify(charts)} (want every static picture, no live chart)`);
        }
        for (const o of outputs) problems.push(...outputProblems(name, o, trusted));
        const t = totals[mode];
        t.outputs += outputs.length; t.charts += charts.figures; t.progress += outputs.filter((o) => o.progress).length;
        t.images += outputs.reduce((s, o) => s + o.media, 0); t.tables += outputs.reduce((s, o) => s + o.tables, 0);
        if (/^0[2]-|^09-/.test(name)) {
          fs.mkdirSync(shots, { recursive: true });
          const shot = path.join(shots, `jupyterlab-${name}-${mode}.png`);
          await page.screenshot({ path: shot, fullPage: true });
          log(`screenshot: ${path.relative(projectRoot(), shot)} (${charts.figures} chart(s))`);
        }
        await page.close();
      }
      log(`${mode}: ${JSON.stringify(totals[mode])}`);
      assert.deepEqual(problems, []);
      assert.ok(totals[mode].charts > 0 && totals[mode].images > 0 && totals[mode].progress > 0, "the course shows charts, images and progress");
    });
  }

  it("shows the pneumonia notebook's training history and live chart, with their legend, within the page", async () => {
    const file = notebooks.find((f) => /09-pneumonia/.test(path.basename(f)));
    assert.ok(file, "09-pneumonia was executed");
    const { page } = await render(file, true);
    const legends = await page.evaluate(() => Array.from(document.querySelectorAll(".cnn-course-figure .legendtext")).map((e) => e.textContent));
    assert.ok(legends.filter((l) => l === "treino").length >= 2 && legends.filter((l) => l === "validação").length >= 2,
      `live and final history charts both carry treino/validação: ${JSON.stringify(legends)}`);
    assert.deepEqual(await page.evaluate<[number, number][]>(CHARTS_TOO_WIDE_JS), [], "every chart fits its output area");
    await page.close();
  });
});
