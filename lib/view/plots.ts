// Every chart of the course: small builders that return a plotly figure ({data, layout})
// and one `show` that puts it on the page.
//
// Why each chart is shown the way it is (issue 7: charts that always show):
// - tslab sends one MIME type per display call and plain JupyterLab has no renderer for
//   application/vnd.plotly.v1+json, so a chart is HTML: a bundle {text/html, text/plain}
//   sent through display.ts.
// - Untrusted notebooks (reopened from disk, received from someone else) lose every
//   <script> and every inline <svg>, but JupyterLab's and Notebook's sanitizers keep
//   <img src="data:...">. So the HTML holds a static SVG picture of the same figure, drawn
//   here on the server by chart/svg.ts, as an <img>, plus a script that replaces it with
//   the interactive plotly chart wherever scripts run (live kernel, trusted reopen,
//   nbconvert HTML export). The text/plain part says what the chart is for text viewers.
// - No CDN: plotly.js is the minified bundle from node_modules (4.8 MB), sent ONCE per
//   kernel as its own output just before the first chart (a loader script that defines
//   window.Plotly); charts rendered before it arrives queue themselves. On reopen the
//   loader output is still in the notebook, so trusted notebooks and HTML exports draw
//   live charts offline too; if it was cleared, the static pictures remain.
//   CNN_COURSE_CHARTS=static sends only the pictures (small files, e.g. for grading runs).
// - Live charts during training (`liveChart`) update one output in place (display ids).
import * as fs from "fs";
import * as path from "path";
import { assertFigure, Figure, figureTitle, Trace } from "./chart/figure";
import { figureHtml, plotlyLoaderHtml } from "./chart/html";
import { ImageInput, pngDataUri, toRgba } from "./chart/image";
import { defaultColors } from "./chart/colorscale";
import { cellTitle, gridCells, subplotAxes } from "./chart/grid";
import { figureToSvg } from "./chart/svg";
import { canDisplayRich, createUpdatableDisplay, displayBundle, MimeBundle } from "./display";
import { formatValueBR } from "../common/format";
import { platform } from "../common/platform";

export type { Figure, Trace } from "./chart/figure";
export type { GrayImage, ImageInput, PixelImage } from "./chart/image";
export { figureToSvg } from "./chart/svg";

export interface HeatmapOptions {
  title?: string;
  /** Write each cell's value (small matrices). Default: true up to 15x15. */
  showValues?: boolean;
  digits?: number;
  /**
   * A plotly colorscale name or stops. Default (the same as panels()): blue (negative) -
   * white - red (positive) centred on 0 when the matrix has both signs, else white (low) to dark (high).
   */
  colorscale?: string | [number, string][];
  /** Reverse the given colorscale. */
  reverse?: boolean;
  zmin?: number;
  zmax?: number;
  width?: number;
  height?: number;
  /** Axis titles. */
  xTitle?: string;
  yTitle?: string;
}

/** A matrix as a heatmap, row 0 at the top, values written in the cells for small ones. */
export function heatmap(z: number[][], opts: HeatmapOptions = {}): Figure {
  if (!Array.isArray(z) || z.length === 0 || !Array.isArray(z[0])) throw new Error("heatmap: esperava uma matriz number[][] com pelo menos uma linha");
  const rows = z.length, cols = z[0].length;
  if (z.some((r) => !Array.isArray(r) || r.length !== cols)) throw new Error(`heatmap: todas as linhas devem ter ${cols} valores`);
  const showValues = opts.showValues ?? (rows <= 15 && cols <= 15);
  const digits = opts.digits ?? 2;
  const text = z.map((r) => r.map((v) => formatValueBR(v, digits)));
  let lo = Infinity, hi = -Infinity;
  for (const r of z) for (const v of r) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const { colors, diverging } = defaultColors(lo, hi);
  const trace: Trace = {
    type: "heatmap", z, colorscale: opts.colorscale ?? colors,
    reversescale: opts.reverse ?? false, showscale: true,
  };
  if (opts.zmin !== undefined) trace.zmin = opts.zmin;
  if (opts.zmax !== undefined) trace.zmax = opts.zmax;
  if (diverging && opts.zmin === undefined && opts.zmax === undefined && opts.colorscale === undefined) trace.zmid = 0;
  if (showValues) Object.assign(trace, { text, texttemplate: "%{text}", hoverinfo: "x+y+z" });
  const cell = Math.max(18, Math.min(50, Math.floor(400 / Math.max(rows, cols, 1))));
  return {
    data: [trace],
    layout: {
      title: opts.title ? { text: opts.title } : undefined,
      // wide enough for the x title too (about 7 px per character at 12 px), or it is cut at the left
      width: opts.width ?? Math.max(cols * cell + 160, (opts.xTitle?.length ?? 0) * 7 + 120), height: opts.height ?? rows * cell + 110 + (opts.xTitle ? 20 : 0),
      yaxis: { autorange: "reversed", scaleanchor: "x", constrain: "domain", title: { text: opts.yTitle ?? "" } },
      xaxis: { constrain: "domain", title: { text: opts.xTitle ?? "" } },
      margin: { l: opts.yTitle ? 60 : 40, r: 40, t: opts.title ? 50 : 20, b: opts.xTitle ? 60 : 40 },
    },
  };
}

