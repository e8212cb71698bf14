// Notebooks 09 and 10 as a student reads them (issue 29): the executed solutions rendered by
// JupyterLab's own output code in Chromium (the page of test/jupyterlab/), trusted, with live
// plotly charts. Checks that every confusion matrix has categorical axes with the class names
// and a count in every cell, square; that no output is a Markdown table printed as text; that
// chart titles and axis labels are in Portuguese (Keras' names only in parentheses); that
// printed lines use pt-BR decimals; and that every printed character is one DejaVu Sans Mono
// has (its cmap, read from the font file). Screenshots: .cache/screenshots/textbook-NN.png.
// Executed copies come from .cache/executed/ (npm run notebooks), or CNN_COURSE_TEXTBOOK_DIR.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { Page } from "playwright-core";
import { cacheDir, isCI, projectRoot } from "../../lib/common/config";
import { findJupyterPython } from "../../tools/notebooks/jupyter";
import { executedPath, needsRun, readRunStatus, runNotebooks } from "../../tools/notebooks/run";
import { dejavuSansMonoFile, fontCodePoints, missingGlyphs } from "../helpers/glyphs";
import { buildTestPage, TestPage } from "./jupyterlab/bundle";
import { chartReport, waitForLiveCharts } from "./presentation/classic-notebook";
import { chromiumAvailable, CHROMIUM, launchOfflineBrowser, OfflineBrowser } from "./presentation/offline-browser";

const log = (line: string): void => console.log(`      ${line}`);
const NOTEBOOKS = ["09-pneumonia", "10-o-que-o-modelo-ve"];

/** English words that must not title a chart or an axis (Keras' names may stand in parentheses). */
const ENGLISH = new Set(("loss accuracy binary_accuracy precision recall val_loss val_accuracy epoch epochs predicted actual true false " +
  "label labels count probability rate threshold train training validation test score value saliency layer feature map maps curve " +
  "positive negative mean fraction images image perfect calibration chance always model").split(" "));

interface ChartText { where: string; text: string }
interface MatrixInfo { where: string; xType: string; yType: string; xCats: string[]; yCats: string[]; cellTexts: string[]; xLength: number; yLength: number }
interface OutputText { where: string; kind: string; text: string }

// Page-side code as text (tsx-compiled functions carry helpers the page does not have).
const PAGE_REPORT_JS = `(() => {
  const charts = [], matrices = [];
  document.querySelectorAll(".cnn-course-figure .js-plotly-plot").forEach((gd, f) => {
    const L = gd._fullLayout || {}, where = "chart " + f;
    const title = (t) => (t && typeof t === "object" ? t.text : t) || "";
    charts.push({ where, text: title(L.title) });
    Object.keys(L).filter((k) => /^[xy]axis\\d*$/.test(k)).forEach((k) => charts.push({ where: where + " " + k, text: title(L[k].title) }));
    (L.annotations || []).forEach((a) => charts.push({ where: where + " annotation", text: a.text || "" }));
    (gd.data || []).filter((t) => t.type === "heatmap").forEach((t) => {
      const xa = L[(t.xaxis || "x").replace("x", "xaxis")], ya = L[(t.yaxis || "y").replace("y", "yaxis")];
      matrices.push({ where, xType: xa.type, yType: ya.type, xCats: (xa._categories || []).slice(), yCats: (ya._categories || []).slice(),
        cellTexts: [].concat(...(t.text || [])).map(String), xLength: xa._length, yLength: ya._length });
    });
  });
  const outputs = Array.from(document.querySelectorAll(".test-output")).map((o) => {
    const body = o.querySelector(".jp-OutputArea-output") || o;
    const kind = o.dataset.type === "stream" ? "stream" : (o.dataset.mime === "text/plain" ? "text" : (body.querySelector("table") ? "table" : "other"));
    return { where: "cell " + o.dataset.cell + " output " + o.dataset.output, kind, text: (body.innerText || "") };
  });
  return { charts, matrices, outputs };
})()`;

/** Problems of a chart title or axis label: English words outside parentheses. */
function englishWords(text: string): string[] {
  const outside = text.replace(/<[^>]*>/g, " ").replace(/\([^)]*\)/g, " ");
  return outside.toLowerCase().split(/[^a-z_à-ú]+/).filter((w) => ENGLISH.has(w));
}

/**
 * Numbers written the US way in printed lines: a decimal point (0.527, 80.0) where pt-BR writes a
 * comma. A dot between groups of three digits is pt-BR's thousands mark (3.496.801) and passes;
 * paths, versions, identifiers and code calls such as denseBlock(512, 0.7) are left out.
 */
function usDecimals(text: string): string[] {
  const prose = text.replace(/\w+\([^()]*\)/g, " ");
  const numbers = prose.match(/(?<![\w./-])\d+(?:[.,]\d+)+(?![\w./-])/g) ?? [];
  return numbers.filter((n) => n.includes(".") && !/^[1-9]\d{0,2}(\.\d{3})+(,\d+)?$/.test(n));
}

/** A Markdown table printed as text: a pipe row followed by a |---| separator. */
function isMarkdownTable(text: string): boolean {
  return /^\s*\|.*\|\s*$/m.test(text) && /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$/m.test(text);
}

