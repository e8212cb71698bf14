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
 * A number as Brazilian Portuguese prints it: integers with a dot every three digits
 * (3496801 → "3.496.801"), other numbers with `digits` decimals after a comma
 * (0.8234 → "0,823" with 3). `trim` drops trailing zeros (0.50 → "0,5"). NaN → "—".
 */
export function formatBR(v: number, digits = 3, trim = false): string {
  assertDigits(digits, "formatBR");
  if (Number.isNaN(v)) return "—";
  if (Number.isInteger(v)) return ptBR(0, 0).format(v === 0 ? 0 : v);
  return ptBR(trim ? 0 : digits, digits).format(noNegativeZero(v, digits));
}

/** Like formatBR, with `digits` decimals for integers too (1 → "1,000"): a column of metrics lines up. */
export function formatDecimalBR(v: number, digits = 3): string {
  assertDigits(digits, "formatDecimalBR");
  if (Number.isNaN(v)) return "—";
  return ptBR(digits, digits).format(noNegativeZero(v, digits));
}

/** A fraction as a pt-BR percentage: 0.8 → "80,0%" (1 decimal by default), 0.2062 → "20,62%" with 2. */
export function formatPercentBR(fraction: number, digits = 1): string {
  assertDigits(digits, "formatPercentBR");
  if (Number.isNaN(fraction)) return "—";
  return `${ptBR(digits, digits).format(noNegativeZero(100 * fraction, digits))}%`;
}