export interface Series { name: string; x?: number[]; y: number[] }

export interface LineChartOptions { title?: string; xTitle?: string; yTitle?: string; width?: number; height?: number }

/** Curves (losses, accuracies) against epochs or steps. */
export function lineChart(series: Series[], opts: LineChartOptions = {}): Figure {
  const xs = series.map((s) => s.x ?? s.y.map((_, i) => i + 1));
  return {
    data: series.map((s, i) => ({ type: "scatter", mode: "lines+markers", name: s.name, x: xs[i], y: s.y })),
    layout: {
      title: opts.title ? { text: opts.title } : undefined, width: opts.width ?? 640, height: opts.height ?? 380,
      xaxis: { title: { text: opts.xTitle ?? "" }, ...integerTicks(xs.flat()) }, yaxis: { title: { text: opts.yTitle ?? "" } },
    },
  };
}

/** One tick per integer when x holds a few whole numbers (epochs 1..n, not 1, 1.5, 2...). */
function integerTicks(xs: number[]): { dtick?: number } {
  if (xs.length === 0 || !xs.every(Number.isInteger)) return {};
  const span = Math.max(...xs) - Math.min(...xs);
  return span <= 12 ? { dtick: 1 } : {};
}

export interface BarSeries { name: string; values: number[] }

/** Bars per category (one color per series, grouped side by side). */
export function barChart(categories: string[], series: BarSeries[] | number[], opts: LineChartOptions & { showValues?: boolean; digits?: number } = {}): Figure {
  const list: BarSeries[] = typeof series[0] === "number" ? [{ name: "", values: series as number[] }] : (series as BarSeries[]);
  for (const s of list) {
    if (s.values.length !== categories.length) throw new Error(`barChart: a série "${s.name}" tem ${s.values.length} valores para ${categories.length} categorias`);
  }
  const digits = opts.digits ?? 3;
  return {
    data: list.map((s) => ({
      type: "bar", name: s.name, x: categories, y: s.values,
      ...(opts.showValues ? { text: s.values.map((v) => formatValueBR(v, digits)), textposition: "outside" } : {}),
    })),
    layout: {
      title: opts.title ? { text: opts.title } : undefined, width: opts.width ?? 640, height: opts.height ?? 380,
      xaxis: { title: { text: opts.xTitle ?? "" } }, yaxis: { title: { text: opts.yTitle ?? "" } }, showlegend: list.length > 1,
    },
  };
}

/** Portuguese titles of Keras' metrics, with Keras' name beside them. */
export const METRIC_TITLES: Readonly<Record<string, string>> = {
  loss: "perda (loss)", binary_accuracy: "acurácia (binary_accuracy)", accuracy: "acurácia (accuracy)",
  precision: "precisão (precision)", recall: "revocação (recall)", auc: "área sob a curva ROC (auc)",
};

/** The title of a metric's panel: its Portuguese name with Keras' beside it, or the name as given. */
export function metricTitle(metric: string): string {
  return METRIC_TITLES[metric] ?? metric;
}

export interface HistoryChartOptions { title?: string; metrics?: string[]; columns?: number; width?: number; height?: number }

/**
 * Widest chart the builders make (px): JupyterLab's output area and the site's content column
 * are about 900-1000 px wide, so wider charts would hide panels behind a scroll bar.
 */
export const MAX_CHART_WIDTH = 900;
const HISTORY_CELL_WIDTH = 330, HISTORY_SIDE = 120;

