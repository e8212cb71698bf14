// Every chart of the course: small builders that return a plotly figure
// ({data, layout}) and one `show` that puts it on the page. Plotly.js comes from
// node_modules (no CDN), so the course works offline.
import * as fs from "fs";
import { ImageInput, pngDataUri, toRgba } from "./chart/image";
import { showHtml } from "./display";

export type { GrayImage, ImageInput, PixelImage } from "./chart/image";

export interface Trace { [key: string]: unknown }
export interface Figure { data: Trace[]; layout: { [key: string]: unknown } }

export interface HeatmapOptions {
  title?: string;
  /** Write each cell's value (small matrices). Default: true up to 15x15. */
  showValues?: boolean;
  digits?: number;
  colorscale?: string | [number, string][];
  zmin?: number;
  zmax?: number;
  width?: number;
  height?: number;
}

/** A matrix as a heatmap, row 0 at the top, values written in the cells for small ones. */
export function heatmap(z: number[][], opts: HeatmapOptions = {}): Figure {
  const rows = z.length, cols = rows ? z[0].length : 0;
  const showValues = opts.showValues ?? (rows <= 15 && cols <= 15);
  const digits = opts.digits ?? 2;
  const text = z.map((r) => r.map((v) => (Number.isInteger(v) ? String(v) : v.toFixed(digits))));
  const trace: Trace = {
    type: "heatmap", z, colorscale: opts.colorscale ?? "RdBu", reversescale: true,
    zmin: opts.zmin, zmax: opts.zmax, showscale: true,
  };
  if (showValues) Object.assign(trace, { text, texttemplate: "%{text}", hoverinfo: "z" });
  const cell = Math.max(18, Math.min(50, Math.floor(400 / Math.max(rows, cols, 1))));
  return {
    data: [trace],
    layout: {
      title: opts.title ? { text: opts.title } : undefined,
      width: opts.width ?? cols * cell + 160, height: opts.height ?? rows * cell + 110,
      yaxis: { autorange: "reversed", scaleanchor: "x", constrain: "domain" },
      xaxis: { constrain: "domain" }, margin: { l: 40, r: 40, t: opts.title ? 50 : 20, b: 40 },
    },
  };
}

export interface Series { name: string; x?: number[]; y: number[] }

/** Curves (losses, accuracies) against epochs or steps. */
export function lineChart(series: Series[], opts: { title?: string; xTitle?: string; yTitle?: string; width?: number; height?: number } = {}): Figure {
  return {
    data: series.map((s) => ({ type: "scatter", mode: "lines+markers", name: s.name, x: s.x ?? s.y.map((_, i) => i + 1), y: s.y })),
    layout: {
      title: opts.title ? { text: opts.title } : undefined, width: opts.width ?? 640, height: opts.height ?? 380,
      xaxis: { title: { text: opts.xTitle ?? "" } }, yaxis: { title: { text: opts.yTitle ?? "" } },
    },
  };
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
  const n = images.length;
  const columns = Math.max(1, Math.min(n, Math.floor(opts.columns ?? 5)));
  const rows = Math.ceil(n / columns);
  const cell = opts.cellSize ?? 160, gap = 12, titleH = opts.titles ? 22 : 0;
  const margin = { l: 10, r: 10, t: opts.title ? 50 : 10, b: 10 };
  const plotW = columns * cell + (columns - 1) * gap, plotH = rows * (cell + titleH) + (rows - 1) * gap;
  const data: Trace[] = [];
  const layout: { [key: string]: unknown } = {
    title: opts.title ? { text: opts.title } : undefined,
    width: plotW + margin.l + margin.r, height: plotH + margin.t + margin.b, margin, showlegend: false,
  };
  const annotations: unknown[] = [];
  images.forEach((img, i) => {
    const r = Math.floor(i / columns), c = i % columns, k = i === 0 ? "" : String(i + 1);
    const x0 = (c * (cell + gap)) / plotW, x1 = (c * (cell + gap) + cell) / plotW;
    const yTop = 1 - (r * (cell + titleH + gap) + titleH) / plotH, yBottom = yTop - cell / plotH;
    const rgba = toRgba(img, opts.range, i);
    data.push({ type: "image", source: pngDataUri(rgba), xaxis: `x${k}`, yaxis: `y${k}`, hoverinfo: "x+y+color" });
    layout[`xaxis${k}`] = { domain: [x0, x1], visible: false, anchor: `y${k}`, constrain: "domain" };
    layout[`yaxis${k}`] = { domain: [Math.max(0, yBottom), Math.min(1, yTop)], visible: false, anchor: `x${k}`,
      scaleanchor: `x${k}`, constrain: "domain", autorange: "reversed" };
    if (opts.titles) {
      annotations.push({ text: opts.titles[i], xref: "paper", yref: "paper", x: (x0 + x1) / 2, y: Math.min(1, yTop),
        xanchor: "center", yanchor: "bottom", showarrow: false, font: { size: 13 } });
    }
  });
  if (annotations.length) layout.annotations = annotations;
  return { data, layout };
}

let figureCounter = 0;
let plotlyScriptSent = false;

function plotlySource(): string {
  return fs.readFileSync(require.resolve("plotly.js-dist"), "utf8");
}

/** Renders a figure in the notebook (interactive plotly). */
export function show(fig: Figure): void {
  const id = `cnn-course-fig-${process.pid}-${++figureCounter}`;
  const loader = plotlyScriptSent ? "" : `<script>${plotlySource()}</script>`;
  plotlyScriptSent = true;
  const html = `${loader}<div id="${id}"></div><script>Plotly.newPlot(${JSON.stringify(id)}, ${JSON.stringify(fig.data)}, ${JSON.stringify(fig.layout)}, {responsive: true});</script>`;
  showHtml(html, `[gráfico: ${String((fig.layout.title as { text?: string } | undefined)?.text ?? fig.data[0]?.type ?? "figura")}]`);
}
