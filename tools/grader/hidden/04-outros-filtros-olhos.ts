// Hidden cases of notebook 04 (instructor grading only): new eye scenes, thresholds and parts of the "9".
import { featureMap, findPeaks } from "../../../lib/lecture/detection";
import type { ExerciseCase } from "../../../lib/check/types";
import { peaksCase, verifyPartFilter } from "../../../lib/exercises/04-outros-filtros-olhos";
import { blankImage, drawPattern, EYE_FILTER, eyeScene, NINE } from "../../../lib/lecture/images";
import { randomMatrix, seededRandom } from "../../../lib/common/random";

const crowd = featureMap(eyeScene(12, 20, [[0, 0], [0, 15], [9, 0], [9, 15], [5, 8]]), EYE_FILTER);
const random = randomMatrix(7, 4, seededRandom(4040));

export const hidden: Record<string, ExerciseCase[]> = {
  "find-peaks": [
    peaksCase("oculto: olhos nos quatro cantos e no meio", crowd, 0.99),
    peaksCase("oculto: limiar mais baixo acha também acertos parciais", crowd, 0.3),
    peaksCase("oculto: aleatório 7x4, limiar -0.2", random, -0.2),
    { name: "oculto: todos passam", args: [[[2, 3]], 1], expected: findPeaks([[2, 3]], 1) },
  ],
  "corner-filter": [{ name: "oculto: o mesmo filtro acha o canto num 9 deslocado para (1, 2) de uma imagem 9x8", args: [], verify: verifyPartFilter(1, 2, drawPattern(blankImage(9, 8), NINE, 1, 2)) }],
};
