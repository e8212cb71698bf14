// Plotly's named colorscales (the same stops plotly.js defines) and the mapping from a
// value to a color, so the static SVG colors every heatmap cell as the live chart does.

export type ColorStop = [number, string];

/** The plotly.js colorscales the course can name (copied from plotly.js src/components/colorscale/scales.js). */
export const NAMED_COLORSCALES: Record<string, ColorStop[]> = {
  Greys: [[0, "rgb(0,0,0)"], [1, "rgb(255,255,255)"]],
  YlGnBu: [[0, "rgb(8,29,88)"], [0.125, "rgb(37,52,148)"], [0.25, "rgb(34,94,168)"], [0.375, "rgb(29,145,192)"], [0.5, "rgb(65,182,196)"], [0.625, "rgb(127,205,187)"], [0.75, "rgb(199,233,180)"], [0.875, "rgb(237,248,217)"], [1, "rgb(255,255,217)"]],
  Greens: [[0, "rgb(0,68,27)"], [0.125, "rgb(0,109,44)"], [0.25, "rgb(35,139,69)"], [0.375, "rgb(65,171,93)"], [0.5, "rgb(116,196,118)"], [0.625, "rgb(161,217,155)"], [0.75, "rgb(199,233,192)"], [0.875, "rgb(229,245,224)"], [1, "rgb(247,252,245)"]],
  YlOrRd: [[0, "rgb(128,0,38)"], [0.125, "rgb(189,0,38)"], [0.25, "rgb(227,26,28)"], [0.375, "rgb(252,78,42)"], [0.5, "rgb(253,141,60)"], [0.625, "rgb(254,178,76)"], [0.75, "rgb(254,217,118)"], [0.875, "rgb(255,237,160)"], [1, "rgb(255,255,204)"]],
  Bluered: [[0, "rgb(0,0,255)"], [1, "rgb(255,0,0)"]],
  RdBu: [[0, "rgb(5,10,172)"], [0.35, "rgb(106,137,247)"], [0.5, "rgb(190,190,190)"], [0.6, "rgb(220,170,132)"], [0.7, "rgb(230,145,90)"], [1, "rgb(178,10,28)"]],
  Reds: [[0, "rgb(220,220,220)"], [0.2, "rgb(245,195,157)"], [0.4, "rgb(245,160,105)"], [1, "rgb(178,10,28)"]],
  Blues: [[0, "rgb(5,10,172)"], [0.35, "rgb(40,60,190)"], [0.5, "rgb(70,100,245)"], [0.6, "rgb(90,120,245)"], [0.7, "rgb(106,137,247)"], [1, "rgb(220,220,220)"]],
  Picnic: [[0, "rgb(0,0,255)"], [0.1, "rgb(51,153,255)"], [0.2, "rgb(102,204,255)"], [0.3, "rgb(153,204,255)"], [0.4, "rgb(204,204,255)"], [0.5, "rgb(255,255,255)"], [0.6, "rgb(255,204,255)"], [0.7, "rgb(255,153,255)"], [0.8, "rgb(255,102,204)"], [0.9, "rgb(255,102,102)"], [1, "rgb(255,0,0)"]],
  Portland: [[0, "rgb(12,51,131)"], [0.25, "rgb(10,136,186)"], [0.5, "rgb(242,211,56)"], [0.75, "rgb(242,143,56)"], [1, "rgb(217,30,30)"]],
  Jet: [[0, "rgb(0,0,131)"], [0.125, "rgb(0,60,170)"], [0.375, "rgb(5,255,255)"], [0.625, "rgb(255,255,0)"], [0.875, "rgb(250,0,0)"], [1, "rgb(128,0,0)"]],
  Hot: [[0, "rgb(0,0,0)"], [0.3, "rgb(230,0,0)"], [0.6, "rgb(255,210,0)"], [1, "rgb(255,255,255)"]],
  Viridis: [[0, "#440154"], [0.06274509803921569, "#48186a"], [0.12549019607843137, "#472d7b"], [0.18823529411764706, "#424086"], [0.25098039215686274, "#3b528b"], [0.3137254901960784, "#33638d"], [0.3764705882352941, "#2c728e"], [0.4392156862745098, "#26828e"], [0.5019607843137255, "#21918c"], [0.5647058823529412, "#1fa088"], [0.6274509803921569, "#28ae80"], [0.6901960784313725, "#3fbc73"], [0.7529411764705882, "#5ec962"], [0.8156862745098039, "#84d44b"], [0.8784313725490196, "#addc30"], [0.9411764705882353, "#d8e219"], [1, "#fde725"]],
};