/** Panels per row: the requested number, wrapped so the chart stays within MAX_CHART_WIDTH. */
export function historyColumns(panels: number, requested = 2): number {
  const fit = Math.max(1, Math.floor((MAX_CHART_WIDTH - HISTORY_SIDE) / HISTORY_CELL_WIDTH));
  return Math.max(1, Math.min(panels, Math.floor(requested), fit));
}

/**
 * Training curves as Keras' `history.history` holds them ({loss: [...], val_loss: [...], ...}):
 * one small chart per metric with the training and validation curves (legend: treino,
 * validação), epochs from 1. Panels wrap onto more rows when `columns` would not fit.
 */
export function historyChart(history: Record<string, number[]>, opts: HistoryChartOptions = {}): Figure {
  const metrics = opts.metrics ?? Object.keys(history).filter((k) => !k.startsWith("val_"));
  if (metrics.length === 0) throw new Error("historyChart: o histórico não tem métricas (esperava chaves como loss, val_loss)");
  const columns = historyColumns(metrics.length, opts.columns ?? 2);
  const rows = Math.ceil(metrics.length / columns);
  const margin = { l: 60, r: 110, t: opts.title ? 70 : 40, b: 50 };
  const width = opts.width ?? columns * HISTORY_CELL_WIDTH + HISTORY_SIDE, height = opts.height ?? rows * 230 + (opts.title ? 100 : 60);
  // Gaps of 8% (across) and 12% (down) of the plot area; the metric's name sits in the gap above its chart.
  const plotW = width - margin.l - margin.r, plotH = height - margin.t - margin.b;
  const gapX = 0.08 * plotW, gapY = 0.12 * plotH;
  const cellW = (plotW - gapX * (columns - 1)) / columns, cellH = (plotH - gapY * (rows - 1)) / rows;
  const grid = gridCells({ sizes: metrics.map((): [number, number] => [cellW, cellH]), columns, gapX, gapY, titleHeight: 0 });
  const epochs = Math.max(0, ...Object.values(history).map((v) => v.length));
  const data: Trace[] = [];
  const layout: { [key: string]: unknown } = {
    title: opts.title ? { text: opts.title } : undefined, width, height, margin, showlegend: true,
    annotations: metrics.map((metric, i) => cellTitle(metricTitle(metric), grid.cells[i], 13)),
  };
  metrics.forEach((metric, i) => {
    const axes = subplotAxes(i), cell = grid.cells[i];
    const lastRow = Math.floor(i / columns) === rows - 1;
    layout[axes.xKey] = { domain: cell.x, anchor: axes.y, title: { text: lastRow ? "época" : "" }, ...(epochs <= 12 ? { dtick: 1 } : {}) };
    layout[axes.yKey] = { domain: cell.y, anchor: axes.x };
    const series: [string, string, string][] = [[metric, "treino", "#1f77b4"], [`val_${metric}`, "validação", "#ff7f0e"]];
    for (const [key, name, color] of series) {
      const y = history[key];
      if (!y) continue;
      data.push({ type: "scatter", mode: "lines+markers", name, x: y.map((_, e) => e + 1), y, xaxis: axes.x, yaxis: axes.y,
        line: { color }, marker: { color }, legendgroup: name, showlegend: i === 0 });
    }
  });
  return { data, layout };
}

export interface ImageGridOptions {
  /** One title per image, written above it. */
  titles?: string[];
  /** Images per row (default: up to 5). */
  columns?: number;
  /** Title of the whole grid. */
  title?: string;
  /** Size in pixels of each image's box (default 160). */
  cellSize?: number;
  /** Values mapped to black..white (default: [0,1], [0,255] or each image's min..max). */
  range?: [number, number];
}

