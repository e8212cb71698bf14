// How much a feature map changes when the digit moves a few pixels, with and without
// pooling. A convolution's map moves along with the object (every value lands in a new
// cell), so compared cell by cell it changes a lot; after pooling, a value that moved
// inside the same window gives the same output, so the pooled map changes less.
import { relu } from "../lecture/activation";
import { conv2d, Matrix } from "../lecture/convolution";
import { DigitSet, digitImage } from "./mnist";
import { shiftImage } from "../lecture/images";
import { pool2d, PoolMode } from "../lecture/pooling";

/** Sobel filter: responds to vertical edges (dark on the left, ink on the right). */
export const VERTICAL_EDGE_FILTER: Matrix = [
  [-1, 0, 1],
  [-2, 0, 2],
  [-1, 0, 1],
];

/** ||a - b|| / ||a||: 0 = identical, 1 = as large as the map itself. */
export function relativeChange(a: Matrix, b: Matrix): number {
  let diff = 0, norm = 0;
  a.forEach((row, i) => row.forEach((v, j) => { diff += (v - b[i][j]) ** 2; norm += v * v; }));
  return norm === 0 ? (diff === 0 ? 0 : Infinity) : Math.sqrt(diff / norm);
}

export interface Representation {
  name: string;
  /** Turns a ReLU'd feature map into the representation compared (identity: no pooling). */
  apply: (map: Matrix) => Matrix;
}

/** No pooling, max 2x2 and average 2x2 (step 2), the comparison the notebook draws. */
export function standardRepresentations(size = 2): Representation[] {
  const pooled = (mode: PoolMode, name: string): Representation => ({ name, apply: (m) => pool2d(m, size, size, mode) });
  return [
    { name: "sem pooling", apply: (m) => m },
    pooled("max", `max pooling ${size}x${size}`),
    pooled("average", `average pooling ${size}x${size}`),
  ];
}

export interface ShiftRobustness {
  /** Shifts measured, in pixels. */
  shifts: number[];
  /** Per representation: mean relative change for each shift (same order as `shifts`). */
  changes: { name: string; values: number[] }[];
  /** Images averaged over. */
  images: number;
}

/**
 * For each digit of `set`, the ReLU'd feature map of `filter` on the digit and on the digit
 * moved by s pixels (right, left, down and up, averaged), compared through each
 * representation. Digits whose map is all zero are skipped (nothing to compare).
 */
export function measureShiftRobustness(set: DigitSet, filter: Matrix, shifts: number[], representations = standardRepresentations()): ShiftRobustness {
  if (shifts.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`Os deslocamentos devem ser inteiros >= 0 (recebi ${shifts.join(", ")}).`);
  const sums = representations.map(() => shifts.map(() => 0));
  let used = 0;
  for (let i = 0; i < set.count; i++) {
    const image = digitImage(set, i);
    const map = relu(conv2d(image, filter));
    if (map.every((row) => row.every((v) => v === 0))) continue;
    used++;
    const base = representations.map((r) => r.apply(map));
    shifts.forEach((s, k) => {
      const moves: [number, number][] = [[0, s], [0, -s], [s, 0], [-s, 0]];
      for (const [down, right] of moves) {
        // MNIST background is 0, so what enters from the border is 0.
        const moved = relu(conv2d(shiftImage(image, down, right, 0), filter));
        representations.forEach((r, j) => { sums[j][k] += relativeChange(base[j], r.apply(moved)) / moves.length; });
      }
    });
  }
  if (used === 0) throw new Error("Nenhuma imagem deu um mapa diferente de zero com este filtro: use outro filtro ou mais imagens.");
  return {
    shifts, images: used,
    changes: representations.map((r, j) => ({ name: r.name, values: sums[j].map((s) => s / used) })),
  };
}