async function executed(): Promise<string[]> {
  const given = process.env.CNN_COURSE_TEXTBOOK_DIR;
  if (given) return NOTEBOOKS.map((n) => path.resolve(given, `${n}.ipynb`));
  const sources = NOTEBOOKS.map((n) => path.join(projectRoot(), "solutions", `${n}.ipynb`));
  const outDir = cacheDir("executed");
  const stale = sources.filter((nb) => needsRun(nb, executedPath(nb, outDir), readRunStatus(executedPath(nb, outDir)), false));
  if (stale.length) {
    log(`executing ${stale.map((s) => path.basename(s)).join(", ")} first (smoke preset)`);
    process.env.CNN_COURSE_PRESET = process.env.CNN_COURSE_PRESET ?? "smoke";
    const runs = await runNotebooks(stale, { jobs: 1, cellTimeoutSec: 600, totalTimeoutSec: 1200, outDir, log });
    assert.deepEqual(runs.filter((r) => !r.result.ok).map((r) => path.basename(r.notebook)), [], "09 and 10 run");
  }
  return sources.map((nb) => executedPath(nb, outDir));
}

describe("notebooks 09 and 10 read like a textbook, in Portuguese (JupyterLab output areas, Chromium)", function () {
  this.timeout(1_800_000);
  let browser: OfflineBrowser | null = null;
  let testPage: TestPage;
  let files: string[] = [];
  let glyphs: Set<number>;
  const reports = new Map<string, { charts: ChartText[]; matrices: MatrixInfo[]; outputs: OutputText[] }>();

  before(async function () {
    const font = dejavuSansMonoFile();
    const missing = [!chromiumAvailable() && `Chromium (${CHROMIUM}: apt-get install chromium)`,
      !findJupyterPython() && "Jupyter's nbclient (apt-get install python3-nbclient)",
      !font && "DejaVu Sans Mono (apt-get install fonts-dejavu-core)"].filter(Boolean);
    if (missing.length) {
      if (isCI()) throw new Error(`CI=true but the textbook test cannot run: missing ${missing.join(" and ")}`);
      log(`(skipped: missing ${missing.join(" and ")})`);
      this.skip();
    }
    glyphs = fontCodePoints(font!);
    log(`${font}: ${glyphs.size} code points in its cmap`);
    testPage = await buildTestPage();
    files = await executed();
    browser = await launchOfflineBrowser();
    for (const file of files) {
      const name = path.basename(file, ".ipynb");
      const page = await render(file);
      reports.set(name, await page.evaluate(PAGE_REPORT_JS));
      fs.mkdirSync(cacheDir("screenshots"), { recursive: true });
      const shot = path.join(cacheDir("screenshots"), `textbook-${name.slice(0, 2)}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      log(`screenshot: ${path.relative(projectRoot(), shot)}`);
      await page.close();
    }
  });

  after(async () => {
    await browser?.close();
  });

  async function render(file: string): Promise<Page> {
    const page = await browser!.context.newPage();
    await page.setViewportSize({ width: 1040, height: 900 });
    await page.goto(`file://${testPage.html}`);
    const nb = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
    await page.evaluate((n) => (window as unknown as { renderNotebook(n: unknown, t: boolean): Promise<number> }).renderNotebook(n, true), nb);
    const figures = (await chartReport(page)).figures;
    if (figures > 0) await waitForLiveCharts(page, figures);
    await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete), undefined, { timeout: 60_000 });
    return page;
  }

  for (const name of NOTEBOOKS) {
    const nn = name.slice(0, 2);
    it(`${nn}: every confusion matrix has category axes NORMAL/PNEUMONIA, a count in every cell, and is square`, () => {
      const { matrices } = reports.get(name)!;
      assert.ok(matrices.length >= (nn === "09" ? 1 : 2), `${nn} shows confusion matrices (found ${matrices.length})`);
      for (const m of matrices) {
        assert.deepEqual([m.xType, m.yType], ["category", "category"], `${m.where}: category axes`);
        assert.deepEqual([m.xCats, m.yCats], [["NORMAL", "PNEUMONIA"], ["NORMAL", "PNEUMONIA"]], `${m.where}: class names on both axes`);
        assert.equal(m.cellTexts.length, 4, `${m.where}: four cells`);
        for (const t of m.cellTexts) assert.match(t, /^\d[\d.]*<br>\d{1,3},\d%$/, `${m.where}: count and share in every cell, zeros too`);
        assert.ok(Math.abs(m.xLength - m.yLength) <= 2, `${m.where}: square (${m.xLength} x ${m.yLength} px)`);
      }
    });

    it(`${nn}: no output is a Markdown table printed as text; tables are HTML tables`, () => {
      const { outputs } = reports.get(name)!;
      assert.deepEqual(outputs.filter((o) => isMarkdownTable(o.text)).map((o) => `${o.where}: ${o.text.slice(0, 80)}`), []);
      assert.ok(outputs.some((o) => o.kind === "table"), `${nn} shows at least one HTML table`);
    });

    it(`${nn}: chart titles and axis labels are in Portuguese (Keras' names only in parentheses)`, () => {
      const { charts } = reports.get(name)!;
      assert.ok(charts.some((c) => c.text), `${nn} has chart titles`);
      assert.deepEqual(charts.filter((c) => englishWords(c.text).length).map((c) => `${c.where}: ${c.text}`), []);
    });

    it(`${nn}: printed lines use pt-BR decimals and only characters DejaVu Sans Mono has`, () => {
      const printed = reports.get(name)!.outputs.filter((o) => o.kind === "stream" || o.kind === "text");
      assert.ok(printed.length > 0, `${nn} prints lines`);
      assert.deepEqual(printed.filter((o) => usDecimals(o.text).length).map((o) => `${o.where}: ${usDecimals(o.text).join(" ")}`), []);
      assert.deepEqual(printed.map((o) => ({ where: o.where, missing: missingGlyphs(o.text, glyphs) })).filter((m) => m.missing.length), []);
    });
  }
});
