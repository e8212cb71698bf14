// A chart as plotly describes it: traces plus a layout. Builders in plots.ts make these;
// the live view hands them to plotly.js and the static view draws them as SVG.

export interface Trace { [key: string]: unknown }
export interface Figure {
  data: Trace[];
  layout: { [key: string]: unknown };
  /** Animation frames and plotly config, handed to plotly.js as they are (the static picture shows the first state). */
  frames?: unknown[];
  config?: { [key: string]: unknown };
}

/** The figure's title text (layout.title as a string or {text}), or "" when it has none. */
export function figureTitle(fig: Figure): string {
  const t = fig.layout.title;
  if (typeof t === "string") return t;
  if (t && typeof t === "object" && typeof (t as { text?: unknown }).text === "string") return (t as { text: string }).text;
  return "";
}

/** Checks the shape every consumer relies on; the message says what to pass instead. */
export function assertFigure(fig: unknown): asserts fig is Figure {
  const f = fig as Partial<Figure> | null;
  if (!f || typeof f !== "object" || !Array.isArray(f.data) || !f.layout || typeof f.layout !== "object") {
    throw new Error("show: esperava uma figura {data: [...], layout: {...}} (use heatmap, lineChart, imageGrid... do cnn-course)");
  }
}
