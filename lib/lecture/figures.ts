// Figures of the convolution lecture: small matrices side by side with their values
// written in the cells, and the sliding window shown step by step with a slider.
// They return plotly figures ({data, layout}); `show` from plots.ts draws them.
import { matrixShape, Matrix, Padding, resolvePads, windowAt, windowProductSum, zeroPad } from "./convolution";
import type { Figure, Trace } from "../view/plots";
import { formatValueBR } from "../common/format";
import { defaultColors, IMAGE_COLORS, MAP_COLORS } from "../view/chart/colorscale";
import { cellTitle, gridCells, subplotAxes } from "../view/chart/grid";

// The course's colours (images in greys, signed maps blue - white - red) and the one default rule.
export { IMAGE_COLORS, MAP_COLORS } from "../view/chart/colorscale";

export interface Panel {
  z: Matrix;
  title: string;
  /** Colour scale of this panel (default: defaultColors, as heatmap(): signed values blue - white - red centred on 0, others greys). */
  colors?: [number, string][];
  zmin?: number;
  zmax?: number;
}

export interface PanelOptions {
  title?: string;
  /** Decimals of the values written in the cells (default 2). */
  digits?: number;
  /** Write the values in the cells (default: when every panel is at most 15x15). */
  showValues?: boolean;
  /** Pixel size of one cell (default: fits the largest panel in ~260 px). */
  cellSize?: number;
  /** Panels per row (default: all in one row). */
  columns?: number;
}

/** Text of a cell value, in pt-BR: integers as they are, others rounded (-0,11). */
export function cellText(v: number | null, digits: number): string {
  if (v === null || Number.isNaN(v)) return "";
  return formatValueBR(v, digits);
}

/** A heatmap trace for panel `i` of a grid (rows from the top, values written when small). */
export function panelTrace(z: (number | null)[][], i: number, colors: [number, string][], zmin: number, zmax: number, digits: number, showValues: boolean): Trace {
  const trace: Trace = {
    type: "heatmap", z, xaxis: subplotAxes(i).x, yaxis: subplotAxes(i).y, colorscale: colors,
    zmin, zmax, showscale: false, xgap: 1, ygap: 1, hovertemplate: "linha %{y}, coluna %{x}: %{z}<extra></extra>",
  };
  if (showValues) {
    Object.assign(trace, { text: z.map((r) => r.map((v) => cellText(v, digits))), texttemplate: "%{text}", textfont: { size: 11 } });
  }
  return trace;
}

/**
 * Axis layout of a grid of panels with square cells of the same size in every panel
 * (a 3x3 filter looks small next to a 7x5 image, as it should), row 0 on top, one title
 * above each panel. Sizes are computed in pixels, then turned into axis domains.
 */
export function gridLayout(titles: string[], sizes: [number, number][], opts: PanelOptions): { [key: string]: unknown } {
  const maxCells = Math.max(...sizes.map(([r, c]) => Math.max(r, c)));
  const cell = opts.cellSize ?? Math.max(10, Math.min(40, Math.floor(260 / maxCells)));
  // Each slot is as wide as its widest panel or title (about 7 px per character).
  const grid = gridCells({
    sizes: sizes.map(([rows, cols]) => [cols * cell, rows * cell]), columns: opts.columns ?? titles.length,
    gapX: 30, gapY: 16, titleHeight: 26, minWidths: titles.map((t) => t.length * 7),
  });
  const margin = { l: 30, r: 10, t: opts.title ? 50 : 10, b: 30 };
  const layout: { [key: string]: unknown } = {
    title: opts.title ? { text: opts.title, font: { size: 15 } } : undefined,
    width: grid.width + margin.l + margin.r, height: grid.height + margin.t + margin.b, margin, showlegend: false,
    annotations: titles.map((title, i) => cellTitle(title, grid.cells[i], 12)),
  };
  grid.cells.forEach((c, i) => {
    const [rows, cols] = sizes[i];
    const axes = subplotAxes(i);
    layout[axes.xKey] = { domain: c.x, showgrid: false, zeroline: false, dtick: cols > 15 ? 5 : 1, anchor: axes.y, ticks: "", tickfont: { size: 9 } };
    layout[axes.yKey] = {
      domain: c.y, autorange: "reversed", showgrid: false, zeroline: false, dtick: rows > 15 ? 5 : 1, anchor: axes.x, ticks: "", tickfont: { size: 9 },
    };
  });
  return layout;
}

