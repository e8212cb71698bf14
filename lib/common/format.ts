// The number formatters of the course.
// - formatNumber: machine-facing numbers (SVG coordinates, JSON-like cells of the lecture's
//   panels): integers as they are, other numbers with a fixed number of decimals, a point.
// - formatBR / formatPercentBR: numbers students read in prose, printed lines, tables and
//   charts, in Brazilian Portuguese (3.496.801; 0,82; 80,0%), by Intl (Node's ICU).

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
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) throw new Error(`${who}: casas decimais devem ser um inteiro de 0 a 20 (recebi ${digits})`);
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
