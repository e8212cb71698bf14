// Using a filter as a detector: its feature map, scaled so that a perfect match is 1,
// and the places where that map is high enough to say "the pattern is here".
import { conv2d, matrixShape, Matrix, Padding } from "./convolution";
import { noteReferenceCall } from "../check/reference-use";

/**
 * The lecture's feature map: convolution divided by the number of filter cells
 * (for a 3x3 filter, the sum of the 9 products / 9). With +1/-1 images and filters,
 * 1 means a perfect match and -1 the exact opposite.
 */
export function featureMap(image: Matrix, filter: Matrix, stride = 1, padding: Padding = 0): Matrix {
  const [kRows, kCols] = matrixShape(filter, "filtro");
  const cells = kRows * kCols;
  return conv2d(image, filter, stride, padding).map((row) => row.map((v) => v / cells));
}

/** Positions [row, col] where `map` is >= threshold, in reading order (row by row). */
export function findPeaks(map: Matrix, threshold: number): [number, number][] {
  noteReferenceCall("findPeaks");
  matrixShape(map, "mapa");
  const peaks: [number, number][] = [];
  map.forEach((row, r) => row.forEach((v, c) => { if (v >= threshold) peaks.push([r, c]); }));
  return peaks;
}

/** Where `pattern` appears in `image`: peaks of its feature map (top-left corners of the matches). */
export function detectPattern(image: Matrix, pattern: Matrix, threshold = 0.99): [number, number][] {
  return findPeaks(featureMap(image, pattern), threshold);
}