/** Several small matrices side by side (or in a grid), each with its own title. */
export function panels(list: Panel[], opts: PanelOptions = {}): Figure {
  if (list.length === 0) throw new Error("panels: passe ao menos um painel.");
  const sizes = list.map((p, i) => matrixShape(p.z, `painel ${i} (${p.title})`));
  const digits = opts.digits ?? 2;
  const showValues = opts.showValues ?? sizes.every(([r, c]) => r <= 15 && c <= 15);
  const data = list.map((p, i) => {
    const flat = p.z.flat();
    let zmin = p.zmin ?? Math.min(...flat), zmax = p.zmax ?? Math.max(...flat);
    const { colors, diverging } = defaultColors(zmin, zmax);
    // Signed values with no range given: symmetric around 0, so that white is 0 (as heatmap's zmid).
    if (diverging && p.zmin === undefined && p.zmax === undefined) [zmin, zmax] = [-Math.max(-zmin, zmax), Math.max(-zmin, zmax)];
    // A constant panel would get a zero-width colour range: widen it so it still draws.
    return panelTrace(p.z, i, p.colors ?? colors, zmin, zmax === zmin ? zmin + 1 : zmax, digits, showValues);
  });
  return { data, layout: gridLayout(list.map((p) => p.title), sizes, opts) };
}

/** One stop of the sliding window. */
export interface ConvolutionStep {
  /** Output position. */
  row: number;
  col: number;
  /** Top-left corner of the window in the padded image. */
  top: number;
  left: number;
  window: Matrix;
  products: Matrix;
  /** Sum of the products (the reference value). */
  sum: number;
  /** What the given window function returned (the student's, in the notebooks). */
  value: number;
}

/** value(paddedImage, kernel, top, left): the number a window gives (default: sum of products). */
export type WindowFunction = (image: Matrix, kernel: Matrix, row: number, col: number) => number;

/** Every stop of the window, in reading order, with the value `windowValue` gives there. */
export function convolutionSteps(image: Matrix, kernel: Matrix, stride = 1, padding: Padding = 0, windowValue: WindowFunction = windowProductSum): { padded: Matrix; steps: ConvolutionStep[] } {
  const [rows, cols] = matrixShape(image, "imagem");
  const [kRows, kCols] = matrixShape(kernel, "filtro");
  const padded = zeroPad(image, resolvePads(rows, cols, kRows, kCols, stride, padding));
  const outRows = Math.floor((padded.length - kRows) / stride) + 1, outCols = Math.floor((padded[0].length - kCols) / stride) + 1;
  if (outRows < 1 || outCols < 1) throw new Error(`o filtro ${kRows}x${kCols} não cabe na imagem ${padded.length}x${padded[0].length}.`);
  const steps: ConvolutionStep[] = [];
  for (let i = 0; i < outRows; i++) {
    for (let j = 0; j < outCols; j++) {
      const [top, left] = [i * stride, j * stride];
      const window = windowAt(padded, top, left, kRows, kCols);
      const products = window.map((r, a) => r.map((v, b) => v * kernel[a][b]));
      steps.push({ row: i, col: j, top, left, window, products, sum: products.flat().reduce((s, v) => s + v, 0), value: windowValue(padded, kernel, top, left) });
    }
  }
  return { padded, steps };
}

export interface StepsOptions {
  stride?: number;
  padding?: Padding;
  /** The function that computes one window (the student's); default: sum of products. */
  windowValue?: WindowFunction;
  /** The map shows value / divisor (the lecture divides by 9). Default 1. */
  divisor?: number;
  title?: string;
}

/**
 * The window sliding over the image, one slider step per output cell: the image with the
 * window outlined, the elementwise products, and the feature map filled so far. Each value
 * comes from `windowValue`; a value that differs from the sum of products is flagged.
 */
