// Exercises of notebook 06 (3D filters, the full CNN): a multi-channel convolution
// compared with tf.conv2d, the way back from the flattened vector to the maps ("unflatten",
// compared with tf.reshape: which map position each Dense weight looks at), and the
// parameter count of a small CNN compared with the tf.layers model's own count.
import * as tf from "@tensorflow/tfjs";
import { channelOf, conv2dChannels, Matrix, Volume } from "../lecture/convolution";
import { cnnParams } from "../lecture/parameters";
import type { Exercise, ExerciseCase } from "../check/types";
import { Rng, seededRandom } from "../common/random";
import { noteReferenceCall } from "../check/reference-use";
import { CONV_KERNELS, tfCnnParams, tfConvVolume, withTf } from "./tf-reference";

const NOTEBOOK = "06-filtros-3d-cnn";

/** A rows x cols x channels volume of seeded values in [low, high). */
export function randomVolume(rows: number, cols: number, channels: number, rng: Rng, low = -1, high = 1): Volume {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () =>
    Array.from({ length: channels }, () => Number((low + (high - low) * rng()).toFixed(3)))));
}


export function convVolumeCase(name: string, input: Volume, filter: Volume, stride: number): ExerciseCase {
  return {
    name: `${name}, passo ${stride} (igual a tf.conv2d)`, args: [input, filter, stride],
    expected: tfConvVolume(input, filter, stride), tolerance: 1e-5,
  };
}

export function randomConvVolumeCase(seed: number, size: [number, number, number], k: number, stride: number): ExerciseCase {
  const rng = seededRandom(seed);
  const [rows, cols, channels] = size;
  return convVolumeCase(`aleatório ${rows}x${cols}x${channels}, filtro ${k}x${k}x${channels}, semente ${seed}`,
    randomVolume(rows, cols, channels, rng), randomVolume(k, k, channels, rng), stride);
}


/** tf.reshape of a flat vector to rows x cols x channels: the inverse of Keras' Flatten. */
export function tfUnflatten(vector: number[], rows: number, cols: number, channels: number): Volume {
  return withTf(() => tf.tensor1d(vector).reshape([rows, cols, channels]).arraySync() as Volume);
}

export function unflattenCase(name: string, vector: number[], rows: number, cols: number, channels: number): ExerciseCase {
  return {
    name: `${name}: ${vector.length} valores → ${rows}x${cols}x${channels} (igual a tf.reshape)`,
    args: [vector, rows, cols, channels], expected: tfUnflatten(vector, rows, cols, channels), tolerance: 1e-6,
  };
}

/** `n` seeded values with 3 decimals. */
export function randomVector(n: number, rng: Rng): number[] {
  return Array.from({ length: n }, () => Number((2 * rng() - 1).toFixed(3)) + 0);
}

export function cnnParamsCase(name: string, imageSize: number, channels: number, filters: number, kernelSize: number, poolSize: number, classes: number): ExerciseCase {
  return {
    name: `${name}: imagem ${imageSize}x${imageSize}x${channels}, ${filters} filtros ${kernelSize}x${kernelSize}, pooling ${poolSize}, ${classes} classes (contagem do tf.layers)`,
    args: [imageSize, channels, filters, kernelSize, poolSize, classes],
    expected: tfCnnParams(imageSize, channels, filters, kernelSize, poolSize, classes),
  };
}

/** The slide's two 3D filters on a small 3-channel image: "cabeça" and "corpo". */
export function headAndBodyExample(): { image: Volume; head: Volume; body: Volume } {
  const rng = seededRandom(606);
  return { image: randomVolume(6, 6, 3, rng, 0, 1), head: randomVolume(3, 3, 3, rng), body: randomVolume(3, 3, 3, rng) };
}

/** The references of the exercises: one 3D filter's map, and the way back from Flatten's order (row, column, channel). */
export const conv2dMultiChannel = (input: Volume, filter: Volume, stride: number): Matrix => channelOf(conv2dChannels(input, [filter], stride), 0);
export function unflatten(vector: number[], rows: number, cols: number, channels: number): Volume {
  noteReferenceCall("unflatten");
  if (vector.length !== rows * cols * channels) {
    throw new Error(`unflatten: ${vector.length} valores não formam ${rows}x${cols}x${channels} = ${rows * cols * channels}.`);
  }
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => vector.slice((r * cols + c) * channels, (r * cols + c + 1) * channels)));
}

export const exercises: Exercise[] = [
  {
    id: "conv-multichannel",
    notebook: NOTEBOOK,
    title: "Convolução com um filtro 3D (vários canais)",
    points: 3,
    symbol: "conv2dMultiChannel",
    kind: "function",
    reference: conv2dMultiChannel,
    offLimits: { probes: ["conv2dChannels", "conv2d"], tfKernels: CONV_KERNELS },
    cases: () => {
      const { image, head, body } = headAndBodyExample();
      const oneChannel = randomVolume(5, 5, 1, seededRandom(61));
      return [
        convVolumeCase("imagem 6x6x3 com o filtro da cabeça", image, head, 1),
        convVolumeCase("imagem 6x6x3 com o filtro do corpo", image, body, 1),
        convVolumeCase("imagem 6x6x3 com o filtro da cabeça", image, head, 2),
        convVolumeCase("um canal só (igual à convolução 2D)", oneChannel, randomVolume(3, 3, 1, seededRandom(62)), 1),
        randomConvVolumeCase(63, [7, 5, 4], 3, 1),
        randomConvVolumeCase(64, [8, 8, 2], 2, 2),
        randomConvVolumeCase(65, [4, 4, 3], 4, 1),
      ];
    },
  },
  {
    id: "unflatten",
    notebook: NOTEBOOK,
    title: "O caminho de volta do Flatten: do vetor aos mapas",
    points: 2,
    symbol: "unflatten",
    kind: "function",
    reference: unflatten,
    offLimits: { probes: ["unflatten"], tfKernels: ["Reshape"] },
    cases: () => {
      const rng = seededRandom(66);
      return [
        unflattenCase("os números de 1 a 12", Array.from({ length: 12 }, (_, i) => i + 1), 3, 2, 2),
        unflattenCase("aleatório", randomVector(24, rng), 4, 3, 2),
        unflattenCase("aleatório, mais colunas que linhas", randomVector(30, rng), 2, 5, 3),
        unflattenCase("um pixel só, 6 mapas", randomVector(6, rng), 1, 1, 6),
        unflattenCase("uma coluna, 1 mapa", randomVector(5, rng), 5, 1, 1),
      ];
    },
  },
  {
    id: "cnn-params",
    notebook: NOTEBOOK,
    title: "Parâmetros treináveis da CNN completa",
    points: 2,
    symbol: "cnnParameterCount",
    kind: "function",
    reference: cnnParams,
    offLimits: { probes: ["cnnParams"] },
    cases: () => [
      cnnParamsCase("a CNN de dígitos deste notebook", 28, 1, 8, 3, 2, 10),
      cnnParamsCase("mais filtros", 28, 1, 32, 3, 2, 10),
      cnnParamsCase("imagem colorida", 32, 3, 16, 5, 2, 10),
      cnnParamsCase("pooling 3x3 que não divide o mapa", 20, 2, 4, 3, 3, 2),
    ],
  },
];
