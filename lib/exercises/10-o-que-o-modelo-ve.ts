// Exercises of notebook 10 (what the model looks at, where to put the threshold):
// Grad-CAM's channel weights and its combination, checked against TensorFlow.js (the
// gradients come from tf.grad on a small seeded network, the expected values from tf ops),
// and the choice of a threshold on validation, measured on test.
import * as tf from "@tensorflow/tfjs";
import type { Exercise, ExerciseCase, Json } from "../check/types";
import { seededRandom, Rng } from "../common/random";
import { chooseThreshold, Scores } from "../pneumonia/explain/threshold";
import { channelWeights, combineMaps } from "../pneumonia/explain/gradcam";
import { withTf } from "./tf-reference";

const NOTEBOOK = "10-o-que-o-modelo-ve";

type Volume = number[][][];

function uniform(rng: Rng, n: number, low: number, high: number): number[] {
  return Array.from({ length: n }, () => low + (high - low) * rng());
}

/** The seeded weights of a small convolutional network: an image, two 3x3 convolutions, a weighting. */
function tinyNet(h: number, w: number, k: number, seed: number): { image: tf.Tensor4D; w1: tf.Tensor4D; w2: tf.Tensor4D; v: tf.Tensor4D } {
  const rng = seededRandom(seed);
  return {
    image: tf.tensor4d(uniform(rng, h * w, 0, 1), [1, h, w, 1]),
    w1: tf.tensor4d(uniform(rng, 9 * k, -1, 1), [3, 3, 1, k]),
    w2: tf.tensor4d(uniform(rng, 9 * k * 4, -0.6, 0.6), [3, 3, k, 4]),
    v: tf.tensor4d(uniform(rng, h * w * 4, -1, 1), [1, h, w, 4]),
  };
}

/** The tiny network's score from its first convolution's maps A [h][w][K]: sum(v * tanh(conv(A, w2))) (smooth). */
export function tinyNetScore(h: number, w: number, k: number, seed: number, maps: Volume): number {
  return withTf(() => {
    const net = tinyNet(h, w, k, seed);
    return tf.sum(tf.mul(tf.tanh(tf.conv2d(tf.tensor3d(maps).expandDims(0) as tf.Tensor4D, net.w2, 1, "same")), net.v));
  }).arraySync() as number;
}

/**
 * The tiny network cut after its first convolution: A = ReLU(conv(image, w1)) is [h, w, K],
 * and d score / dA comes from tf.grad. Both as plain arrays (the exercise's inputs).
 */
export function tinyNetGradients(h: number, w: number, k: number, seed: number): { maps: Volume; grads: Volume } {
  const [maps, grads] = withTf(() => {
    const net = tinyNet(h, w, k, seed);
    const a = tf.relu(tf.conv2d(net.image, net.w1, 1, "same")) as tf.Tensor4D;
    const score = (x: tf.Tensor): tf.Scalar => tf.sum(tf.mul(tf.tanh(tf.conv2d(x as tf.Tensor4D, net.w2, 1, "same")), net.v));
    return [a.squeeze([0]), tf.grad(score)(a).squeeze([0])] as [tf.Tensor3D, tf.Tensor3D];
  });
  const out = { maps: maps.arraySync(), grads: grads.arraySync() };
  tf.dispose([maps, grads]);
  return out;
}

/** alpha_k = mean of grads[.][.][k] over rows and columns, computed by tf.mean. */
export function tfChannelWeights(grads: Volume): number[] {
  const t = withTf(() => tf.mean(tf.tensor3d(grads), [0, 1]));
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
}

/** ReLU(sum_k weights[k] * maps[.][.][k]), computed by tf ops. */
export function tfCombineMaps(maps: Volume, weights: number[]): number[][] {
  const t = withTf(() => tf.relu(tf.sum(tf.mul(tf.tensor3d(maps), tf.tensor1d(weights)), -1)));
  const out = t.arraySync() as number[][];
  t.dispose();
  return out;
}

