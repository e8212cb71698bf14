// Exercises of notebook 04 (other filters and the eye detector): finding the peaks of a
// feature map, and the threshold that tolerates a few pixels that differ from the filter.
import type { Matrix } from "../lecture/convolution";
import { featureMap, findPeaks } from "../lecture/detection";
import type { Exercise, ExerciseCase } from "../check/types";
import { noteReferenceCall } from "../check/reference-use";
import { CIRCLE_FILTER, EYE_FILTER, eyeScene } from "../lecture/images";
import { randomMatrix, seededRandom, shuffled } from "../common/random";

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
 * The reference of detection-threshold: the map value (sum / number of weights) of a
 * window that disagrees with a +1/-1 filter in `mismatches` cells. Each disagreeing cell
 * turns a +1 product into -1, so it takes 2 from the sum.
 */
export function detectionThreshold(filter: Matrix, mismatches: number): number {
  noteReferenceCall("detectionThreshold");
  const cells = filter.length * filter[0].length;
  return (cells - 2 * mismatches) / cells;
}

/**
 * A case whose expected value is measured, not computed by the formula: the filter is
 * applied (featureMap) to a copy of itself with `mismatches` cells flipped, chosen by `seed`.
 */
export function thresholdCase(name: string, filter: Matrix, mismatches: number, seed: number): ExerciseCase {
  const cols = filter[0].length;
  const order = shuffled(Array.from({ length: filter.length * cols }, (_, i) => i), seededRandom(seed)).slice(0, mismatches);
  const window = filter.map((row, r) => row.map((v, c) => (order.includes(r * cols + c) ? -v : v)));
  return { name: `${name}, ${mismatches} pixel(s) diferente(s)`, args: [filter, mismatches], expected: featureMap(window, filter)[0][0], tolerance: 1e-9 };
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
      ...EYE_SCENES.map((s) => peaksCase(`olhos: ${s.name} (limiar 0.99)`, featureMap(eyeScene(s.rows, s.cols, s.eyes, { faces: s.faces }), EYE_FILTER), 0.99)),
      peaksCase("aleatório 5x6, semente 44, limiar 0.5", randomMatrix(5, 6, seededRandom(44)), 0.5),
      peaksCase("nenhum valor passa do limiar: lista vazia", [[0.1, 0.2], [0.3, 0.4]], 0.9),
      peaksCase("valor igual ao limiar conta", [[1, 0], [0, 1]], 1),
    ],
  },
  {
    id: "detection-threshold",
    notebook: NOTEBOOK,
    title: "O limiar que tolera alguns pixels diferentes",
    points: 2,
    symbol: "detectionThreshold",
    kind: "function",
    reference: detectionThreshold,
    offLimits: { probes: ["detectionThreshold"] },
    cases: () => [
      thresholdCase("o filtro de olho (3x5)", EYE_FILTER, 0, 41),
      thresholdCase("o filtro de olho (3x5)", EYE_FILTER, 1, 42),
      thresholdCase("o filtro de olho (3x5)", EYE_FILTER, 2, 43),
      thresholdCase("o filtro de circunferência (3x3)", CIRCLE_FILTER, 1, 44),
      thresholdCase("filtro aleatório 2x4", signFilter(2, 4, 45), 3, 46),
    ],
  },
];
