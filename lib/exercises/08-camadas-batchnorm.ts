// Exercises of notebook 08 (the layers of the pneumonia model): BatchNormalization in
// training and in inference mode, compared with tf.layers.batchNormalization itself; a real
// Conv2D layer (H x W x C -> H' x W' x F, with bias, stride and padding) compared with
// tf.conv2d plus the bias; and the receptive field of each layer of a network, on the
// pneumonia architecture among others (the reference is lib/lecture/receptive-field.ts).
import * as tf from "@tensorflow/tfjs";
import type { Exercise, ExerciseCase, Json } from "../check/types";
import type { Matrix, Volume } from "../lecture/convolution";
import type { ConvKernel } from "../lecture/conv-layer";
import { batchNormInference, batchNormTrain, KERAS_BN_EPSILON, KERAS_BN_MOMENTUM } from "../lecture/batchnorm";
import { conv2dLayer } from "../lecture/conv-layer";
import { LayerStep, pneumoniaGeometry, receptiveFields } from "../lecture/receptive-field";
import { MIN_IMAGE_SIZE } from "../pneumonia/model/build";
import { Rng, seededRandom } from "../common/random";
import { randomVolume } from "./06-filtros-3d-cnn";
import { CONV_KERNELS, withTf } from "./tf-reference";

const NOTEBOOK = "08-camadas-batchnorm";

/** The tfjs kernel of tf.batchNorm and tf.layers.batchNormalization (training and inference). */
const BN_KERNELS = ["FusedBatchNorm"];

const round3 = (v: number): number => Number(v.toFixed(3));

function randomRows(rows: number, cols: number, rng: Rng, low: number, high: number): Matrix {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => round3(low + (high - low) * rng())));
}

/** The layer's input and state for one BN case. */
export interface BnSetup { x: Matrix; gamma: number[]; beta: number[]; movingMean: number[]; movingVariance: number[]; momentum: number; epsilon: number }

/** A seeded BN setup: N x D values in [low, high), gamma around 1, beta around 0, moving statistics (Keras' start: 0 and 1, or trained ones). */
export function bnSetup(seed: number, n: number, d: number, opts: { low?: number; high?: number; trainedMoving?: boolean; momentum?: number } = {}): BnSetup {
  const rng = seededRandom(seed);
  const x = randomRows(n, d, rng, opts.low ?? -3, opts.high ?? 3);
  const vec = (low: number, high: number): number[] => Array.from({ length: d }, () => round3(low + (high - low) * rng()));
  const gamma = vec(0.5, 2), beta = vec(-1, 1);
  const movingMean = opts.trainedMoving ? vec(-1, 1) : new Array<number>(d).fill(0);
  const movingVariance = opts.trainedMoving ? vec(0.2, 3) : new Array<number>(d).fill(1);
  return { x, gamma, beta, movingMean, movingVariance, momentum: opts.momentum ?? KERAS_BN_MOMENTUM, epsilon: KERAS_BN_EPSILON };
}

/** tf.layers.batchNormalization with the setup's weights, applied to x in training or inference mode; its output and moving statistics afterwards. */
export function tfBatchNorm(s: BnSetup, training: boolean): { output: Matrix; movingMean: number[]; movingVariance: number[] } {
  const d = s.x[0].length;
  const layer = tf.layers.batchNormalization({ momentum: s.momentum, epsilon: s.epsilon });
  try {
    return withTf(() => {
      layer.build([null, d]);
      layer.setWeights([tf.tensor1d(s.gamma), tf.tensor1d(s.beta), tf.tensor1d(s.movingMean), tf.tensor1d(s.movingVariance)]);
      const output = (layer.apply(tf.tensor2d(s.x), { training }) as tf.Tensor2D).arraySync();
      const [, , movingMean, movingVariance] = layer.getWeights().map((w) => Array.from(w.dataSync()));
      return { output, movingMean, movingVariance };
    });
  } finally {
    // Applied to concrete tensors only, the layer counts as unused and refuses dispose(): free its weights.
    layer.weights.forEach((w) => w.dispose());
  }
}

