// A small server-side renderer of plotly figures to SVG, for every place where plotly.js
// cannot run (untrusted notebooks, exports read without JavaScript, text-only tools).
// It draws the trace types the course uses — heatmap (with the values written in the
// cells), scatter (lines, markers, text), bar, histogram and image — with their axes,
// subplots (axis domains, scaleanchor), titles, legends, colorbars, annotations and
// rectangles/lines from layout.shapes. Anything else gets a note instead of a crash.
import { colorAt, ColorStop, contrastText, parseColor, resolveColorscale, Rgb, rgbString } from "./colorscale";
import { Figure, figureTitle, Trace } from "./figure";
import { pngDataUri, toRgba } from "./image";
import { formatNumber } from "../../common/format";
import { platform } from "../../common/platform";

type Obj = { [key: string]: unknown };
type Range = [number, number];

const FONT = "'Open Sans', verdana, arial, sans-serif";
const TEXT_COLOR = "#444";
/** plotly.js's default colorway: trace i gets color i. */
export const COLORWAY = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
/** Heatmaps with more cells than this become one embedded PNG instead of one <rect> per cell. */
const MAX_HEATMAP_RECTS = 2500;
/** Heatmap texttemplate placeholders: the cell's text, or its value ("%{z}", "%{z:.2f}"...). */
const TEXT_PLACEHOLDER = "%{text}";
const Z_PLACEHOLDER = "%{z";

