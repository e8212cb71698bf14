// Exercises of notebook 05 (pooling): max and average pooling compared with
// tf.maxPool / tf.avgPool, and the Dense parameters left after pooling compared with
// a tf.layers model's own count.
import { relu } from "../lecture/activation";
import type { Matrix } from "../lecture/convolution";
import { featureMap } from "../lecture/detection";
import type { Exercise, ExerciseCase } from "../check/types";
import { CIRCLE_FILTER, NINE } from "../lecture/images";
import { avgPool2d, maxPool2d, PoolMode } from "../lecture/pooling";
import { denseParamsAfterPooling } from "../lecture/parameters";
import { randomMatrix, seededRandom } from "../common/random";
import { tfDenseParamsAfterPooling, tfPool2d } from "./tf-reference";

const NOTEBOOK = "05-pooling";

/** The ReLU'd circle-filter map of the "9" (5x3): what the lecture pools. */
export function nineReluMap(): Matrix {
  return relu(featureMap(NINE, CIRCLE_FILTER));
}


const TF_NAME: Record<PoolMode, string> = { max: "tf.maxPool", average: "tf.avgPool" };

export function poolCase(mode: PoolMode, name: string, map: Matrix, size: number, stride: number): ExerciseCase {
  return {
    name: `${name}, janela ${size}x${size}, passo ${stride} (igual a ${TF_NAME[mode]})`,
    args: [map, size, stride], expected: tfPool2d(map, size, stride, mode), tolerance: 1e-5,
  };
}

export function randomPoolCase(mode: PoolMode, seed: number, rows: number, cols: number, size: number, stride: number): ExerciseCase {
  return poolCase(mode, `aleatório ${rows}x${cols}, semente ${seed}`, randomMatrix(rows, cols, seededRandom(seed), -3, 3), size, stride);
}

function poolCases(mode: PoolMode): ExerciseCase[] {
  const nine = nineReluMap();
  return [
    poolCase(mode, 'mapa do "9" após a ReLU (5x3)', nine, 2, 1),
    poolCase(mode, 'mapa do "9" após a ReLU (5x3)', nine, 2, 2),
    randomPoolCase(mode, 51, 6, 6, 2, 2),
    randomPoolCase(mode, 52, 7, 9, 3, 2),
    randomPoolCase(mode, 53, 4, 5, 2, 1),
    randomPoolCase(mode, 54, 5, 5, 2, 2),
    randomPoolCase(mode, 55, 3, 4, 1, 1),
  ];
}


export function pooledParamsCase(name: string, rows: number, cols: number, channels: number, poolSize: number, stride: number, units: number): ExerciseCase {
  return {
    name: `${name}: ${rows}x${rows === cols ? rows : cols}x${channels}, pooling ${poolSize}x${poolSize} passo ${stride}, Dense(${units}) (contagem do tf.layers)`,
    args: [rows, cols, channels, poolSize, stride, units],
    expected: tfDenseParamsAfterPooling(rows, cols, channels, poolSize, stride, units),
  };
}

export const exercises: Exercise[] = [
  {
    id: "max-pool",
    notebook: NOTEBOOK,
    title: "Max pooling",
    points: 2,
    symbol: "maxPool2d",
    kind: "function",
    reference: maxPool2d,
    offLimits: { probes: ["pool2d"], tfKernels: ["MaxPool", "MaxPoolWithArgmax"] },
    cases: () => poolCases("max"),
  },
  {
    id: "avg-pool",
    notebook: NOTEBOOK,
    title: "Average pooling",
    points: 2,
    symbol: "avgPool2d",
    kind: "function",
    reference: avgPool2d,
    offLimits: { probes: ["pool2d"], tfKernels: ["AvgPool"] },
    cases: () => poolCases("average"),
  },
  {
    id: "pooled-dense-params",
    notebook: NOTEBOOK,
    title: "Parâmetros da camada Dense depois do pooling",
    points: 2,
    symbol: "denseParamsAfterPooling",
    kind: "function",
    reference: denseParamsAfterPooling,
    offLimits: { probes: ["denseParamsAfterPooling"] },
    cases: () => [
      pooledParamsCase('o mapa do "9"', 5, 3, 1, 2, 1, 10),
      pooledParamsCase('o mapa do "9"', 5, 3, 1, 2, 2, 10),
      pooledParamsCase("a CNN de dígitos do notebook 06", 26, 26, 8, 2, 2, 10),
      pooledParamsCase("uma imagem 64x64 após 16 filtros", 62, 62, 16, 2, 2, 4),
      pooledParamsCase("janela 1x1 (sem redução)", 6, 4, 3, 1, 1, 5),
      pooledParamsCase("janela 3x3, passo 3, lado que não divide", 10, 10, 2, 3, 3, 4),
    ],
  },
];
