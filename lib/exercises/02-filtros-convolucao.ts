// Exercises of notebook 02 (filters and convolution on the "9"): one window, then the
// whole valid convolution, compared with the lib reference and with tf.conv2d.
import { conv2d, windowProductSum, Matrix } from "../lecture/convolution";
import type { Exercise, ExerciseCase } from "../check/types";
import { CIRCLE_FILTER, DIAGONAL_FILTER, NINE, VERTICAL_LINE_FILTER } from "../lecture/images";
import { randomMatrix, seededRandom } from "../common/random";
import { CONV_KERNELS, tfConv2d } from "./tf-reference";

const NOTEBOOK = "02-filtros-convolucao";

/** A case of applyFilterAt: the expected value is tf.conv2d's output at that position. */
export function windowCase(name: string, image: Matrix, kernel: Matrix, row: number, col: number, fromTf: boolean): ExerciseCase {
  const expected = fromTf ? tfConv2d(image, kernel, 1, "valid")[row][col] : windowProductSum(image, kernel, row, col);
  return { name, args: [image, kernel, row, col], expected, tolerance: 1e-5 };
}

/** A case of convolve (stride 1, no padding) on seeded random numbers, expected from tf.conv2d. */
export function randomConvolveCase(seed: number, rows: number, cols: number, kRows: number, kCols: number): ExerciseCase {
  const rng = seededRandom(seed);
  const image = randomMatrix(rows, cols, rng, -2, 2), kernel = randomMatrix(kRows, kCols, rng);
  return { name: `aleatório ${rows}x${cols} com filtro ${kRows}x${kCols}, semente ${seed} (igual a tf.conv2d)`, args: [image, kernel], expected: tfConv2d(image, kernel, 1, "valid"), tolerance: 1e-5 };
}

export const exercises: Exercise[] = [
  {
    id: "apply-filter-at",
    notebook: NOTEBOOK,
    title: "Aplicar o filtro em uma posição",
    points: 1,
    symbol: "applyFilterAt",
    kind: "function",
    reference: windowProductSum,
    offLimits: { probes: ["windowProductSum", "conv2d"], tfKernels: CONV_KERNELS },
    cases: () => {
      const rng = seededRandom(2024);
      const image = randomMatrix(6, 7, rng), kernel = randomMatrix(3, 3, rng), wide = randomMatrix(2, 3, rng);
      return [
        windowCase("o 9 e a circunferência, janela no canto (0, 0)", NINE, CIRCLE_FILTER, 0, 0, false),
        windowCase("o 9 e a circunferência, janela em (0, 1): o laço do 9", NINE, CIRCLE_FILTER, 0, 1, false),
        windowCase("o 9 e a linha vertical, janela em (2, 2)", NINE, VERTICAL_LINE_FILTER, 2, 2, false),
        windowCase("o 9 e a diagonal, janela em (4, 0)", NINE, DIAGONAL_FILTER, 4, 0, false),
        windowCase("aleatório 6x7, filtro 3x3 em (2, 3) (igual a tf.conv2d)", image, kernel, 2, 3, true),
        windowCase("aleatório 6x7, filtro 2x3 (não quadrado) em (4, 4) (igual a tf.conv2d)", image, wide, 4, 4, true),
      ];
    },
  },
  {
    id: "convolve",
    notebook: NOTEBOOK,
    title: "Convolução com passo 1, sem preenchimento",
    points: 2,
    symbol: "convolve",
    kind: "function",
    reference: (image: Matrix, kernel: Matrix): Matrix => conv2d(image, kernel),
    offLimits: { probes: ["conv2d", "conv2dChannels"], tfKernels: CONV_KERNELS },
    cases: () => [
      { name: "o 9 com o filtro de circunferência (mapa 5x3)", args: [NINE, CIRCLE_FILTER], expected: conv2d(NINE, CIRCLE_FILTER) },
      { name: "o 9 com o filtro de linha vertical", args: [NINE, VERTICAL_LINE_FILTER], expected: conv2d(NINE, VERTICAL_LINE_FILTER) },
      { name: "filtro do tamanho da imagem (mapa 1x1)", args: [CIRCLE_FILTER, CIRCLE_FILTER], expected: [[9]] },
      randomConvolveCase(11, 6, 8, 3, 3),
      randomConvolveCase(12, 5, 5, 2, 2),
      randomConvolveCase(13, 9, 4, 3, 1),
    ],
  },
];