function obj(v: unknown): Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {};
}
function num(v: unknown, fallback: number): number {
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
}
function str(v: unknown, fallback = ""): string {
  return typeof v === "string" ? v : fallback;
}
function arr(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  return [];
}
function isNum(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** XML-escapes text and drops plotly's inline HTML tags (<b>, <br>...). */
export function escapeXml(text: string): string {
  return text.replace(/<br\s*\/?>/gi, " ").replace(/<[^>]*>/g, "")
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function fmt(v: number): string {
  return formatNumber(v, 2, true);
}

function text(x: number, y: number, content: string, opts: { size?: number; anchor?: "start" | "middle" | "end"; color?: string; baseline?: string; rotate?: number; weight?: string } = {}): string {
  const rot = opts.rotate ? ` transform="rotate(${opts.rotate} ${fmt(x)} ${fmt(y)})"` : "";
  return `<text x="${fmt(x)}" y="${fmt(y)}" font-size="${opts.size ?? 12}" text-anchor="${opts.anchor ?? "middle"}"` +
    ` dominant-baseline="${opts.baseline ?? "central"}" fill="${opts.color ?? TEXT_COLOR}"${opts.weight ? ` font-weight="${opts.weight}"` : ""}${rot}>${escapeXml(content)}</text>`;
}

/** Rough text width in pixels (no font metrics on the server; good enough to reserve space). */
function textWidth(s: string, size = 12): number {
  return s.length * size * 0.6;
}

/** "Nice" tick values (1, 2, 5 x 10^k steps) covering [lo, hi], about `count` of them. */
export function niceTicks(lo: number, hi: number, count: number, integerOnly = false): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  let step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  if (integerOnly) step = Math.max(1, Math.round(step));
  const first = Math.ceil(lo / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v <= hi + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return ticks;
}

/** A numeric tick label with as many decimals as the step needs; `separators` as plotly's (",." writes 0,5 and 1.000). */
function tickLabel(v: number, ticks: number[], separators = ".,"): string {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 1;
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return withSeparators(v.toFixed(decimals), separators);
}

/** "1234.5" written with plotly's `separators` (decimal mark, then thousands mark; thousands only from 10,000 as plotly does). */
export function withSeparators(fixed: string, separators = ".,"): string {
  if (separators === ".,") return fixed; // the figure did not ask: as before, no grouping
  const [decimal = ".", thousands = ","] = [...separators];
  const [int, frac] = fixed.split(".");
  const digits = int.replace("-", "");
  const grouped = digits.length > 4 ? digits.replace(/\B(?=(\d{3})+$)/g, thousands) : digits;
  return (int.startsWith("-") ? "-" : "") + grouped + (frac !== undefined ? decimal + frac : "");
}

interface Axis {
  id: string; // "x", "x2", "y"...
  letter: "x" | "y";
  layout: Obj;
  domain: Range;
  range: Range;
  reversed: boolean;
  visible: boolean;
  categories: string[] | null;
  /** type "log": positions are log10 of the values (plotly's convention, ranges too). */
  log: boolean;
  integerOnly: boolean;
  /** Pixel positions of the domain ends (left→right for x, bottom→top for y). */
  px: Range;
  extent: Range | null;
}

function axisKey(id: string): string {
  return id.replace(/^([xy])(\d*)$/, (_, l: string, n: string) => `${l}axis${n}`);
}

function toPixel(a: Axis, v: number): number {
  const [r0, r1] = a.reversed ? [a.range[1], a.range[0]] : a.range;
  const f = r1 === r0 ? 0.5 : (v - r0) / (r1 - r0);
  return a.letter === "x" ? a.px[0] + f * (a.px[1] - a.px[0]) : a.px[0] - f * (a.px[0] - a.px[1]);
}

/** Position on an axis: numbers as they are, strings as the index of their category. */
function position(a: Axis, v: unknown): number | null {
  if (typeof v === "string" && a.categories) return a.categories.indexOf(v);
  if (isNum(v) && a.categories) return a.categories.indexOf(String(v));
  const n = isNum(v) ? v : typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : null;
  if (n === null) return null;
  if (a.log) return n > 0 ? Math.log10(n) : null;
  return n;
}

/** Ticks of a log axis: every power of ten, with 2 and 5 between them when there are few decades. */
function logTicks(lo: number, hi: number, separators?: string): { v: number; label: string }[] {
  const ticks: { v: number; label: string }[] = [];
  const few = hi - lo < 3;
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
    for (const m of few ? [1, 2, 5] : [1]) {
      const v = e + Math.log10(m);
      if (v >= lo - 1e-9 && v <= hi + 1e-9) ticks.push({ v, label: withSeparators(String(Number((m * Math.pow(10, e)).toPrecision(6))), separators) });
    }
  }
  return ticks;
}

function grow(a: Axis, lo: number, hi: number): void {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return;
  a.extent = a.extent ? [Math.min(a.extent[0], lo), Math.max(a.extent[1], hi)] : [lo, hi];
}

function traceType(t: Trace): string {
  return str(t.type, "scatter");
}

interface PngSize { width: number; height: number }

/** Width and height from a PNG data URI's IHDR chunk (bytes 16-23 of the file). */
function pngSize(dataUri: string): PngSize | null {
  const comma = dataUri.indexOf(",");
  if (!dataUri.startsWith("data:image/png;base64,") || comma < 0) return null;
  const head = platform().fromBase64(dataUri.slice(comma + 1, comma + 1 + 32));
  if (head.length < 24) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function imageSource(t: Trace): { uri: string; size: PngSize } | null {
  if (typeof t.source === "string") {
    const size = pngSize(t.source);
    return size ? { uri: t.source, size } : null;
  }
  const z = arr(t.z) as unknown[][];
  if (!z.length || !Array.isArray(z[0])) return null;
  const height = z.length, width = z[0].length;
  const pixels: number[] = [];
  for (const row of z) for (const px of row as unknown[]) { const p = arr(px).map(Number); pixels.push(p[0] ?? 0, p[1] ?? 0, p[2] ?? 0); }
  return { uri: pngDataUri(toRgba({ pixels, width, height, channels: 3 }, [0, 255])), size: { width, height } };
}

interface HeatmapData { z: (number | null)[][]; rows: number; cols: number; zmin: number; zmax: number }

function heatmapData(t: Trace): HeatmapData {
  const z = arr(t.z).map((r) => arr(r).map((v) => (isNum(v) ? v : null)));
  const rows = z.length, cols = z.reduce((m, r) => Math.max(m, r.length), 0);
  let lo = Infinity, hi = -Infinity;
  for (const r of z) for (const v of r) if (v !== null) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
  let zmin = num(t.zmin, lo), zmax = num(t.zmax, hi);
  if (isNum(t.zmid) && !isNum(t.zmin) && !isNum(t.zmax)) {
    const half = Math.max(Math.abs(hi - t.zmid), Math.abs(t.zmid - lo));
    zmin = t.zmid - half; zmax = t.zmid + half;
  }
  if (zmax === zmin) { zmin -= 0.5; zmax += 0.5; }
  return { z, rows, cols, zmin, zmax };
}

/** Centers of heatmap columns (or rows): given coordinates, x0 + i*dx, or 0..n-1. */
function heatmapCenters(coords: unknown, start: unknown, step: unknown, n: number, a: Axis): number[] {
  const given = arr(coords);
  if (given.length >= n) return given.slice(0, n).map((v, i) => position(a, v) ?? i);
  return Array.from({ length: n }, (_, i) => num(start, 0) + i * num(step, 1));
}

function cellEdges(centers: number[]): number[] {
  if (centers.length === 1) return [centers[0] - 0.5, centers[0] + 0.5];
  const edges = [centers[0] - (centers[1] - centers[0]) / 2];
  for (let i = 0; i < centers.length - 1; i++) edges.push((centers[i] + centers[i + 1]) / 2);
  edges.push(centers[centers.length - 1] + (centers[centers.length - 1] - centers[centers.length - 2]) / 2);
  return edges;
}

function histogramBins(values: number[], nbins: number): { centers: number[]; counts: number[]; width: number } {
  const lo = Math.min(...values), hi = Math.max(...values);
  const n = Math.max(1, nbins > 0 ? nbins : Math.ceil(Math.log2(values.length) + 1));
  const width = hi > lo ? (hi - lo) / n : 1;
  const counts = new Array<number>(n).fill(0);
  for (const v of values) counts[Math.min(n - 1, Math.floor((v - lo) / width))]++;
  return { centers: counts.map((_, i) => lo + (i + 0.5) * width), counts, width };
}

function dashArray(dash: unknown): string {
  const d = str(dash);
  return d === "dash" ? ` stroke-dasharray="6,4"` : d === "dot" ? ` stroke-dasharray="2,3"` : d === "dashdot" ? ` stroke-dasharray="6,3,2,3"` : "";
}

/** The figure's canvas: size, margins, the plot area, and what takes room on the right. */
interface Frame {
  W: number;
  H: number;
  margin: { l: number; r: number; t: number; b: number };
  plot: { x0: number; x1: number; y0: number; y1: number };
  traces: Trace[];
  colorbarTrace: Trace | undefined;
  colorbarWidth: number;
  legendTraces: Trace[];
  showLegend: boolean;
}

/** What the drawing steps share: the figure, its frame and axes, and the SVG being written. */
interface Render {
  fig: Figure;
  layout: Obj;
  frame: Frame;
  axes: Map<string, Axis>;
  /** The axis with this id (created from the layout on first use). */
  axis: (id: string, letter: "x" | "y") => Axis;
  xOf: (t: Trace) => Axis;
  yOf: (t: Trace) => Axis;
  out: string[];
  defs: string[];
}

function figureFrame(fig: Figure): Frame {
  const layout = fig.layout;
  const W = num(layout.width, 700), H = num(layout.height, 450);
  const m = obj(layout.margin);
  const margin = { l: num(m.l, 80), r: num(m.r, 80), t: num(m.t, 100), b: num(m.b, 80) };
  const traces = fig.data.filter((t) => t.visible !== false && t.visible !== "legendonly");
  // Space on the right for a colorbar and a legend (plotly grows the margin for them too).
  const colorbarTrace = traces.find((t) => traceType(t) === "heatmap" && t.showscale !== false);
  const legendTraces = traces.filter((t) => ["scatter", "bar", "histogram"].includes(traceType(t)) && t.showlegend !== false);
  const showLegend = layout.showlegend === true || (layout.showlegend !== false && legendTraces.length > 1);
  const legendWidth = showLegend ? 40 + Math.max(...legendTraces.map((t, i) => textWidth(str(t.name, `trace ${i}`)))) : 0;
  const colorbarWidth = colorbarTrace ? 70 : 0;
  const right = Math.max(margin.r, colorbarWidth + legendWidth + 10);
  const plot = { x0: margin.l, x1: Math.max(margin.l + 20, W - right), y0: margin.t, y1: Math.max(margin.t + 20, H - margin.b) };
  return { W, H, margin, plot, traces, colorbarTrace, colorbarWidth, legendTraces, showLegend };
}

function newRender(fig: Figure): Render {
  const layout = fig.layout;
  const axes = new Map<string, Axis>();
  const axis = (id: string, letter: "x" | "y"): Axis => {
    let a = axes.get(id);
    if (!a) {
      const lay = obj(layout[axisKey(id)]);
      const d = arr(lay.domain).map(Number);
      a = { id, letter, layout: lay, domain: d.length === 2 && d.every(Number.isFinite) ? [d[0], d[1]] : [0, 1],
        range: [0, 1], reversed: lay.autorange === "reversed", visible: lay.visible !== false, categories: null,
        log: lay.type === "log", integerOnly: true, px: [0, 0], extent: null };
      axes.set(id, a);
    }
    return a;
  };
  return {
    fig, layout, frame: figureFrame(fig), axes, axis, out: [], defs: [],
    xOf: (t) => axis(str(t.xaxis, "x"), "x"), yOf: (t) => axis(str(t.yaxis, "y"), "y"),
  };
}

function addCategories(a: Axis, values: unknown[]): void {
  if (!values.some((v) => typeof v === "string" && !Number.isFinite(Number(v)))) return;
  a.categories = a.categories ?? [];
  for (const v of values) if (!a.categories.includes(String(v))) a.categories.push(String(v));
}

/** Grows the trace's axes to its data; `padded` collects the axes that get plotly's 5% padding. */
function growAxesToTrace(r: Render, t: Trace, padded: Set<string>): void {
  const type = traceType(t), xa = r.xOf(t), ya = r.yOf(t);
  if (type === "heatmap") {
    const h = heatmapData(t);
    addCategories(xa, arr(t.x)); addCategories(ya, arr(t.y));
    const xs = cellEdges(heatmapCenters(t.x, t.x0, t.dx, Math.max(1, h.cols), xa));
    const ys = cellEdges(heatmapCenters(t.y, t.y0, t.dy, Math.max(1, h.rows), ya));
    grow(xa, xs[0], xs[xs.length - 1]); grow(ya, ys[0], ys[ys.length - 1]);
  } else if (type === "image") {
    const src = imageSource(t);
    if (src) {
      grow(xa, num(t.x0, 0) - 0.5, num(t.x0, 0) + src.size.width - 0.5);
      grow(ya, num(t.y0, 0) - 0.5, num(t.y0, 0) + src.size.height - 0.5);
      if (ya.layout.autorange === undefined) ya.reversed = true;
    }
  } else if (type === "scatter" || type === "bar") {
    growAxesToPoints(t, type, xa, ya, padded);
  } else if (type === "histogram") {
    const vals = arr(t.x).filter(isNum);
    if (vals.length) {
      const b = histogramBins(vals, num(t.nbinsx, 0));
      grow(xa, b.centers[0] - b.width / 2, b.centers[b.centers.length - 1] + b.width / 2);
      grow(ya, 0, Math.max(...b.counts));
      xa.integerOnly = false; padded.add(ya.id);
    }
  }
}

function growAxesToPoints(t: Trace, type: "scatter" | "bar", xa: Axis, ya: Axis, padded: Set<string>): void {
  const horizontal = type === "bar" && t.orientation === "h";
  const ys = arr(t.y), xs = t.x !== undefined ? arr(t.x) : (horizontal ? arr(t.x) : ys.map((_, i) => i));
  const [cat, val] = horizontal ? [ya, xa] : [xa, ya];
  const catValues = horizontal ? (t.y !== undefined ? ys : xs.map((_, i) => i)) : xs;
  const valValues = horizontal ? xs : ys;
  addCategories(cat, catValues);
  const cs = catValues.map((v) => position(cat, v)).filter(isNum);
  const vs = valValues.map((v) => position(val, v)).filter(isNum);
  if (cs.length) grow(cat, Math.min(...cs) - (type === "bar" ? 0.5 : 0), Math.max(...cs) + (type === "bar" ? 0.5 : 0));
  if (vs.length) grow(val, Math.min(...vs, type === "bar" ? 0 : Infinity), Math.max(...vs, type === "bar" ? 0 : -Infinity));
  if (!cs.every(Number.isInteger)) cat.integerOnly = false;
  val.integerOnly = false;
  padded.add(val.id);
  if (type === "scatter") padded.add(cat.id);
}

/** Ranges: the layout's, or the data extent (lines and bars get plotly-like 5% padding). */
function setRanges(axes: Iterable<Axis>, padded: Set<string>): void {
  for (const a of axes) {
    const given = arr(a.layout.range).map(Number);
    if (given.length === 2 && given.every(Number.isFinite)) {
      a.range = given[0] <= given[1] ? [given[0], given[1]] : [given[1], given[0]];
      if (given[0] > given[1]) a.reversed = true;
      continue;
    }
    let [lo, hi] = a.extent ?? [0, 1];
    if (hi === lo) { lo -= 1; hi += 1; }
    if (padded.has(a.id)) {
      const pad = (hi - lo) * 0.05;
      lo = lo === 0 && !a.categories && !a.log ? 0 : lo - pad;
      hi += pad;
    }
    a.range = [lo, hi];
  }
}

/** Pixel boxes from domains; scaleanchor shrinks one axis so both have the same scale. */
function placeAxes(axes: Map<string, Axis>, plot: Frame["plot"]): void {
  const pw = plot.x1 - plot.x0, ph = plot.y1 - plot.y0;
  for (const a of axes.values()) {
    a.px = a.letter === "x" ? [plot.x0 + a.domain[0] * pw, plot.x0 + a.domain[1] * pw] : [plot.y1 - a.domain[0] * ph, plot.y1 - a.domain[1] * ph];
  }
  for (const a of axes.values()) {
    const anchorId = str(a.layout.scaleanchor);
    const b = anchorId ? axes.get(anchorId) : undefined;
    if (!b || b === a) continue;
    const ratio = num(a.layout.scaleratio, 1);
    const len = (x: Axis): number => Math.abs(x.px[1] - x.px[0]);
    const span = (x: Axis): number => x.range[1] - x.range[0];
    const unit = Math.min(len(a) / (span(a) * ratio), len(b) / span(b));
    for (const [ax, u] of [[a, unit * ratio], [b, unit]] as [Axis, number][]) {
      const want = span(ax) * u, have = len(ax);
      if (want < have - 0.01) {
        const mid = (ax.px[0] + ax.px[1]) / 2, dir = Math.sign(ax.px[1] - ax.px[0]);
        ax.px = [mid - (dir * want) / 2, mid + (dir * want) / 2];
      }
    }
  }
}

/** The ticks of an axis: given tickvals, categories, decades, a dtick, or nice steps for its length. */
function axisTicks(a: Axis, separators?: string): { v: number; label: string }[] {
  const lenPx = Math.abs(a.px[1] - a.px[0]);
  const tickvals = arr(a.layout.tickvals);
  if (tickvals.length) {
    const ticktext = arr(a.layout.ticktext);
    return tickvals.map((v, i) => ({ v: position(a, v) ?? 0, label: String(ticktext[i] ?? v) }));
  }
  if (a.categories) {
    const every = Math.max(1, Math.ceil(a.categories.length / Math.max(1, lenPx / (a.letter === "x" ? 40 : 18))));
    return a.categories.map((c, i) => ({ v: i, label: c })).filter((_, i) => i % every === 0);
  }
  if (a.log) return logTicks(a.range[0], a.range[1], separators);
  let vals: number[];
  if (isNum(a.layout.dtick) && a.layout.dtick > 0 && (a.range[1] - a.range[0]) / a.layout.dtick <= 50) {
    const step = a.layout.dtick;
    vals = [];
    for (let v = Math.ceil(a.range[0] / step) * step; v <= a.range[1] + 1e-9; v += step) vals.push(Number(v.toPrecision(12)));
  } else {
    // Index axes of small heatmaps get every row/column number (students count cells).
    const small = a.integerOnly && a.range[1] - a.range[0] <= 16 && lenPx / (a.range[1] - a.range[0]) >= 14;
    vals = small ? niceTicks(a.range[0], a.range[1], Math.ceil(a.range[1] - a.range[0]), true)
      : niceTicks(a.range[0], a.range[1], Math.max(2, Math.floor(lenPx / (a.letter === "x" ? 80 : 50))), a.integerOnly);
  }
  return vals.map((v) => ({ v, label: tickLabel(v, vals, separators) }));
}

/** Grid lines, tick labels and the title of each visible axis. */
function drawAxes(r: Render): void {
  const { plot } = r.frame;
  for (const a of r.axes.values()) {
    if (!a.visible) continue;
    const other = r.axes.get(str(a.layout.anchor, a.letter === "x" ? "y" : "x")) ?? [...r.axes.values()].find((o) => o.letter !== a.letter);
    const cross = other ? other.px : (a.letter === "x" ? [plot.y1, plot.y0] as Range : [plot.x0, plot.x1] as Range);
    const ticks = axisTicks(a, str(r.layout.separators, ".,"));
    const showGrid = a.layout.showgrid !== false && !a.categories &&
      !r.frame.traces.some((t) => ["heatmap", "image"].includes(traceType(t)) && (r.xOf(t) === a || r.yOf(t) === a));
    for (const { v, label } of ticks) {
      const p = toPixel(a, v);
      if (a.letter === "x") {
        if (showGrid) r.out.push(`<line x1="${fmt(p)}" x2="${fmt(p)}" y1="${fmt(cross[0])}" y2="${fmt(cross[1])}" stroke="#eee"/>`);
        r.out.push(text(p, cross[0] + 12, label));
      } else {
        if (showGrid) r.out.push(`<line x1="${fmt(cross[0])}" x2="${fmt(cross[1])}" y1="${fmt(p)}" y2="${fmt(p)}" stroke="${v === 0 && !a.log ? "#444" : "#eee"}"/>`);
        r.out.push(text(cross[0] - 6, p, label, { anchor: "end" }));
      }
    }
    const title = str(obj(a.layout.title).text, str(a.layout.title));
    if (!title) continue;
    if (a.letter === "x") r.out.push(text((a.px[0] + a.px[1]) / 2, cross[0] + 34, title, { size: 13 }));
    else {
      const labelW = Math.max(...ticks.map((t) => textWidth(t.label)), 10);
      r.out.push(text(cross[0] - labelW - 18, (a.px[0] + a.px[1]) / 2, title, { size: 13, rotate: -90 }));
    }
  }
}

/** The colour stops of a heatmap trace (plotly's defaults when it names none). */
function heatmapStops(t: Trace, h: HeatmapData): ColorStop[] {
  const defaultScale = h.zmin < 0 && h.zmax > 0 ? "RdBu" : "Viridis";
  return resolveColorscale(t.colorscale ?? defaultScale, t.reversescale === true);
}

/** A large heatmap as one embedded PNG, one pixel per cell. */
function heatmapImage(h: HeatmapData, xs: number[], ys: number[], colorOf: (v: number) => Rgb): string {
  const rgba = new Uint8Array(h.rows * h.cols * 4);
  // Row 0 of the PNG is the top of the picture: the row drawn highest.
  const topFirst = ys[0] > ys[ys.length - 1];
  for (let r = 0; r < h.rows; r++) for (let c = 0; c < h.cols; c++) {
    const v = h.z[topFirst ? h.rows - 1 - r : r][c] ?? null;
    const k = 4 * (r * h.cols + c);
    if (v === null) continue;
    const [cr, cg, cb] = colorOf(v);
    rgba[k] = cr; rgba[k + 1] = cg; rgba[k + 2] = cb; rgba[k + 3] = 255;
  }
  const x = Math.min(xs[0], xs[xs.length - 1]), y = Math.min(ys[0], ys[ys.length - 1]);
  const leftFirst = xs[0] <= xs[xs.length - 1];
  const flip = leftFirst ? "" : ` transform="translate(${fmt(2 * x + Math.abs(xs[xs.length - 1] - xs[0]))} 0) scale(-1 1)"`;
  return `<image x="${fmt(x)}" y="${fmt(y)}" width="${fmt(Math.abs(xs[xs.length - 1] - xs[0]))}" height="${fmt(Math.abs(ys[ys.length - 1] - ys[0]))}" preserveAspectRatio="none" image-rendering="optimizeSpeed" style="image-rendering:pixelated"${flip} href="${pngDataUri({ rgba, width: h.cols, height: h.rows })}"/>`;
}

/** A heatmap: one rect per cell with its value written in it, or one PNG when it is large. False: nothing to draw. */
function drawHeatmap(t: Trace, xa: Axis, ya: Axis, g: string[]): boolean {
  const h = heatmapData(t);
  if (h.rows === 0 || h.cols === 0) return false;
  const stops = heatmapStops(t, h);
  const xs = cellEdges(heatmapCenters(t.x, t.x0, t.dx, h.cols, xa)).map((v) => toPixel(xa, v));
  const ys = cellEdges(heatmapCenters(t.y, t.y0, t.dy, h.rows, ya)).map((v) => toPixel(ya, v));
  const colorOf = (v: number): Rgb => colorAt(stops, (v - h.zmin) / (h.zmax - h.zmin));
  if (h.rows * h.cols > MAX_HEATMAP_RECTS) {
    g.push(heatmapImage(h, xs, ys, colorOf));
    return true;
  }
  const texts = arr(t.text).map(arr);
  const template = str(t.texttemplate);
  const fontSize = Math.max(7, Math.min(13, Math.min(Math.abs(xs[1] - xs[0]), Math.abs(ys[1] - ys[0])) / 3.2));
  for (let r = 0; r < h.rows; r++) for (let c = 0; c < h.cols; c++) {
    const v = h.z[r][c];
    if (v === null || v === undefined) continue;
    const rgb = colorOf(v);
    const x = Math.min(xs[c], xs[c + 1]), y = Math.min(ys[r], ys[r + 1]);
    const w = Math.abs(xs[c + 1] - xs[c]), hh = Math.abs(ys[r + 1] - ys[r]);
    g.push(`<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(w + 0.3)}" height="${fmt(hh + 0.3)}" fill="${rgbString(rgb)}"/>`);
    const label = template.includes(TEXT_PLACEHOLDER) ? String(texts[r]?.[c] ?? "") : template.includes(Z_PLACEHOLDER) ? fmt(v) : "";
    if (label) g.push(text(x + w / 2, y + hh / 2, label, { size: fontSize, color: contrastText(rgb) }));
  }
  return true;
}

/** An image trace as one embedded PNG. False: no picture in the trace. */
function drawImage(t: Trace, xa: Axis, ya: Axis, g: string[]): boolean {
  const src = imageSource(t);
  if (!src) return false;
  const xs = [toPixel(xa, num(t.x0, 0) - 0.5), toPixel(xa, num(t.x0, 0) + src.size.width - 0.5)];
  const ys = [toPixel(ya, num(t.y0, 0) - 0.5), toPixel(ya, num(t.y0, 0) + src.size.height - 0.5)];
  g.push(`<image x="${fmt(Math.min(...xs))}" y="${fmt(Math.min(...ys))}" width="${fmt(Math.abs(xs[1] - xs[0]))}" height="${fmt(Math.abs(ys[1] - ys[0]))}" preserveAspectRatio="none" image-rendering="optimizeSpeed" style="image-rendering:pixelated" href="${src.uri}"/>`);
  return true;
}

/** Lines, markers and text labels of a scatter trace. */
function drawScatter(t: Trace, xa: Axis, ya: Axis, color: string, g: string[]): void {
  const ys = arr(t.y), xs = t.x !== undefined ? arr(t.x) : ys.map((_, i) => i);
  const pts = ys.map((y, i) => {
    const px = position(xa, xs[i]), py = position(ya, y);
    return px === null || py === null ? null : [toPixel(xa, px), toPixel(ya, py)] as [number, number];
  });
  const mode = str(t.mode, ys.length < 20 ? "lines+markers" : "lines");
  const width = num(obj(t.line).width, 2);
  if (mode.includes("lines")) {
    let d = "", pen = false;
    for (const p of pts) {
      if (!p) { pen = false; continue; }
      d += `${pen ? "L" : "M"}${fmt(p[0])},${fmt(p[1])}`;
      pen = true;
    }
    if (d) g.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="${width}"${dashArray(obj(t.line).dash)}/>`);
  }
  if (mode.includes("markers")) {
    const mcolor = str(obj(t.marker).color, color), r = num(obj(t.marker).size, 6) / 2;
    for (const p of pts) if (p) g.push(`<circle cx="${fmt(p[0])}" cy="${fmt(p[1])}" r="${fmt(r)}" fill="${mcolor}"/>`);
  }
  if (mode.includes("text")) {
    const labels = arr(t.text);
    pts.forEach((p, i) => { if (p && labels[i] !== undefined) g.push(text(p[0], p[1] - 10, String(labels[i]))); });
  }
}

/** Bars of the figure so far, by category, for stacking (barmode "stack"/"relative"). */
type StackBase = Map<string, number>;

/** Category positions, values and the full bar width of a bar or histogram trace. */
function barValues(t: Trace, ca: Axis, va: Axis, horizontal: boolean): { cats: number[]; vals: number[]; width: number } {
  if (traceType(t) === "histogram") {
    const b = histogramBins(arr(t.x).filter(isNum), num(t.nbinsx, 0));
    return { cats: b.centers, vals: b.counts, width: b.width };
  }
  const rawVals = arr(horizontal ? t.x : t.y);
  const rawCats = arr(horizontal ? t.y : t.x);
  return { cats: rawVals.map((_, i) => position(ca, rawCats.length ? rawCats[i] : i) ?? i), vals: rawVals.map((v) => position(va, v) ?? 0), width: 0.8 };
}

/** The bars of a bar or histogram trace (grouped side by side, stacked or overlaid), with their text labels unclipped. */
function drawBars(r: Render, t: Trace, color: string, stackBase: StackBase, g: string[], labels: string[]): void {
  const type = traceType(t), xa = r.xOf(t), ya = r.yOf(t);
  const horizontal = type === "bar" && t.orientation === "h";
  const [ca, va] = horizontal ? [ya, xa] : [xa, ya];
  const { cats, vals, width } = barValues(t, ca, va, horizontal);
  const barmode = str(r.layout.barmode, "group");
  const stacked = barmode === "stack" || barmode === "relative";
  const bars = r.frame.traces.filter((b) => traceType(b) === "bar");
  const group = type === "bar" && !stacked && barmode !== "overlay" ? bars.filter((b) => r.xOf(b) === xa && r.yOf(b) === ya) : [t];
  const slot = Math.max(0, group.indexOf(t)), slots = Math.max(1, group.length);
  const bw = width / slots;
  const colors = arr(obj(t.marker).color);
  const barTexts = arr(t.text);
  cats.forEach((c, i) => {
    const key = `${ca.id}:${c}`;
    const base = stacked ? stackBase.get(key) ?? 0 : 0;
    if (stacked) stackBase.set(key, base + vals[i]);
    const c0 = type === "histogram" ? c - width / 2 : c - width / 2 + slot * bw;
    const p0 = toPixel(ca, c0), p1 = toPixel(ca, c0 + bw);
    const v0 = toPixel(va, base), v1 = toPixel(va, base + vals[i]);
    const fill = typeof colors[i] === "string" ? String(colors[i]) : color;
    const [x, y, w, h] = horizontal
      ? [Math.min(v0, v1), Math.min(p0, p1), Math.abs(v1 - v0), Math.abs(p1 - p0)]
      : [Math.min(p0, p1), Math.min(v0, v1), Math.abs(p1 - p0), Math.abs(v1 - v0)];
    g.push(`<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(w)}" height="${fmt(h)}" fill="${fill}"${type === "histogram" ? ` stroke="#fff" stroke-width="0.5"` : ""}/>`);
    if (barTexts[i] !== undefined) {
      labels.push(horizontal ? text(x + w + 4, y + h / 2, String(barTexts[i]), { anchor: "start" }) : text(x + w / 2, y - 8, String(barTexts[i])));
    }
  });
}

