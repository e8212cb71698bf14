// What the browser test does and reads in the classic Notebook page (Notebook 6) and in
// any page holding course charts: run all cells, wait for the kernel, inspect the charts.
import { Page } from "playwright-core";

interface JupyterGlobal {
  notebook?: {
    kernel?: { is_connected(): boolean } | null;
    trusted?: boolean;
    save_notebook(): Promise<unknown>;
  };
}
type JupyterWindow = Window & { Jupyter?: JupyterGlobal };

/** Waits until the notebook is loaded and its kernel connected and idle. */
export async function waitForKernel(page: Page, timeoutMs = 90000): Promise<void> {
  await page.waitForFunction(() => {
    const nb = (window as JupyterWindow).Jupyter?.notebook;
    const icon = document.querySelector("#kernel_indicator_icon");
    return !!nb?.kernel?.is_connected() && !!icon?.classList.contains("kernel_idle_icon");
  }, undefined, { timeout: timeoutMs, polling: 250 });
}

/** Cell → Run All, through the menus as a student would. */
export async function runAllCells(page: Page): Promise<void> {
  await page.click("li.dropdown:has(> ul#cell_menu) > a.dropdown-toggle");
  await page.click("#run_all_cells > a");
}

/** Waits until every code cell has run (a number in its prompt) and the kernel is idle. */
export async function waitForAllCells(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(() => {
    const prompts = Array.from(document.querySelectorAll(".code_cell .input_prompt")).map((p) => p.textContent ?? "");
    const icon = document.querySelector("#kernel_indicator_icon");
    return prompts.length > 0 && prompts.every((p) => /\[\d+\]/.test(p)) && !!icon?.classList.contains("kernel_idle_icon");
  }, undefined, { timeout: timeoutMs, polling: 500 });
}

export async function saveNotebook(page: Page): Promise<void> {
  await page.evaluate(async () => { await (window as JupyterWindow).Jupyter?.notebook?.save_notebook(); });
}

export async function isTrusted(page: Page): Promise<boolean | undefined> {
  return page.evaluate(() => (window as JupyterWindow).Jupyter?.notebook?.trusted);
}

/** Error outputs, and stderr outputs that read as tslab errors ("Error: ...", "1:7 - Type ..."). */
export async function cellErrors(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const errors = Array.from(document.querySelectorAll(".output_error")).map((e) => (e.textContent ?? "").slice(0, 300));
    for (const e of Array.from(document.querySelectorAll(".output_stderr"))) {
      const t = e.textContent ?? "";
      if (/^\s*\w*(Error|Exception)\b|^\d+:\d+ - /m.test(t)) errors.push(t.slice(0, 300));
    }
    return errors;
  });
}

export interface ChartReport {
  /** Charts (course figure blocks) on the page. */
  figures: number;
  /** Of them, drawn by plotly: plotly's main <svg> present with non-zero size. */
  drawnLive: number;
  /** Of them, showing the static picture: decoded, visible, non-zero size. */
  staticVisible: number;
  /** Figures neither drawn nor showing their picture. */
  blank: number;
}

// Page-side code as text: functions compiled by tsx carry helper calls (__name) that
// do not exist in the page.
const CHART_REPORT_JS = `(() => {
  const visible = (el) => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.display !== "none" && s.visibility !== "hidden";
  };
  const figs = Array.from(document.querySelectorAll(".cnn-course-figure"));
  let drawnLive = 0, staticVisible = 0, blank = 0;
  for (const f of figs) {
    const svgs = Array.from(f.querySelectorAll(".js-plotly-plot svg.main-svg"));
    const live = svgs.length > 0 && svgs.every(visible);
    const img = f.querySelector("img.cnn-course-static");
    const pic = !!img && img.complete && img.naturalWidth > 0 && visible(img);
    if (live) drawnLive++;
    if (pic) staticVisible++;
    if (!live && !pic) blank++;
  }
  return { figures: figs.length, drawnLive, staticVisible, blank };
})()`;

/** Counts the course charts on a page and how each one is shown. */
export async function chartReport(page: Page): Promise<ChartReport> {
  return page.evaluate<ChartReport>(CHART_REPORT_JS);
}

/** Waits until `count` charts are drawn by plotly (plotly draws asynchronously). */
export async function waitForLiveCharts(page: Page, count: number, timeoutMs = 120_000): Promise<void> {
  await page.waitForFunction((n) => document.querySelectorAll(".cnn-course-figure .js-plotly-plot svg.main-svg").length > 0 &&
    Array.from(document.querySelectorAll(".cnn-course-figure")).filter((f) => f.querySelector(".js-plotly-plot svg.main-svg")).length >= n,
  count, { timeout: timeoutMs, polling: 250 });
}

/** Lets the classic Notebook's scrolling panel grow so a full-page screenshot shows every cell. */
export async function unscrollNotebook(page: Page): Promise<void> {
  await page.addStyleTag({ content: "html, body, #site { height: auto !important; overflow: visible !important; } #header { position: static !important; }" });
}

/** Waits until `count` chart blocks are on the page and every static picture is decoded. */
export async function waitForStaticCharts(page: Page, count: number, timeoutMs = 120_000): Promise<void> {
  await page.waitForFunction((n) => {
    const imgs = Array.from(document.querySelectorAll(".cnn-course-figure img.cnn-course-static")) as HTMLImageElement[];
    return imgs.length >= n && imgs.every((i) => i.complete);
  }, count, { timeout: timeoutMs, polling: 250 });
}