export function weightsCase(name: string, h: number, w: number, k: number, seed: number): ExerciseCase {
  const { grads } = tinyNetGradients(h, w, k, seed);
  return { name, args: [grads], expected: tfChannelWeights(grads), tolerance: 1e-5 };
}

export function combineCase(name: string, h: number, w: number, k: number, seed: number): ExerciseCase {
  const { maps, grads } = tinyNetGradients(h, w, k, seed);
  const weights = tfChannelWeights(grads);
  return { name, args: [maps, weights], expected: tfCombineMaps(maps, weights), tolerance: 1e-5 };
}

/**
 * A split's scores as a screening model might give them: `n` images, a fraction `prevalence`
 * of PNEUMONIA, probabilities from a noisy logit, rounded to `digits` decimals (ties).
 */
export function syntheticScores(n: number, prevalence: number, separation: number, seed: number, digits = 6): Scores {
  const rng = seededRandom(seed);
  const labels: number[] = [], probabilities: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = rng() < prevalence ? 1 : 0;
    // Sum of three uniforms: a bell-shaped noise, no Math.random.
    const noise = (rng() + rng() + rng() - 1.5) * 2;
    const logit = (label === 1 ? separation : -separation) + 2 * noise;
    const p = 1 / (1 + Math.exp(-logit));
    labels.push(label);
    probabilities.push(Number(p.toFixed(digits)));
  }
  return { probabilities, labels };
}

export function thresholdCase(name: string, minRecall: number, seeds: [number, number], opts: { n?: number; prevalence?: number; digits?: number } = {}): ExerciseCase {
  const n = opts.n ?? 300, prevalence = opts.prevalence ?? 0.7, digits = opts.digits ?? 6;
  const splits = {
    validation: syntheticScores(n, prevalence, 1.5, seeds[0], digits),
    test: syntheticScores(n, prevalence, 1.5, seeds[1], digits),
  };
  const c = chooseThreshold(splits, minRecall);
  return { name, args: [splits as unknown as Json, minRecall], expected: { ...c }, tolerance: 1e-9 };
}

export const exercises: Exercise[] = [
  {
    id: "gradcam-weights", notebook: NOTEBOOK, title: "Grad-CAM: o peso de cada canal", points: 2,
    symbol: "channelWeights", kind: "function",
    reference: channelWeights, offLimits: { probes: ["channelWeights"], tfKernels: ["Mean"] },
    cases: () => [
      weightsCase("mapas 4x3 com 2 canais (gradientes de tf.grad)", 4, 3, 2, 6),
      weightsCase("mapas 5x7 com 6 canais", 5, 7, 6, 2),
      weightsCase("mapa 1x1 com 3 canais (a média de um só valor)", 1, 1, 3, 3),
    ],
  },
  {
    id: "gradcam-combine", notebook: NOTEBOOK, title: "Grad-CAM: soma ponderada e ReLU", points: 2,
    symbol: "combineMaps", kind: "function",
    reference: combineMaps, offLimits: { probes: ["combineMaps"] },
    cases: () => [
      combineCase("mapas 4x3 com 2 canais", 4, 3, 2, 6),
      combineCase("mapas 5x7 com 6 canais", 5, 7, 6, 2),
      combineCase("mapas 6x6 com 8 canais", 6, 6, 8, 5),
    ],
  },
  {
    id: "threshold-choice", notebook: NOTEBOOK, title: "Limiar com revocação ≥ 0,98 na validação", points: 3,
    symbol: "chooseThreshold", kind: "function",
    reference: chooseThreshold, offLimits: { probes: ["chooseThreshold"] },
    cases: () => [
      thresholdCase("300 imagens por divisão, revocação mínima 0,98", 0.98, [11, 12]),
      thresholdCase("revocação mínima 0,90", 0.9, [13, 14]),
      thresholdCase("probabilidades com 2 casas (empates)", 0.98, [15, 16], { digits: 2 }),
      thresholdCase("dois limiares com a mesma precisão: fique com o maior", 0.9, [193, 17], { n: 40, prevalence: 0.6, digits: 2 }),
    ],
  },
];