/** The colour of trace i: its line's, its marker's, or plotly's colorway. */
function traceColor(t: Trace, traceIndex: number): string {
  return str(obj(t.line).color, str(obj(t.marker).color, COLORWAY[traceIndex % COLORWAY.length]));
}

/** Every visible trace in figure order, each clipped to its subplot. */
function drawTraces(r: Render): void {
  const clipIds = new Map<string, string>();
  const clipFor = (xa: Axis, ya: Axis): string => {
    const key = `${xa.id}${ya.id}`;
    let id = clipIds.get(key);
    if (!id) {
      id = `clip-${key}`;
      clipIds.set(key, id);
      const x = Math.min(...xa.px), y = Math.min(...ya.px);
      r.defs.push(`<clipPath id="${id}"><rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(Math.abs(xa.px[1] - xa.px[0]))}" height="${fmt(Math.abs(ya.px[1] - ya.px[0]))}"/></clipPath>`);
    }
    return id;
  };
  const stackBase: StackBase = new Map();
  r.fig.data.forEach((t, traceIndex) => {
    if (!r.frame.traces.includes(t)) return;
    const type = traceType(t), xa = r.xOf(t), ya = r.yOf(t);
    const color = traceColor(t, traceIndex);
    const g: string[] = [];
    const labels: string[] = []; // drawn unclipped (bar values above the tallest bar)
    if (type === "heatmap") {
      if (!drawHeatmap(t, xa, ya, g)) return;
    } else if (type === "image") {
      if (!drawImage(t, xa, ya, g)) return;
    } else if (type === "scatter") drawScatter(t, xa, ya, color, g);
    else if (type === "bar" || type === "histogram") drawBars(r, t, color, stackBase, g, labels);
    else {
      const cx = (xa.px[0] + xa.px[1]) / 2, cy = (ya.px[0] + ya.px[1]) / 2;
      g.push(text(cx, cy, `(gráfico "${type}": sem versão estática; abra o notebook com JavaScript para vê-lo)`, { color: "#999" }));
    }
    r.out.push(`<g clip-path="url(#${clipFor(xa, ya)})">${g.join("")}</g>`, ...labels);
  });
}

