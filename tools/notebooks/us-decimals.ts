// US decimals (0.82, -0.11, 1.5e-7) in what a student reads of an executed notebook: stream
// text, text/plain, text/markdown, and of the HTML outputs the visible text, the chart's static SVG labels
// (<text>) and the strings of its plotly figure (cell texts, titles, tick and slider labels).
// Machine-facing text is left out: the plotly source, attributes, SVG coordinates, <code>,
// the figure's numeric arrays (plotly writes them with the figure's `separators`).
// Code keeps its point (lib/common/format.ts): a `code span`, a call (denseBlock(512, 0.7)), and
// a JSON array or object printed as data ({"rate":0.5}, [[0.1111, -0.3333]]) are left out.
// "1.000" and "12.441.728" are read as pt-BR thousands; a version such as 4.22.0 is no decimal.
import { Cell, Notebook } from "./format";

/** A decimal point between digits, not part of a dotted run (4.22.0, 12.441.728) nor of a word (v3, x2.5). */
const DECIMAL = /(?<![\w.,])-?\d+\.\d+(?:e[-+]?\d+)?(?!\d|\.\d)/g;
/** pt-BR thousands: 1.000, 3.496.801 (no leading zero). */
const THOUSANDS = /^-?[1-9]\d{0,2}(?:\.\d{3})+$/;

/** The brackets that open and close a JSON array or object. */
const OPENERS = new Set(["[", "{"]);
const CLOSERS = new Set(["]", "}"]);

/** The end of the bracketed span opening at `start` (an opener), or -1. */
function closing(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (OPENERS.has(ch)) depth++;
    else if (CLOSERS.has(ch)) depth--;
    if (depth === 0) return i;
  }
  return -1;
}

/** A named version: licença CC BY 4.0, versão 1.5, v2.1 (4.22.0 needs none: the regex skips dotted runs). */
const VERSION = /\b(?:CC BY(?:-[A-Z]{2})*|[Vv]ers[ãa]o|v) ?\d+(?:\.\d+)+/g;

/** A call as code writes it: denseBlock(512, 0.7). */
const CALL = /[A-Za-z_$][\w$]*\([^()]*\)/g;

/** `text` without its code: `code spans`, calls (denseBlock(512, 0.7)) and JSON arrays or objects (data a program could read back). */
export function withoutCode(text: string): string {
  text = text.replace(CALL, " ").replace(VERSION, " ");
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "`") {
      const end = text.indexOf("`", i + 1);
      if (end > 0) { i = end; continue; }
    }
    if (OPENERS.has(ch)) {
      const end = closing(text, i);
      if (end > 0 && isJsonData(text.slice(i, end + 1))) { i = end; continue; }
      const cut = CUT_JSON.exec(text.slice(i)); // a long value the message cut ("[[0.27,-1.13],[…")
      if (end < 0 && cut) { i += cut[0].length - 1; continue; }
    }
    out += ch;
  }
  return out;
}

/** The start of a JSON array or object cut with "…" (check messages shorten long values). */
const CUT_JSON = /^[[{][-\w\s.,:"[\]{}+]*…/;

function isJsonData(s: string): boolean {
  try {
    const v: unknown = JSON.parse(s);
    return typeof v === "object" && v !== null;
  } catch {
    return false;
  }
}

/** The US decimals written in `text`, in order ("0.82", "-0.11", "1.5e-7"), code left out. */
export function usDecimals(text: string): string[] {
  return [...withoutCode(text).matchAll(DECIMAL)].map((m) => m[0]).filter((s) => !THOUSANDS.test(s));
}

/** The lines of `text` that hold a US decimal. */
export function usDecimalLines(text: string): string[] {
  return text.split("\n").filter((line) => usDecimals(line).length > 0);
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: " " };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (all, e: string) => {
    if (e[0] === "#") return String.fromCodePoint(e[1].toLowerCase() === "x" ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ENTITIES[e.toLowerCase()] ?? all;
  });
}

/** Keys of a plotly figure whose string values are styling or references, not text. */
const MACHINE_KEYS = new Set(["type", "mode", "xaxis", "yaxis", "anchor", "overlaying", "matches", "scaleanchor", "color",
  "bgcolor", "fillcolor", "bordercolor", "plot_bgcolor", "paper_bgcolor", "colorscale", "family", "shape", "method",
  "xref", "yref", "textposition", "hoverinfo", "separators", "symbol", "dash", "fill", "tickmode", "orientation",
  "xanchor", "yanchor", "align", "valign", "texttemplate", "ticksuffix", "tickformat", "hoverformat"]);

/** The strings of a plotly figure a student reads (titles, cell texts, labels, hover templates). */
function figureStrings(value: unknown, key = ""): string[] {
  if (typeof value === "string") return MACHINE_KEYS.has(key) ? [] : [value];
  if (Array.isArray(value)) return value.flatMap((v) => figureStrings(v, key));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => figureStrings(v, k));
  return [];
}

/** The SVG picture's labels. */
function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<(text|tspan|title)\b[^>]*>([^<]*)</g)].map((m) => decodeEntities(m[2]));
}

/** What a student reads of an HTML output: the visible text, the picture's labels, the live chart's strings. */
export function htmlTexts(html: string): string[] {
  const texts: string[] = [];
  for (const m of html.matchAll(/src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)"/g)) {
    texts.push(...svgTexts(Buffer.from(m[1], "base64").toString("utf8")));
  }
  for (const m of html.matchAll(/\balt="([^"]*)"/g)) texts.push(decodeEntities(m[1]));
  for (const m of html.matchAll(/var fig=(\{.*?\});function draw/gs)) {
    const fig = JSON.parse(m[1]) as { data?: unknown; layout?: unknown; frames?: unknown };
    texts.push(...figureStrings([fig.data, fig.layout, fig.frames]));
  }
  const inline = html.replace(/<svg\b[\s\S]*?<\/svg>/gi, (svg) => svgTexts(svg).join("\n"));
  const visible = inline.replace(/<(script|style|code)\b[\s\S]*?<\/\1>/gi, "").replace(/<[^>]*>/g, "\n");
  texts.push(decodeEntities(visible));
  return texts.filter((t) => t.trim() !== "");
}

function joined(v: unknown): string {
  return Array.isArray(v) ? v.join("") : typeof v === "string" ? v : "";
}

/** Every text a student reads in a code cell's outputs (errors left out: they are the kernel's). */
export function outputTexts(cell: Cell): string[] {
  const texts: string[] = [];
  for (const out of cell.outputs ?? []) {
    if (out.output_type === "stream") texts.push(joined(out.text));
    const data = out.data ?? {};
    if ("text/html" in data) texts.push(...htmlTexts(joined(data["text/html"])));
    if ("text/markdown" in data) texts.push(joined(data["text/markdown"]));
    if ("text/plain" in data) texts.push(joined(data["text/plain"]));
  }
  return texts;
}

export interface UsDecimalFinding {
  /** 0-based cell index. */
  cell: number;
  /** The decimals found. */
  decimals: string[];
  /** The line they are on (trimmed, at most 160 characters). */
  line: string;
}

/**
 * Each distinct line of an executed notebook's outputs that holds a US decimal, once per cell (a
 * chart's label is in its picture and in its live figure: one finding).
 */
export function notebookUsDecimals(nb: Notebook): UsDecimalFinding[] {
  return nb.cells.flatMap((cell, i) => {
    const lines = new Set(outputTexts(cell).flatMap(usDecimalLines).map((line) => line.trim()));
    return [...lines].map((line) => ({ cell: i, decimals: usDecimals(line), line: line.slice(0, 160) }));
  });
}
