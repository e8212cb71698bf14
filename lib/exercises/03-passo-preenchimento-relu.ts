// Exercises of notebook 03 (stride, padding, ReLU): output size, zero padding, the full
// conv2d and ReLU, each compared with TensorFlow.js on fixed inputs and seeded random ones.
import { relu } from "../lecture/activation";
import { conv2d, Matrix, outputSize, zeroPad } from "../lecture/convolution";
import { featureMap } from "../lecture/detection";
import type { Exercise, ExerciseCase } from "../check/types";
import { CIRCLE_FILTER, NINE } from "../lecture/images";
import { randomMatrix, seededRandom } from "../common/random";
import { CONV_KERNELS, tfConv2d, tfOutputSize, tfRelu, tfZeroPad } from "./tf-reference";

const NOTEBOOK = "03-passo-preenchimento-relu";

export function outputSizeCase(n: number, k: number, stride: number, padding: number): ExerciseCase {
  return { name: `entrada ${n}, filtro ${k}, passo ${stride}, preenchimento ${padding} (igual a tf.conv2d)`, args: [n, k, stride, padding], expected: tfOutputSize(n, k, stride, padding) };
}

export function conv2dCase(name: string, image: Matrix, kernel: Matrix, stride: number, padding: number): ExerciseCase {
  return { name: `${name}, passo ${stride}, preenchimento ${padding} (igual a tf.conv2d)`, args: [image, kernel, stride, padding], expected: tfConv2d(image, kernel, stride, padding), tolerance: 1e-5 };
}

/** A conv2d case on seeded numbers; `k` is the side of a square filter or [kRows, kCols]. */
export function randomConv2dCase(seed: number, rows: number, cols: number, k: number | [number, number], stride: number, padding: number): ExerciseCase {
  const rng = seededRandom(seed);
  const [kRows, kCols] = typeof k === "number" ? [k, k] : k;
  const shape = kRows === kCols ? `${kRows}x${kCols}` : `${kRows}x${kCols} (não quadrado)`;
  return conv2dCase(`aleatório ${rows}x${cols}, filtro ${shape}, semente ${seed}`, randomMatrix(rows, cols, rng, -2, 2), randomMatrix(kRows, kCols, rng), stride, padding);
}

export const exercises: Exercise[] = [
  {
    id: "output-size",
    notebook: NOTEBOOK,
    title: "Tamanho da saída de uma convolução",
    points: 1,
    symbol: "outputSize",
    kind: "function",
    reference: outputSize,
    offLimits: { probes: ["outputSize"], tfKernels: CONV_KERNELS },
    cases: () => [
      outputSizeCase(7, 3, 1, 0),
      outputSizeCase(5, 3, 1, 0),
      outputSizeCase(7, 3, 2, 0),
      outputSizeCase(6, 3, 2, 0),
      outputSizeCase(7, 3, 1, 1),
      outputSizeCase(180, 3, 2, 1),
      outputSizeCase(28, 5, 1, 2),
      outputSizeCase(10, 4, 3, 0),
    ],
  },
  {
    id: "zero-pad",
    notebook: NOTEBOOK,
    title: "Preenchimento com zeros",
    points: 1,
    symbol: "zeroPad",
    kind: "function",
    reference: (image: Matrix, p: number): Matrix => zeroPad(image, p),
    offLimits: { probes: ["zeroPad"], tfKernels: ["PadV2"] },
    cases: () => {
      const rng = seededRandom(303);
      const small = randomMatrix(3, 4, rng);
      return [
        { name: "o 9 com 1 zero de cada lado (igual a tf.pad)", args: [NINE, 1], expected: tfZeroPad(NINE, 1) },
        { name: "aleatório 3x4 com 2 zeros de cada lado (igual a tf.pad)", args: [small, 2], expected: tfZeroPad(small, 2), tolerance: 1e-6 },
        { name: "preenchimento 0 devolve a mesma imagem", args: [small, 0], expected: small },
        { name: "imagem 1x1", args: [[[5]], 1], expected: tfZeroPad([[5]], 1) },
      ];
    },
  },
  {
    id: "conv2d",
    notebook: NOTEBOOK,
    title: "Convolução com passo e preenchimento",
    points: 3,
    symbol: "conv2d",
    kind: "function",
    reference: (image: Matrix, kernel: Matrix, stride: number, padding: number): Matrix => conv2d(image, kernel, stride, padding),
    offLimits: { probes: ["conv2d", "conv2dChannels"], tfKernels: CONV_KERNELS },
    cases: () => [
      conv2dCase("o 9 com a circunferência", NINE, CIRCLE_FILTER, 1, 0),
      conv2dCase("o 9 com a circunferência", NINE, CIRCLE_FILTER, 2, 0),
      conv2dCase("o 9 com a circunferência", NINE, CIRCLE_FILTER, 1, 1),
      conv2dCase("o 9 com a circunferência", NINE, CIRCLE_FILTER, 2, 1),
      randomConv2dCase(31, 8, 6, 3, 1, 0),
      randomConv2dCase(32, 9, 9, 3, 3, 0),
      randomConv2dCase(33, 7, 10, 5, 2, 2),
      randomConv2dCase(34, 6, 6, 2, 2, 1),
      randomConv2dCase(35, 7, 8, [2, 3], 2, 1),
      randomConv2dCase(36, 6, 5, [3, 1], 1, 0),
    ],
  },
  {
    id: "relu",
    notebook: NOTEBOOK,
    title: "ReLU no mapa de características",
    points: 1,
    symbol: "relu",
    kind: "function",
    reference: relu,
    offLimits: { probes: ["relu"], tfKernels: ["Relu"] },
    cases: () => {
      const map = featureMap(NINE, CIRCLE_FILTER);
      const random = randomMatrix(4, 6, seededRandom(404), -3, 3);
      return [
        { name: "mapa da circunferência no 9", args: [map], expected: relu(map) },
        { name: "aleatório 4x6, semente 404 (igual a tf.relu)", args: [random], expected: tfRelu(random) },
        { name: "zeros e negativos viram 0", args: [[[0, -0.5], [-2, 3]]], expected: tfRelu([[0, -0.5], [-2, 3]]) },
      ];
    },
  },
];