/** Pixel position of a shape's or annotation's coordinate: paper fractions or axis values. */
function refPixel(r: Render, ref: string, letter: "x" | "y", v: unknown, paperDefault: number): number {
  const { plot } = r.frame;
  if (ref === "paper") return letter === "x" ? plot.x0 + num(v, paperDefault) * (plot.x1 - plot.x0) : plot.y1 - num(v, paperDefault) * (plot.y1 - plot.y0);
  const a = r.axes.get(ref) ?? r.axis(ref, letter);
  return toPixel(a, position(a, v) ?? 0);
}

/** Rectangles, lines and circles of layout.shapes (a region marked on a heatmap, for instance). */
function drawShapes(r: Render): void {
  for (const s of arr(r.layout.shapes).map(obj)) {
    const xref = str(s.xref, "x"), yref = str(s.yref, "y");
    const line = obj(s.line);
    const stroke = ` stroke="${str(line.color, "#444")}" stroke-width="${num(line.width, 2)}"${dashArray(line.dash)}`;
    const opacity = isNum(s.opacity) ? ` opacity="${s.opacity}"` : "";
    const [x0, x1] = [refPixel(r, xref, "x", s.x0, 0), refPixel(r, xref, "x", s.x1, 0)];
    const [y0, y1] = [refPixel(r, yref, "y", s.y0, 0), refPixel(r, yref, "y", s.y1, 0)];
    if (str(s.type, "rect") === "line") r.out.push(`<line x1="${fmt(x0)}" y1="${fmt(y0)}" x2="${fmt(x1)}" y2="${fmt(y1)}"${stroke}${opacity}/>`);
    else if (s.type === "circle") r.out.push(`<ellipse cx="${fmt((x0 + x1) / 2)}" cy="${fmt((y0 + y1) / 2)}" rx="${fmt(Math.abs(x1 - x0) / 2)}" ry="${fmt(Math.abs(y1 - y0) / 2)}" fill="${str(s.fillcolor, "none")}"${stroke}${opacity}/>`);
    else r.out.push(`<rect x="${fmt(Math.min(x0, x1))}" y="${fmt(Math.min(y0, y1))}" width="${fmt(Math.abs(x1 - x0))}" height="${fmt(Math.abs(y1 - y0))}" fill="${str(s.fillcolor, "none")}"${stroke}${opacity}/>`);
  }
}