/** The course's colours: images in greys (+1 = ink = dark), signed maps blue (low) - white - red (high). */
export const IMAGE_COLORS: ColorStop[] = [[0, "#ffffff"], [1, "#222222"]];
export const MAP_COLORS: ColorStop[] = [[0, "#2166ac"], [0.5, "#f7f7f7"], [1, "#b2182b"]];

/**
 * The one default of heatmap() and panels() when no colours are given: a range with both
 * signs gets MAP_COLORS centred on 0 (white = 0); any other range, the image greys.
 */
export function defaultColors(lo: number, hi: number): { colors: ColorStop[]; diverging: boolean } {
  const diverging = lo < 0 && hi > 0;
  return { colors: diverging ? MAP_COLORS : IMAGE_COLORS, diverging };
}

export type Rgb = [number, number, number];

/** Parses "rgb(1,2,3)", "rgba(1,2,3,0.5)", "#abc" and "#aabbcc" (what plotly figures use). */
export function parseColor(color: string): Rgb {
  const c = color.trim();
  const rgb = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)/i.exec(c);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(c);
  if (hex) {
    const h = hex[1].length === 3 ? hex[1].split("").map((x) => x + x).join("") : hex[1];
    return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
  }
  const named: Record<string, Rgb> = { black: [0, 0, 0], white: [255, 255, 255], red: [255, 0, 0], green: [0, 128, 0], blue: [0, 0, 255], gray: [128, 128, 128], grey: [128, 128, 128] };
  return named[c.toLowerCase()] ?? [128, 128, 128];
}

export function rgbString([r, g, b]: Rgb): string {
  return `rgb(${Math.round(r)},${Math.round(g)},${Math.round(b)})`;
}

/** The stops of a named or explicit colorscale, reversed if asked; unknown names fall back to Viridis. */
export function resolveColorscale(scale: unknown, reverse = false): ColorStop[] {
  let stops: ColorStop[] = NAMED_COLORSCALES.Viridis;
  if (typeof scale === "string") {
    const key = Object.keys(NAMED_COLORSCALES).find((k) => k.toLowerCase() === scale.toLowerCase());
    if (key) stops = NAMED_COLORSCALES[key];
  } else if (Array.isArray(scale) && scale.length >= 2 && scale.every((s) => Array.isArray(s) && s.length === 2)) {
    stops = scale.map((s) => [Number(s[0]), String(s[1])] as ColorStop);
  }
  return reverse ? stops.map(([t, c]) => [1 - t, c] as ColorStop).reverse() : stops;
}

/** The color at `t` in [0, 1] along the stops (linear in RGB, as plotly interpolates). */
export function colorAt(stops: ColorStop[], t: number): Rgb {
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0));
  for (let i = 1; i < stops.length; i++) {
    const [t1, c1] = stops[i];
    if (x <= t1 || i === stops.length - 1) {
      const [t0, c0] = stops[i - 1];
      const f = t1 > t0 ? (x - t0) / (t1 - t0) : 0;
      const a = parseColor(c0), b = parseColor(c1);
      return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
    }
  }
  return parseColor(stops[0][1]);
}

/** Black or white, whichever reads better on `bg` (as plotly's auto text color on heatmaps). */
export function contrastText([r, g, b]: Rgb): string {
  const luminance = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
  return luminance > 0.5 ? "#000" : "#fff";
}
