// Seeded pseudo-random numbers, so exercises, checks and demos repeat exactly.
// mulberry32: tiny, fast, and good enough for teaching (not for cryptography).

import { Rng, seededRandom } from "cnn-course-engine";

export { seededRandom };
export type { Rng };

/** A rows x cols matrix of floats uniform in [low, high). */
export function randomMatrix(rows: number, cols: number, rng: Rng, low = -1, high = 1): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => low + (high - low) * rng()));
}

/** Fisher–Yates shuffle of a copy of `items`. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
