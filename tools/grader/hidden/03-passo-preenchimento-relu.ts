// Hidden cases of notebook 03 (instructor grading only): other sizes, strides, paddings and seeds.
import type { ExerciseCase } from "../../../lib/check/types";
import { conv2dCase, outputSizeCase, randomConv2dCase } from "../../../lib/exercises/03-passo-preenchimento-relu";
import { tfRelu, tfZeroPad } from "../../../lib/exercises/tf-reference";
import { DIAGONAL_FILTER, NINE } from "../../../lib/lecture/images";
import { randomMatrix, seededRandom } from "../../../lib/common/random";

const rng = seededRandom(909);
const pad = randomMatrix(2, 5, rng), act = randomMatrix(6, 3, rng, -1, 1);

export const hidden: Record<string, ExerciseCase[]> = {
  "output-size": [outputSizeCase(9, 3, 3, 0), outputSizeCase(224, 7, 2, 3), outputSizeCase(5, 5, 1, 0), outputSizeCase(11, 2, 4, 1), outputSizeCase(4, 3, 5, 2)],
  "zero-pad": [
    { name: "oculto: aleatório 2x5 com 3 zeros", args: [pad, 3], expected: tfZeroPad(pad, 3), tolerance: 1e-6 },
    { name: "oculto: o 9 com 2 zeros", args: [NINE, 2], expected: tfZeroPad(NINE, 2) },
  ],
  conv2d: [
    conv2dCase("oculto: o 9 com a diagonal", NINE, DIAGONAL_FILTER, 3, 1),
    randomConv2dCase(91, 12, 7, 3, 2, 1),
    randomConv2dCase(92, 5, 5, 5, 1, 2),
    randomConv2dCase(93, 10, 10, 4, 3, 0),
    randomConv2dCase(94, 3, 8, 3, 1, 3),
    randomConv2dCase(95, 8, 11, [4, 2], 2, 1),
    randomConv2dCase(96, 6, 9, [1, 3], 3, 2),
  ],
  relu: [
    { name: "oculto: aleatório 6x3", args: [act], expected: tfRelu(act), tolerance: 1e-6 },
    { name: "oculto: matriz 1x1 negativa", args: [[[-7]]], expected: [[0]] },
  ],
};
