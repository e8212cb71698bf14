// Every chart of the course: small builders that return a plotly figure
// ({data, layout}) and one `show` that puts it on the page. Plotly.js comes from
// node_modules (no CDN), so the course works offline.
import * as fs from "fs";
import { showHtml } from "./display";

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