export function bnTrainCase(name: string, s: BnSetup): ExerciseCase {
  return {
    name: `${name} (igual a tf.layers.batchNormalization em treino)`,
    args: [s.x, s.gamma, s.beta, s.movingMean, s.movingVariance, s.momentum, s.epsilon],
    expected: tfBatchNorm(s, true), tolerance: 1e-5,
  };
}

export function bnInferenceCase(name: string, s: BnSetup): ExerciseCase {
  return {
    name: `${name} (igual a tf.layers.batchNormalization na inferência)`,
    args: [s.x, s.gamma, s.beta, s.movingMean, s.movingVariance, s.epsilon],
    expected: tfBatchNorm(s, false).output, tolerance: 1e-5,
  };
}

/** A seeded kh x kw x C x F kernel with values in [-1, 1). */
export function randomKernel(kh: number, kw: number, channels: number, filters: number, rng: Rng): ConvKernel {
  return Array.from({ length: kh }, () => randomVolume(kw, channels, filters, rng));
}

/** tf.conv2d of an H x W x C input zero-padded by `padding` on each side, plus one bias per filter. */
export function tfConvLayer(input: Volume, kernel: ConvKernel, bias: number[], stride: number, padding: number): Volume {
  return withTf(() => {
    const [h, w, c] = [input.length, input[0].length, input[0][0].length];
    const x = tf.pad(tf.tensor4d(input.flat(2), [1, h, w, c]), [[0, 0], [padding, padding], [padding, padding], [0, 0]]);
    const k = tf.tensor4d(kernel.flat(3), [kernel.length, kernel[0].length, c, bias.length]);
    const y = tf.conv2d(x as tf.Tensor4D, k, stride, "valid").add(tf.tensor1d(bias));
    return (y.squeeze([0]) as tf.Tensor3D).arraySync();
  });
}

export function convLayerCase(seed: number, size: [number, number, number], kernel: [number, number, number], stride: number, padding: number, note = ""): ExerciseCase {
  const [h, w, c] = size, [kh, kw, f] = kernel;
  const rng = seededRandom(seed);
  const input = randomVolume(h, w, c, rng), k = randomKernel(kh, kw, c, f, rng);
  const bias = Array.from({ length: f }, () => round3(2 * rng() - 1));
  return {
    name: `entrada ${h}x${w}x${c}, ${f} filtro(s) ${kh}x${kw}x${c}, passo ${stride}, preenchimento ${padding}${note} (igual a tf.conv2d + viés)`,
    args: [input, k, bias, stride, padding], expected: tfConvLayer(input, k, bias, stride, padding), tolerance: 1e-5,
  };
}

/** The pneumonia CNN's layers up to the Flatten, as { name, kernel, stride } (the kind of layer is in the name). */
export function pneumoniaSteps(): (LayerStep & { name: string })[] {
  return pneumoniaGeometry(MIN_IMAGE_SIZE).map((l) => ({ name: l.type, kernel: l.kernel, stride: l.stride }));
}

export function receptiveFieldCase(name: string, layers: (LayerStep & { name?: string })[]): ExerciseCase {
  return { name, args: [layers as unknown as Json], expected: receptiveFields(layers) };
}

/** `blocks` times (conv k x k, conv k x k, pool 2/2): a VGG-like stack. */
export function vggSteps(blocks: number, k = 3): LayerStep[] {
  return Array.from({ length: blocks }, () => [{ kernel: k, stride: 1 }, { kernel: k, stride: 1 }, { kernel: 2, stride: 2 }]).flat();
}

