// Exercises of notebook 04 (other filters and the eye detector): finding the peaks of a
// feature map, and designing a filter that finds one part of the "9".
import type { Matrix } from "../lecture/convolution";
import { featureMap, findPeaks } from "../lecture/detection";
import type { Exercise, ExerciseCase, Json } from "../check/types";
import { EYE_FILTER, eyeScene, NINE } from "../lecture/images";
import { randomMatrix, seededRandom } from "../common/random";

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

/** Checks a proposed filter: the map on the "9" reaches 1 at [row][col] and only there. */
export function verifyPartFilter(row: number, col: number, image: Matrix = NINE): (obtained: Json) => string | null {
  return (obtained) => {
    if (!Array.isArray(obtained) || obtained.length !== 3 || !obtained.every((r) => Array.isArray(r) && r.length === 3 && r.every((v) => typeof v === "number"))) {
      return "esperava uma matriz 3x3 de números (number[][]).";
    }
    const filter = obtained as number[][];
    if (!filter.flat().every((v) => v === 1 || v === -1)) return "use só +1 e -1 no filtro (como os filtros da aula).";
    const map = featureMap(image, filter);
    const top = findPeaks(map, 0.999);
    if (top.length === 1 && top[0][0] === row && top[0][1] === col) return null;
    const best = Math.max(...map.flat());
    return `o mapa do seu filtro vale ${map[row][col].toFixed(2)} em [${row}][${col}] (queremos 1.00), e chega a ${best.toFixed(2)} em ${JSON.stringify(findPeaks(map, best - 1e-9))}; queremos 1.00 só em [${row}][${col}].`;
  };
}

export const exercises: Exercise[] = [
  {
    id: "find-peaks",
    notebook: NOTEBOOK,
    title: "Encontrar os picos do mapa de características",
    points: 2,
    symbol: "findPeaks",
    kind: "function", reference: { implementation: findPeaks, probes: ["findPeaks"] },
    cases: () => [
      ...EYE_SCENES.map((s) => peaksCase(`olhos: ${s.name} (limiar 0.99)`, featureMap(eyeScene(s.rows, s.cols, s.eyes, { faces: s.faces }), EYE_FILTER), 0.99)),
      peaksCase("aleatório 5x6, semente 44, limiar 0.5", randomMatrix(5, 6, seededRandom(44)), 0.5),
      peaksCase("nenhum valor passa do limiar: lista vazia", [[0.1, 0.2], [0.3, 0.4]], 0.9),
      peaksCase("valor igual ao limiar conta", [[1, 0], [0, 1]], 1),
    ],
  },
  {
    id: "corner-filter",
    notebook: NOTEBOOK,
    title: "Um filtro sob medida para o canto superior esquerdo do 9",
    points: 1,
    symbol: "cornerFilter",
    // A function (not a const) so that an untouched stub is "not done" instead of a cell error.
    kind: "function",
    cases: () => [{ name: "mapa no 9 vale 1 só em [0][0]", args: [], verify: verifyPartFilter(0, 0) }],
  },
];