export function convolutionStepsFigure(image: Matrix, kernel: Matrix, opts: StepsOptions = {}): Figure {
  const stride = opts.stride ?? 1, divisor = opts.divisor ?? 1;
  const { padded, steps } = convolutionSteps(image, kernel, stride, opts.padding ?? 0, opts.windowValue ?? windowProductSum);
  const [kRows, kCols] = [kernel.length, kernel[0].length];
  const outRows = steps[steps.length - 1].row + 1, outCols = steps[steps.length - 1].col + 1;
  const pmax = Math.max(1, ...steps.flatMap((s) => s.products.flat().map(Math.abs)));
  const mapValues = steps.map((s) => s.value / divisor);
  const mmax = Math.max(1e-9, ...mapValues.map(Math.abs).filter(Number.isFinite));
  const imageFlat = padded.flat();
  const data: Trace[] = [panelTrace(padded, 0, IMAGE_COLORS, Math.min(...imageFlat, -1), Math.max(...imageFlat, 1), 2, true)];
  const productTraces: Trace[] = [], mapTraces: Trace[] = [];
  const filled: (number | null)[][] = Array.from({ length: outRows }, () => new Array<number | null>(outCols).fill(null));
  steps.forEach((s, k) => {
    filled[s.row][s.col] = s.value / divisor;
    productTraces.push({ ...panelTrace(s.products, 1, MAP_COLORS, -pmax, pmax, 2, true), visible: k === 0 });
    mapTraces.push({ ...panelTrace(filled.map((r) => r.slice()), 2, MAP_COLORS, -mmax, mmax, 2, true), visible: k === 0 });
  });
  data.push(...productTraces, ...mapTraces);
  const layout = gridLayout(["imagem" + (padded.length !== image.length || padded[0].length !== image[0].length ? " (com zeros em volta)" : ""), "produtos elemento a elemento", "mapa de características"],
    [[padded.length, padded[0].length], [kRows, kCols], [outRows, outCols]], { cellSize: Math.max(18, Math.min(34, Math.floor(300 / Math.max(padded.length, padded[0].length)))) });
  const n = steps.length;
  const rect = (s: ConvolutionStep) => ({
    type: "rect", xref: "x", yref: "y", x0: s.left - 0.5, x1: s.left + kCols - 0.5, y0: s.top - 0.5, y1: s.top + kRows - 0.5,
    line: { color: "#e08214", width: 4 },
  });
  const stepTitle = (s: ConvolutionStep, k: number): string => {
    const shown = divisor === 1 ? cellText(s.value, 2) : `${cellText(s.value, 2)} / ${divisor} = ${cellText(s.value / divisor, 2)}`;
    const flag = Math.abs(s.value - s.sum) > 1e-9 ? ` ⚠ a soma dos produtos é ${cellText(s.sum, 2)}!` : "";
    return `${opts.title ? opts.title + " — " : ""}janela ${k + 1}/${n}: saída [${s.row}][${s.col}] = ${shown}${flag}`;
  };
  layout.shapes = [rect(steps[0])];
  layout.title = { text: stepTitle(steps[0], 0), font: { size: 14 } };
  // Room for the step title above and the slider below.
  const margin = layout.margin as { l: number; r: number; t: number; b: number };
  // Widening goes to the right margin, so the cells stay square.
  const extra = Math.max(0, 560 - (layout.width as number));
  layout.height = (layout.height as number) - margin.t - margin.b + 60 + 100;
  layout.margin = { ...margin, t: 60, b: 100, r: margin.r + extra };
  layout.width = (layout.width as number) + extra;
  layout.sliders = [{
    active: 0, pad: { t: 30 }, currentvalue: { prefix: "janela ", font: { size: 12 } },
    steps: steps.map((s, k) => ({
      label: String(k + 1), method: "update",
      args: [
        { visible: [true, ...steps.map((_, m) => m === k), ...steps.map((_, m) => m === k)] },
        { shapes: [rect(s)], "title.text": stepTitle(s, k) },
      ],
    })),
  }];
  return { data, layout };
}
