// Exercises of notebook 06 (3D filters, the full CNN): a multi-channel convolution
// compared with tf.conv2d, the flatten ("desenrolar") compared with tf.layers.flatten,
// and the parameter count of a small CNN compared with the tf.layers model's own count.
import { channelOf, conv2dChannels, Matrix, Volume } from "../lecture/convolution";
import { cnnParams } from "../lecture/parameters";
import type { Exercise, ExerciseCase } from "../check/types";
import { Rng, seededRandom } from "../common/random";
import { CONV_KERNELS, tfCnnParams, tfConvVolume, tfFlatten } from "./tf-reference";

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


export function flattenCase(name: string, volume: Volume): ExerciseCase {
  return { name: `${name} (igual a tf.layers.flatten)`, args: [volume], expected: tfFlatten(volume) };
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

/** The references of the exercises: one 3D filter's map, and the Flatten order (row, column, channel). */
export const conv2dMultiChannel = (input: Volume, filter: Volume, stride: number): Matrix => channelOf(conv2dChannels(input, [filter], stride), 0);
export const flattenVolume = (volume: Volume): number[] => volume.flat(2);

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
    id: "flatten",
    notebook: NOTEBOOK,
    title: "Desenrolar (flatten) os mapas",
    points: 1,
    symbol: "flatten",
    kind: "function",
    reference: flattenVolume,
    offLimits: { probes: [] },
    cases: () => {
      const rng = seededRandom(66);
      return [
        flattenCase("2x2 com 2 mapas (cabeça e corpo)", [[[1, 10], [2, 20]], [[3, 30], [4, 40]]]),
        flattenCase("aleatório 3x4x2", randomVolume(3, 4, 2, rng)),
        flattenCase("aleatório 2x3x5", randomVolume(2, 3, 5, rng)),
        flattenCase("1x1 com 1 mapa", [[[7]]]),
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
