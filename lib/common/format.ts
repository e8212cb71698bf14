// The number formatters of the course, and the rule for choosing one.
//
// A number a student READS is written in Brazilian Portuguese (3.496.801; 0,82; 80,0%), by Intl
// (Node's ICU): prose and printed lines (console.log of a lecture helper or a notebook cell),
// check messages (esperado 2,5, obtido 1), error messages, progress lines, table cells, chart
// titles, labels and the values written in heatmap cells (plotly's axes and hover labels follow
// the figure's `separators: ",."`, set by lib/view/plots.ts). Use formatBR, formatValueBR,
// formatPercentBR or formatScientificBR; a notebook cell calls one of them, never toFixed.
// Tiny numbers (tolerances, gradient errors) may stay in scientific notation, with a comma if
// they have decimals: 1e-9, 1,5e-7.
//
// A number a PROGRAM reads, or that is code, keeps the point: SVG coordinates and attributes,
// JSON (the grader's tagged lines, docs/results, plotly's numeric arrays), code shown as code,
// and a TypeScript value printed as data, such as an array literal a student could paste back
// ("esperado: [[0.1111, -0.3333]]" in a check message; a pt-BR comma would split its elements).
// formatNumber is for those. test/lessons/pt-br-output.test.ts runs the helpers that print and
// fails on a US decimal in their lines (tools/notebooks/us-decimals.ts finds them; npx tsx
// scripts/us-decimals.ts counts them in the executed notebooks).

/** `v` with `digits` decimals, integers without any (2 → "2", 0.125 → "0.13"); `trim` drops trailing zeros (0.50 → "0.5"). */
export function formatNumber(v: number, digits = 2, trim = false): string {
  if (Number.isInteger(v)) return String(v);
  const fixed = v.toFixed(digits);
  return trim ? fixed.replace(/\.?0+$/, "") : fixed;
}

const formatters = new Map<string, Intl.NumberFormat>();

function ptBR(minDigits: number, maxDigits: number): Intl.NumberFormat {
  const key = `${minDigits}:${maxDigits}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat("pt-BR", { minimumFractionDigits: minDigits, maximumFractionDigits: maxDigits });
    formatters.set(key, f);
  }
  return f;
}

/** 0 when `v` rounds to zero at `digits` decimals: -0.001 is "0,00", not "-0,00". */
function noNegativeZero(v: number, digits: number): number {
  return Number(v.toFixed(digits)) === 0 ? 0 : v;
}

function assertDigits(digits: number, who: string): void {
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new Error(`${who}: casas decimais devem ser um inteiro de 0 a 20 (recebi ${String(digits).replace(".", ",")})`);
  }
}

/**
 * A number as Brazilian Portuguese prints it, with a dot every three digits and a decimal comma.
 * Without `digits`: integers as they are (3496801 → "3.496.801"), other numbers with 3 decimals.
 * With `digits`: always that many decimals, integers too (0.8234 → "0,823", 1 → "1,000"), so
 * metrics line up; `trim` drops trailing zeros (0.50 → "0,5"). NaN → "—".
 */
export function formatBR(v: number, digits?: number, trim = false): string {
  if (digits !== undefined) assertDigits(digits, "formatBR");
  if (Number.isNaN(v)) return "—";
  if (digits === undefined && Number.isInteger(v)) return ptBR(0, 0).format(v === 0 ? 0 : v);
  const d = digits ?? 3;
  return ptBR(trim ? 0 : d, d).format(noNegativeZero(v, d));
}

/** A fraction as a pt-BR percentage: 0.8 → "80,0%" (1 decimal by default), 0.2062 → "20,62%" with 2. */
export function formatPercentBR(fraction: number, digits = 1): string {
  assertDigits(digits, "formatPercentBR");
  if (Number.isNaN(fraction)) return "—";
  return `${ptBR(digits, digits).format(noNegativeZero(100 * fraction, digits))}%`;
}

/**
 * The pt-BR twin of formatNumber, for values written one by one (heatmap cells, a window's
 * values, a check message's number): integers as they are (1024 → "1.024"), other numbers with
 * `digits` decimals (0.125 → "0,13"); `trim` drops trailing zeros (0.50 → "0,5").
 */
export function formatValueBR(v: number, digits = 2, trim = false): string {
  if (Number.isInteger(v)) return formatBR(v);
  return formatBR(v, digits, trim);
}

/**
 * Scientific notation with a decimal comma: 1.5e-7 → "1,5e-7", 1e-9 → "1e-9", 12345 with 1
 * digit → "1,2e+4"; `digits` as toExponential's (default: as many as the number needs). NaN → "—".
 */
export function formatScientificBR(v: number, digits?: number): string {
  if (digits !== undefined) assertDigits(digits, "formatScientificBR");
  if (Number.isNaN(v)) return "—";
  return v.toExponential(digits).replace(".", ",");
}

/**
 * A matrix as aligned text, one row a line, every value with `digits` decimals, right-aligned
 * in `width` characters (a matrix printed by a lesson: " -0,11   1,00  -0,11").
 */
export function formatMatrixBR(m: number[][], digits = 2, width = 6): string {
  return m.map((row) => row.map((v) => formatBR(v, digits).padStart(width)).join(" ")).join("\n");
}