export const exercises: Exercise[] = [
  {
    id: "batchnorm-train",
    notebook: NOTEBOOK,
    title: "BatchNormalization no treino: normalizar pelo lote e atualizar as estatísticas móveis",
    points: 3,
    symbol: "batchNormTrain",
    kind: "function",
    reference: batchNormTrain,
    offLimits: { probes: ["batchNormTrain", "batchNormInference"], tfKernels: BN_KERNELS },
    cases: () => [
      bnTrainCase("lote 4x3, estatísticas móveis iniciais (0 e 1)", bnSetup(801, 4, 3)),
      bnTrainCase("lote 2x5 (menos exemplos que características)", bnSetup(802, 2, 5)),
      bnTrainCase("valores pequenos: variância perto de ε", bnSetup(803, 6, 2, { low: -0.05, high: 0.05 })),
      bnTrainCase("estatísticas móveis já treinadas, momentum 0,9", bnSetup(804, 5, 4, { trainedMoving: true, momentum: 0.9 })),
      bnTrainCase("uma característica, 8 exemplos", bnSetup(805, 8, 1, { low: 0, high: 10 })),
    ],
  },
  {
    id: "batchnorm-inference",
    notebook: NOTEBOOK,
    title: "BatchNormalization na inferência: as estatísticas móveis",
    points: 2,
    symbol: "batchNormInference",
    kind: "function",
    reference: batchNormInference,
    offLimits: { probes: ["batchNormInference", "batchNormTrain"], tfKernels: BN_KERNELS },
    cases: () => [
      bnInferenceCase("lote 4x3 com estatísticas móveis treinadas", bnSetup(811, 4, 3, { trainedMoving: true })),
      bnInferenceCase("um exemplo só (não há lote para tirar média)", bnSetup(812, 1, 4, { trainedMoving: true })),
      bnInferenceCase("estatísticas móveis iniciais (0 e 1)", bnSetup(813, 3, 2)),
      bnInferenceCase("variância móvel pequena: o ε importa", {
        ...bnSetup(814, 3, 3, { trainedMoving: true, low: -0.1, high: 0.1 }), movingMean: [0.01, -0.02, 0], movingVariance: [0.002, 0.0005, 0.01],
      }),
    ],
  },
  {
    id: "conv2d-layer",
    notebook: NOTEBOOK,
    title: "Uma camada Conv2D de verdade: C canais, F filtros, viés, passo e preenchimento",
    points: 3,
    symbol: "conv2dLayer",
    kind: "function",
    reference: conv2dLayer,
    offLimits: { probes: ["conv2dLayer", "conv2d", "conv2dChannels"], tfKernels: CONV_KERNELS },
    cases: () => [
      convLayerCase(821, [5, 5, 3], [3, 3, 2], 1, 0, " (imagem RGB)"),
      convLayerCase(822, [4, 6, 2], [2, 3, 3], 1, 0, " (filtro não quadrado)"),
      convLayerCase(823, [6, 6, 3], [3, 3, 4], 2, 1),
      convLayerCase(824, [7, 5, 4], [3, 1, 2], 2, 0, " (filtro 3x1)"),
      convLayerCase(825, [3, 4, 5], [1, 1, 2], 1, 0, " (filtro 1x1: só mistura canais)"),
      convLayerCase(826, [5, 4, 2], [5, 3, 3], 1, 2, " (filtro 5x3)"),
    ],
  },
  {
    id: "receptive-field",
    notebook: NOTEBOOK,
    title: "Campo receptivo de cada camada",
    points: 3,
    symbol: "receptiveFields",
    kind: "function",
    reference: receptiveFields,
    offLimits: { probes: ["receptiveFieldTable"] },
    cases: () => [
      receptiveFieldCase("três convoluções 3x3, passo 1", [{ kernel: 3, stride: 1 }, { kernel: 3, stride: 1 }, { kernel: 3, stride: 1 }]),
      receptiveFieldCase("conv 3x3, pooling 2x2 (passo 2), conv 3x3", [{ kernel: 3, stride: 1 }, { kernel: 2, stride: 2 }, { kernel: 3, stride: 1 }]),
      receptiveFieldCase("três blocos (conv 3x3, conv 3x3, pooling 2x2)", vggSteps(3)),
      receptiveFieldCase("a arquitetura da pneumonia até o Flatten (camadas sem vizinhança têm filtro 1)", pneumoniaSteps()),
    ],
  },
];
