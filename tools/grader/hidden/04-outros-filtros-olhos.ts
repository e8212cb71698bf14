// Hidden cases of notebook 04 (instructor grading only): new eye scenes, thresholds and filter shapes.
import { featureMap, findPeaks } from "../../../lib/lecture/detection";
import type { ExerciseCase } from "../../../lib/check/types";
import { mismatchCase, peaksCase, signFilter } from "../../../lib/exercises/04-outros-filtros-olhos";
import { DIAGONAL_FILTER, EYE_FILTER, eyeScene } from "../../../lib/lecture/images";
import { randomMatrix, seededRandom } from "../../../lib/common/random";

const crowd = featureMap(eyeScene(12, 20, [[0, 0], [0, 15], [9, 0], [9, 15], [5, 8]]), EYE_FILTER);
const random = randomMatrix(7, 4, seededRandom(4040));

export const hidden: Record<string, ExerciseCase[]> = {
  "find-peaks": [
    peaksCase("oculto: olhos nos quatro cantos e no meio", crowd, 0.99),
    peaksCase("oculto: limiar mais baixo acha também acertos parciais", crowd, 0.3),
    peaksCase("oculto: aleatório 7x4, limiar -0,2", random, -0.2),
    { name: "oculto: todos passam", args: [[[2, 3]], 1], expected: findPeaks([[2, 3]], 1) },
  ],
  "max-mismatches": [
    mismatchCase("oculto: a diagonal (3x3)", DIAGONAL_FILTER, 0.3, 401),
    mismatchCase("oculto: filtro aleatório 5x5, um valor do mapa", signFilter(5, 5, 402), 19 / 25, 403, "19/25"),
    mismatchCase("oculto: filtro aleatório 1x6", signFilter(1, 6, 404), -0.5, 405),
    mismatchCase("oculto: o olho (3x5), um valor do mapa (9/15)", EYE_FILTER, 0.6, 406),
    mismatchCase("oculto: o olho (3x5), só a janela idêntica", EYE_FILTER, 1, 407),
  ],
};
