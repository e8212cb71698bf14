// Compares an obtained value with the expected one and explains the difference
// in Portuguese: shapes first (the most common mistake), then the first values that differ.
import type { Json } from "./types";

/** Shape of a nested numeric array, e.g. [5, 3]; [] for a scalar. */
export function shapeOf(value: unknown): number[] {
  const shape: number[] = [];
  let v: unknown = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

export function formatShape(shape: number[]): string {
  return shape.length === 0 ? "escalar" : shape.join("x");
}

/** Short printable form of a value (numbers rounded, long arrays cut). */
export function preview(value: unknown, maxLength = 160): string {
  const text = JSON.stringify(value, (_k, v: unknown) =>
    typeof v === "number" && !Number.isInteger(v) ? Number(v.toFixed(4)) : v);
  if (text === undefined) return String(value);
  return text.length > maxLength ? text.slice(0, maxLength) + "…" : text;
}

/** Converts typed arrays and tensors-as-arrays to plain JSON-like data. */
export function toPlain(value: unknown): Json {
  if (value === undefined) return null;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number>);
  }
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === "object") {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
    return out;
  }
  return value as Json;
}

/** null when equal within tolerance; otherwise a message in Portuguese. */
export function compareValues(expected: Json, obtained: Json, tolerance = 1e-6): string | null {
  const es = shapeOf(expected), os = shapeOf(obtained);
  if (Array.isArray(expected) && es.join("x") !== os.join("x")) {
    return `forma errada: esperado ${formatShape(es)}, obtido ${formatShape(os)}.\n` +
      `  esperado: ${preview(expected)}\n  obtido:   ${preview(obtained)}`;
  }
  const diff = firstDifference(expected, obtained, tolerance, []);
  if (diff === null) return null;
  const where = diff.path.length ? ` na posição [${diff.path.join("][")}]` : "";
  return `valor diferente${where}: esperado ${preview(diff.expected)}, obtido ${preview(diff.obtained)}` +
    (typeof diff.expected === "number" ? ` (tolerância ${tolerance})` : "") + ".\n" +
    `  esperado: ${preview(expected)}\n  obtido:   ${preview(obtained)}`;
}

interface Difference { path: (number | string)[]; expected: Json; obtained: Json }

function firstDifference(expected: Json, obtained: Json, tol: number, path: (number | string)[]): Difference | null {
  if (typeof expected === "number") {
    if (typeof obtained !== "number" || Number.isNaN(obtained) || Math.abs(expected - obtained) > tol) {
      return { path, expected, obtained };
    }
    return null;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(obtained) || obtained.length !== expected.length) return { path, expected, obtained };
    for (let i = 0; i < expected.length; i++) {
      const d = firstDifference(expected[i], obtained[i], tol, [...path, i]);
      if (d) return d;
    }
    return null;
  }
  if (expected !== null && typeof expected === "object") {
    if (obtained === null || typeof obtained !== "object" || Array.isArray(obtained)) return { path, expected, obtained };
    for (const key of Object.keys(expected)) {
      const d = firstDifference(expected[key], (obtained as { [k: string]: Json })[key] ?? null, tol, [...path, key]);
      if (d) return d;
    }
    return null;
  }
  return expected === obtained ? null : { path, expected, obtained };
}
