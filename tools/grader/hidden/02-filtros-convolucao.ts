// Hidden cases of notebook 02 (instructor grading only): other positions, filters and seeds.
import type { ExerciseCase } from "../../../lib/check/types";
import { randomConvolveCase, windowCase } from "../../../lib/exercises/02-filtros-convolucao";
import { tfConv2d } from "../../../lib/exercises/tf-reference";
import { DIAGONAL_FILTER, NINE, VERTICAL_LINE_FILTER } from "../../../lib/lecture/images";
import { randomMatrix, seededRandom } from "../../../lib/common/random";

const rng = seededRandom(777);
const image = randomMatrix(8, 5, rng), kernel = randomMatrix(4, 2, rng);

export const hidden: Record<string, ExerciseCase[]> = {
  "apply-filter-at": [
    windowCase("oculto: o 9 e a linha vertical em (1, 2)", NINE, VERTICAL_LINE_FILTER, 1, 2, false),
    windowCase("oculto: o 9 e a diagonal na última posição (4, 2)", NINE, DIAGONAL_FILTER, 4, 2, false),
    windowCase("oculto: aleatório 8x5, filtro 4x2 em (3, 2)", image, kernel, 3, 2, true),
    windowCase("oculto: aleatório 8x5, filtro 4x2 em (4, 3)", image, kernel, 4, 3, true),
  ],
  convolve: [
    { name: "oculto: o 9 com a diagonal (igual a tf.conv2d)", args: [NINE, DIAGONAL_FILTER], expected: tfConv2d(NINE, DIAGONAL_FILTER, 1, "valid"), tolerance: 1e-5 },
    randomConvolveCase(71, 7, 7, 3, 3),
    randomConvolveCase(72, 4, 9, 1, 4),
    randomConvolveCase(73, 10, 3, 5, 3),
  ],
};
