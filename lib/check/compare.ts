// Compares an obtained value with the expected one and explains the difference
// in Portuguese: shapes first (the most common mistake), then the first values that differ.
import { formatScientificBR, formatValueBR } from "../common/format";
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

/**
 * A number in a sentence of a message, in pt-BR: 2,5; -0,1234; 3.496.801 (4 decimals at most);
 * scientific when 4 decimals would show 0 (0,00001234 → 1,23e-5).
 */
export function formatScalar(v: number): string {
  if (v !== 0 && Math.abs(v) < 5e-5) return formatScientificBR(Number(v.toPrecision(3)));
  return formatValueBR(v, 4, true);
}

/** A tolerance in a message: 1e-6, 1,5e-7 below 0,001; 0,01 or 0,5 above. */
export function formatTolerance(t: number): string {
  return t !== 0 && Math.abs(t) < 1e-3 ? formatScientificBR(t) : formatValueBR(t, 6, true);
}

/**
 * Short printable form of a value (numbers rounded, long arrays cut). A number alone is a word
 * of the sentence, in pt-BR (2,5); arrays and objects are data, JSON as TypeScript writes them
 * ([0.1111, -0.3333]: a comma there would split the elements), see lib/common/format.ts.
 */
export function preview(value: unknown, maxLength = 160): string {
  if (typeof value === "number" && Number.isFinite(value)) return formatScalar(value);
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_k, v: unknown) =>
      typeof v === "number" && !Number.isInteger(v) ? Number(v.toFixed(4)) : v);
  } catch {
    text = JSON.stringify(toPlain(value));
  }
  if (text === undefined) return String(value);
  return text.length > maxLength ? text.slice(0, maxLength) + "…" : text;
}

/**
 * Converts what a submission returned to plain JSON-like data: typed arrays and
 * tensors (anything with `arraySync`) become arrays; NaN and ±Infinity become the
 * strings "NaN"/"Infinity" (JSON has no such numbers); functions, cycles and other
 * non-data become descriptive strings, so nothing here ever throws.
 */
export function toPlain(value: unknown): Json {
  return plain(value, new Set<object>(), 0);
}

const MAX_DEPTH = 64;

function plain(value: unknown, seen: Set<object>, depth: number): Json {
  if (value === undefined || value === null) return null;
  switch (typeof value) {
    case "number": return Number.isFinite(value) ? value : String(value);
    case "string": case "boolean": return value;
    case "bigint": return Number(value);
    case "function": return `[função ${value.name || "anônima"}]`;
    case "symbol": return String(value);
  }
  if (depth > MAX_DEPTH) return "[estrutura profunda demais]";
  const obj = value as object;
  if (seen.has(obj)) return "[referência circular]";
  seen.add(obj);
  try {
    if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
      return Array.from(obj as unknown as ArrayLike<number | bigint>, (x) => plain(x, seen, depth + 1));
    }
    if (Array.isArray(obj)) return obj.map((x) => plain(x, seen, depth + 1));
    if (typeof (obj as { arraySync?: unknown }).arraySync === "function") {
      return plain((obj as { arraySync: () => unknown }).arraySync(), seen, depth + 1);
    }
    if (obj instanceof Map) return plain(Object.fromEntries(obj), seen, depth + 1);
    if (obj instanceof Set) return plain([...obj], seen, depth + 1);
    if (obj instanceof Date) return obj.toISOString();
    if (obj instanceof Error) return `[erro ${obj.name}: ${obj.message}]`;
    if (obj instanceof Promise) return "[Promise não aguardada — faltou um `await`?]";
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(obj)) out[k] = plain(v, seen, depth + 1);
    return out;
  } catch (err) {
    return `[valor ilegível: ${err instanceof Error ? err.message : String(err)}]`;
  } finally {
    seen.delete(obj);
  }
}

/** null when equal within tolerance; otherwise a message in Portuguese. */
export function compareValues(expected: Json, obtained: Json, tolerance = 1e-6): string | null {
  if (obtained === null && expected !== null) {
    return `não recebi nenhum valor (undefined ou null) — faltou um \`return\`? Esperado: ${preview(expected)}`;
  }
  const es = shapeOf(expected), os = shapeOf(obtained);
  if (Array.isArray(expected) && es.join("x") !== os.join("x")) {
    return `forma errada: esperado ${formatShape(es)}, obtido ${formatShape(os)}.\n` +
      `  esperado: ${preview(expected)}\n  obtido:   ${preview(obtained)}`;
  }
  const diff = firstDifference(expected, obtained, tolerance, []);
  if (diff === null) return null;
  const where = diff.path.length ? ` na posição [${diff.path.join("][")}]` : "";
  const whole = diff.path.length ? `\n  esperado: ${preview(expected)}\n  obtido:   ${preview(obtained)}` : "";
  return `valor diferente${where}: esperado ${preview(diff.expected)}, obtido ${preview(diff.obtained)}` +
    (typeof diff.expected === "number" ? ` (tolerância ${formatTolerance(tolerance)})` : "") + "." + whole;
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