/** Text annotations (subplot titles...); an axis reference that no trace uses counts as paper. */
function drawAnnotations(r: Render): void {
  for (const a of arr(r.layout.annotations).map(obj)) {
    const xref = str(a.xref, "x"), yref = str(a.yref, "y");
    const x = refPixel(r, r.axes.has(xref) ? xref : "paper", "x", a.x, 0.5);
    const y = refPixel(r, r.axes.has(yref) ? yref : "paper", "y", a.y, 0.5);
    const xanchor = str(a.xanchor, "center"), yanchor = str(a.yanchor, "middle");
    const size = num(obj(a.font).size, 12);
    r.out.push(text(x, yanchor === "bottom" ? y - size / 2 - 2 : yanchor === "top" ? y + size / 2 + 2 : y, str(a.text),
      { size, anchor: xanchor === "left" ? "start" : xanchor === "right" ? "end" : "middle", color: str(obj(a.font).color, TEXT_COLOR) }));
  }
}

/** The colorbar of the first heatmap that shows one, right of the plot. */
function drawColorbar(r: Render, t: Trace): void {
  const h = heatmapData(t);
  const stops = heatmapStops(t, h);
  const ya = r.yOf(t);
  const top = Math.min(...ya.px), bottom = Math.max(...ya.px), x = r.frame.plot.x1 + 15;
  r.defs.push(`<linearGradient id="colorbar" x1="0" y1="1" x2="0" y2="0">${stops.map(([s, c]) => `<stop offset="${s}" stop-color="${rgbString(parseColor(c))}"/>`).join("")}</linearGradient>`);
  r.out.push(`<rect x="${x}" y="${fmt(top)}" width="14" height="${fmt(bottom - top)}" fill="url(#colorbar)" stroke="#ccc"/>`);
  const ticks = niceTicks(h.zmin, h.zmax, Math.max(2, Math.floor((bottom - top) / 40)));
  for (const v of ticks) {
    const y = bottom - ((v - h.zmin) / (h.zmax - h.zmin)) * (bottom - top);
    r.out.push(`<line x1="${x + 14}" x2="${x + 18}" y1="${fmt(y)}" y2="${fmt(y)}" stroke="#444"/>`, text(x + 21, y, tickLabel(v, ticks, str(r.layout.separators, ".,")), { anchor: "start", size: 11 }));
  }
}

