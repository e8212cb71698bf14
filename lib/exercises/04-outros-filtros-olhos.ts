// Exercises of notebook 04 (other filters and the eye detector): finding the peaks of a
// feature map, and how many pixels that differ from the filter a threshold tolerates.
import type { Matrix } from "../lecture/convolution";
import { featureMap, findPeaks } from "../lecture/detection";
import type { Exercise, ExerciseCase } from "../check/types";
import { noteReferenceCall } from "../check/reference-use";
import { CIRCLE_FILTER, EYE_FILTER, eyeScene } from "../lecture/images";
import { randomMatrix, seededRandom, shuffled } from "../common/random";
import { formatScalar } from "../check/compare";

const NOTEBOOK = "04-outros-filtros-olhos";

export function peaksCase(name: string, map: Matrix, threshold: number): ExerciseCase {
  return { name, args: [map, threshold], expected: findPeaks(map, threshold) };
}

/** Scenes of the notebook: eyes at these top-left corners. */
export const EYE_SCENES: { name: string; rows: number; cols: number; eyes: [number, number][]; faces: boolean }[] = [
  { name: "um rosto", rows: 14, cols: 14, eyes: [[2, 1], [2, 8]], faces: true },
  { name: "o mesmo rosto, olhos mais abaixo", rows: 14, cols: 14, eyes: [[4, 3], [4, 9]], faces: true },
  { name: "cinco olhos espalhados", rows: 16, cols: 24, eyes: [[1, 2], [3, 15], [7, 12], [9, 6], [12, 18]], faces: false },
];

/**
 * The reference of max-mismatches: the most pixels in which a window may disagree with a
 * +1/-1 filter and still reach `threshold` on the map (value = sum / number of weights; each
 * disagreeing pixel turns a +1 product into -1, taking 2 from the sum). -1 when not even the
 * filter itself reaches it. Compared as the map compares, (n - 2m) / n >= threshold, so a
 * threshold equal to a map value (13/15) counts, whatever the rounding of n * (1 - t) / 2.
 */
export function maxMismatches(filter: Matrix, threshold: number): number {
  noteReferenceCall("maxMismatches");
  const cells = filter.length * filter[0].length;
  for (let m = cells; m >= 0; m--) if ((cells - 2 * m) / cells >= threshold) return m;
  return -1;
}

/** `filter` with `mismatches` of its cells flipped, chosen by `seed`: a window that disagrees with it there. */
export function flippedWindow(filter: Matrix, mismatches: number, seed: number): Matrix {
  const cols = filter[0].length;
  const order = shuffled(Array.from({ length: filter.length * cols }, (_, i) => i), seededRandom(seed)).slice(0, mismatches);
  return filter.map((row, r) => row.map((v, c) => (order.includes(r * cols + c) ? -v : v)));
}

/**
 * A case whose expected value is measured, not computed by the formula: the filter is applied
 * (featureMap) to copies of itself with m = n, n - 1, ..., 0 cells flipped; the first m whose
 * map value reaches the threshold (or -1).
 */
export function mismatchCase(name: string, filter: Matrix, threshold: number, seed: number, shown = formatScalar(threshold)): ExerciseCase {
  const cells = filter.length * filter[0].length;
  let expected = -1;
  for (let m = cells; m >= 0 && expected < 0; m--) if (featureMap(flippedWindow(filter, m, seed + m), filter)[0][0] >= threshold) expected = m;
  return { name: `${name}, limiar ${shown}`, args: [filter, threshold], expected };
}

/** A seeded rows x cols filter of +1 and -1. */
export function signFilter(rows: number, cols: number, seed: number): Matrix {
  const rng = seededRandom(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => (rng() < 0.5 ? -1 : 1)));
}

export const exercises: Exercise[] = [
  {
    id: "find-peaks",
    notebook: NOTEBOOK,
    title: "Encontrar os picos do mapa de características",
    points: 2,
    symbol: "findPeaks",
    kind: "function",
    reference: findPeaks,
    offLimits: { probes: ["findPeaks"] },
    cases: () => [
      ...EYE_SCENES.map((s) => peaksCase(`olhos: ${s.name} (limiar 0,99)`, featureMap(eyeScene(s.rows, s.cols, s.eyes, { faces: s.faces }), EYE_FILTER), 0.99)),
      peaksCase("aleatório 5x6, semente 44, limiar 0,5", randomMatrix(5, 6, seededRandom(44)), 0.5),
      peaksCase("nenhum valor passa do limiar: lista vazia", [[0.1, 0.2], [0.3, 0.4]], 0.9),
      peaksCase("valor igual ao limiar conta", [[1, 0], [0, 1]], 1),
    ],
  },
  {
    id: "max-mismatches",
    notebook: NOTEBOOK,
    title: "Quantos pixels diferentes um limiar tolera",
    points: 2,
    symbol: "maxMismatches",
    kind: "function",
    reference: maxMismatches,
    offLimits: { probes: ["maxMismatches"] },
    cases: () => [
      mismatchCase("o filtro de olho (3x5)", EYE_FILTER, 0.99, 41),
      mismatchCase("o filtro de olho (3x5)", EYE_FILTER, 0.8, 42),
      mismatchCase("o filtro de olho (3x5), o pico do olho sem pupila", EYE_FILTER, 13 / 15, 43, "13/15"),
      mismatchCase("o filtro de circunferência (3x3)", CIRCLE_FILTER, 5 / 9, 44, "5/9"),
      mismatchCase("filtro aleatório 2x4", signFilter(2, 4, 45), 0, 46),
      mismatchCase("o filtro de olho (3x5), qualquer janela", EYE_FILTER, -1, 47),
      mismatchCase("o filtro de olho (3x5), nem o próprio filtro", EYE_FILTER, 1.2, 48),
    ],
  },
];
