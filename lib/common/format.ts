// The one number formatter of the course's pictures and texts: integers as they are,
// other numbers with a fixed number of decimals (cells of heatmaps and panels, bar
// labels, pooling windows in words, SVG coordinates).

/** `v` with `digits` decimals, integers without any (2 → "2", 0.125 → "0.13"); `trim` drops trailing zeros (0.50 → "0.5"). */
export function formatNumber(v: number, digits = 2, trim = false): string {
  if (Number.isInteger(v)) return String(v);
  const fixed = v.toFixed(digits);
  return trim ? fixed.replace(/\.?0+$/, "") : fixed;
}