/** One legend line per legend trace, starting at x. */
function drawLegend(r: Render, x: number): void {
  r.frame.legendTraces.forEach((t, i) => {
    const traceIndex = r.fig.data.indexOf(t);
    const color = traceColor(t, traceIndex);
    const y = r.frame.plot.y0 + 10 + i * 20;
    r.out.push(traceType(t) === "scatter"
      ? `<line x1="${x}" x2="${x + 24}" y1="${y}" y2="${y}" stroke="${color}" stroke-width="2"${dashArray(obj(t.line).dash)}/>`
      : `<rect x="${x + 6}" y="${y - 6}" width="12" height="12" fill="${color}"/>`);
    r.out.push(text(x + 30, y, str(t.name, `trace ${traceIndex}`), { anchor: "start" }));
  });
}

/** Renders a plotly figure as a standalone SVG document (UTF-8 text). */
export function figureToSvg(fig: Figure): string {
  const r = newRender(fig);
  const { W, H, margin, plot } = r.frame;
  const padded = new Set<string>();
  for (const t of r.frame.traces) growAxesToTrace(r, t, padded);
  if (r.axes.size === 0) { r.axis("x", "x"); r.axis("y", "y"); }
  setRanges(r.axes.values(), padded);
  placeAxes(r.axes, plot);
  r.out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="${str(r.layout.paper_bgcolor, "#fff")}"/>`);
  drawAxes(r);
  drawTraces(r);
  drawShapes(r);
  drawAnnotations(r);
  if (r.frame.colorbarTrace) drawColorbar(r, r.frame.colorbarTrace);
  if (r.frame.showLegend) drawLegend(r, plot.x1 + 15 + r.frame.colorbarWidth);
  const title = figureTitle(fig);
  if (title) r.out.push(text(W / 2, Math.max(14, margin.t / 2), title, { size: 17 }));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${FONT}">` +
    (r.defs.length ? `<defs>${r.defs.join("")}</defs>` : "") + r.out.join("") + `</svg>`;
}