/** Images side by side (grayscale matrices or RGB pixels), each with its title, `columns` per row. */
export function imageGrid(images: readonly ImageInput[], opts: ImageGridOptions = {}): Figure {
  if (!Array.isArray(images) || images.length === 0) throw new Error("imageGrid: passe uma lista com pelo menos uma imagem");
  if (opts.titles && opts.titles.length !== images.length) {
    throw new Error(`imageGrid: ${opts.titles.length} títulos para ${images.length} imagens (passe um título por imagem)`);
  }
  const cell = opts.cellSize ?? 160;
  const grid = gridCells({ sizes: images.map((): [number, number] => [cell, cell]), columns: Math.floor(opts.columns ?? 5),
    gapX: 12, gapY: 12, titleHeight: opts.titles ? 22 : 0 });
  const margin = { l: 10, r: 10, t: opts.title ? 50 : 10, b: 10 };
  const data: Trace[] = [];
  const layout: { [key: string]: unknown } = {
    title: opts.title ? { text: opts.title } : undefined,
    width: grid.width + margin.l + margin.r, height: grid.height + margin.t + margin.b, margin, showlegend: false,
  };
  images.forEach((img, i) => {
    const axes = subplotAxes(i), c = grid.cells[i];
    data.push({ type: "image", source: pngDataUri(toRgba(img, opts.range, i)), xaxis: axes.x, yaxis: axes.y, hoverinfo: "x+y+color" });
    layout[axes.xKey] = { domain: c.x, visible: false, anchor: axes.y, constrain: "domain" };
    layout[axes.yKey] = { domain: c.y, visible: false, anchor: axes.x, scaleanchor: axes.x, constrain: "domain", autorange: "reversed" };
  });
  if (opts.titles) layout.annotations = opts.titles.map((t, i) => cellTitle(t, grid.cells[i], 13));
  return { data, layout };
}

/** "interactive" (plotly + static picture, default) or "static" (pictures only): CNN_COURSE_CHARTS. */
export function chartMode(): "interactive" | "static" {
  return process.env.CNN_COURSE_CHARTS === "static" ? "static" : "interactive";
}

let plotlySent = false;

/** Sends plotly.js to the notebook once per kernel, as its own output (see the top of this file). */
function ensurePlotlyLoaded(): void {
  if (plotlySent || chartMode() === "static") return;
  if (displayBundle({ "text/html": plotlyLoaderHtml(), "text/plain": "" })) plotlySent = true;
}

const KIND_NAMES: Record<string, string> = { heatmap: "mapa de calor", image: "imagens", scatter: "curvas", bar: "barras", histogram: "histograma" };

/** The figure's title, or what kind of chart it is (for text-only views). */
function describeFigure(fig: Figure): string {
  const type = String(fig.data[0]?.type ?? "scatter");
  return figureTitle(fig) || KIND_NAMES[type] || type;
}

/**
 * The figure with Brazilian number marks (plotly `separators: ",."`: 0,5 on the axes, 3.496
 * in hover labels) unless it sets its own; the static picture follows the same setting.
 */
export function withBrazilianSeparators(fig: Figure): Figure {
  return fig.layout.separators === undefined ? { ...fig, layout: { ...fig.layout, separators: ",." } } : fig;
}

/** The display bundle of a chart: HTML (static picture + live chart) and a text line. */
export function chartBundle(figure: Figure): MimeBundle {
  assertFigure(figure);
  const fig = withBrazilianSeparators(figure);
  const id = `cnn-course-fig-${platform().randomHex(6)}`;
  return {
    "text/html": figureHtml(fig, figureToSvg(fig), id, { interactive: chartMode() === "interactive" }),
    "text/plain": `[gráfico: ${describeFigure(fig)}]`,
  };
}

/** Renders a figure in the notebook (interactive plotly, with a static picture where scripts don't run). */
export function show(fig: Figure): void {
  assertFigure(fig);
  if (!canDisplayRich()) {
    console.log(`[gráfico: ${describeFigure(fig)}]`);
    return;
  }
  ensurePlotlyLoaded();
  const bundle = chartBundle(fig);
  if (!displayBundle(bundle)) console.log(bundle["text/plain"]);
}

export interface LiveChart {
  /** Replaces the chart with `fig` (e.g. the curves of the epochs so far). */
  update(fig: Figure): void;
}

/**
 * A chart that stays in one place and is redrawn on each `update` — call it at each epoch end.
 * Outside a notebook it draws nothing, but can keep an SVG file up to date (`svgFile`).
 */
export function liveChart(opts: { svgFile?: string } = {}): LiveChart {
  const display = createUpdatableDisplay();
  return {
    update(fig: Figure): void {
      assertFigure(fig);
      if (opts.svgFile) {
        fs.mkdirSync(path.dirname(path.resolve(opts.svgFile)), { recursive: true });
        fs.writeFileSync(opts.svgFile, figureToSvg(fig));
      }
      if (!canDisplayRich()) return;
      ensurePlotlyLoaded();
      display.show(chartBundle(fig));
    },
  };
}

/** Forgets that plotly.js was sent (tests; a new kernel starts that way). */
export function forgetPlotlyLoader(): void {
  plotlySent = false;
}
