// Repeatable randomness for tfjs. An initializer or a Dropout layer without an explicit
// seed draws its seed from Math.random (tfjs-core rand_util), and a fixed explicit seed
// would give Dropout the same mask at every step. So we run the synchronous code that
// draws those seeds (building a model, one training step) with Math.random replaced by
// a seeded generator: the whole run repeats, including blocks written by students.

export type Rng = () => number;

/** A generator of floats in [0, 1) from a 32-bit seed (mulberry32: tiny, fast, not for cryptography). */
export function seededRandom(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `fn` (synchronous) with Math.random drawing from a generator seeded with `seed`. */
export function withSeededMathRandom<T>(seed: number, fn: () => T): T {
  const saved = Math.random;
  const rng = seededRandom(seed);
  // tfjs treats a seed of exactly 0 as "no seed"; never hand it one.
  Math.random = () => rng() || 0.5;
  try {
    return fn();
  } finally {
    Math.random = saved;
  }
}

/** A 32-bit seed derived from a base seed and a counter (epoch, step), so runs resume exactly. */
export function deriveSeed(base: number, ...counters: number[]): number {
  let h = (base ^ 0x9e3779b9) >>> 0;
  for (const c of counters) {
    h = Math.imul(h ^ (c >>> 0), 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}
