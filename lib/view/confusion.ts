// The confusion matrix as a textbook draws it: the class names on both axes ("real" down the
// side, "previsto" along the bottom), every cell with its count and its share of the real
// class (so the diagonal reads as specificity and recall), drawn even when it is zero, square.
import { formatBR, formatPercentBR } from "../common/format";
import { Figure, Trace } from "./chart/figure";

/** The pneumonia notebooks' classes, label 0 then label 1. */
export const BINARY_CLASSES: readonly string[] = ["NORMAL", "PNEUMONIA"];

/** Light blue (0% of the real class) to dark blue (100%): a zero cell still shows as a cell. */
const SHARE_COLORS: [number, string][] = [[0, "#eef3fa"], [1, "#08519c"]];

export interface ConfusionChartOptions {
  title?: string;
  /** Class names, row/column 0 first (default NORMAL, PNEUMONIA). */
  classes?: readonly string[];
  /** Side of the square grid in pixels (default 300). */
  size?: number;
}

function assertMatrix(matrix: number[][], classes: readonly string[]): void {
  const n = classes.length;
  if (!Array.isArray(matrix) || matrix.length !== n || matrix.some((r) => !Array.isArray(r) || r.length !== n)) {
    throw new Error(`matriz de confusão: esperava ${n}x${n} (linhas = classe real, colunas = prevista: ${classes.join(", ")}), recebi ${JSON.stringify(matrix)}`);
  }
  if (matrix.flat().some((v) => !Number.isInteger(v) || v < 0)) throw new Error(`matriz de confusão: as células são contagens (inteiros ≥ 0), recebi ${JSON.stringify(matrix)}`);
}

/** The line under a matrix that says what its cells hold. */
export function cellNote(x: number, plotHeight: number): Record<string, unknown> {
  return {
    text: "em cada célula: contagem e % da classe real (linha)", xref: "paper", yref: "paper", x, y: -62 / plotHeight,
    xanchor: "center", yanchor: "top", showarrow: false, font: { size: 11, color: "#555" },
  };
}

/** Each cell's share of its row (the real class); 0 for an empty row. */
export function rowShares(matrix: number[][]): number[][] {
  return matrix.map((row) => {
    const total = row.reduce((s, v) => s + v, 0);
    return row.map((v) => (total === 0 ? 0 : v / total));
  });
}

/** The heatmap trace of one matrix on axes `x`/`y` ("x", "x2"...): colour = share of the row, text = count and share. */
export function confusionTrace(matrix: number[][], classes: readonly string[] = BINARY_CLASSES, axes: { x?: string; y?: string } = {}): Trace {
  assertMatrix(matrix, classes);
  const shares = rowShares(matrix);
  return {
    type: "heatmap", z: shares, x: [...classes], y: [...classes], xaxis: axes.x ?? "x", yaxis: axes.y ?? "y",
    zmin: 0, zmax: 1, colorscale: SHARE_COLORS, showscale: false,
    text: matrix.map((row, r) => row.map((v, c) => `${formatBR(v)}<br>${formatPercentBR(shares[r][c])}`)),
    texttemplate: "%{text}", textfont: { size: 15 },
    customdata: matrix, hovertemplate: "real %{y}, previsto %{x}: %{customdata} (%{z:.1%} da classe real)<extra></extra>",
  };
}

/** Category axes for a matrix: x "previsto" at the bottom, y "real" top-down, one cell = one unit on both (square). */
export function confusionAxes(xKey: string, yKey: string, opts: { domain?: [number, number]; yTitle?: boolean } = {}): Record<string, unknown> {
  const y = yKey.replace("axis", "");
  const x = xKey.replace("axis", "");
  return {
    [xKey]: { type: "category", title: { text: "previsto" }, anchor: y, constrain: "domain", ...(opts.domain ? { domain: opts.domain } : {}) },
    [yKey]: { type: "category", title: { text: opts.yTitle === false ? "" : "real" }, anchor: x, autorange: "reversed", scaleanchor: x, constrain: "domain" },
  };
}

/**
 * A confusion matrix ([[TN, FP], [FN, TP]] for two classes: rows = real class, columns =
 * predicted) as a square heatmap with the class names on both axes and, in every cell, its
 * count and its share of the real class.
 */
export function confusionMatrixChart(matrix: number[][], opts: ConfusionChartOptions = {}): Figure {
  const classes = opts.classes ?? BINARY_CLASSES;
  const side = opts.size ?? 300;
  const margin = { l: 120, r: 30, t: opts.title ? 60 : 30, b: 90 };
  return {
    data: [confusionTrace(matrix, classes)],
    layout: {
      title: opts.title ? { text: opts.title } : undefined, width: side + margin.l + margin.r, height: side + margin.t + margin.b, margin,
      ...confusionAxes("xaxis", "yaxis"),
      annotations: [cellNote(0.5, side)],
    },
  };
}
