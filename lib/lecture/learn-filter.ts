// Filters are parameters: given images and the feature maps some unknown 3x3 filter made
// of them, gradient descent finds the filter (d2l.ai, section 7.2.4 "Learning a Kernel").
// The loss is the mean squared difference between our filter's maps and the given maps;
// tf.grad gives its derivative with respect to each of the 9 weights, and each step moves
// the weights a little against it.
import * as tf from "@tensorflow/tfjs";
import type { Matrix } from "./convolution";
import { conv2d } from "./convolution";
import { seededRandom } from "../common/random";
import { VERTICAL_LINE_FILTER } from "./images";

export interface FilterLearningOptions {
  /** The filter that made the maps (the one to rediscover). Default: the lecture's vertical line. */
  target?: Matrix;
  /** Image/map pairs. Default 8. */
  pairs?: number;
  /** Side of the square random images of +1 (ink) and -1 (background). Default 7. */
  imageSize?: number;
  /** Gradient-descent steps (each over every pair). Default 60. */
  steps?: number;
  learningRate?: number;
  seed?: number;
}

export const FILTER_LEARNING_DEFAULTS: Required<FilterLearningOptions> = {
  target: VERTICAL_LINE_FILTER, pairs: 8, imageSize: 7, steps: 60, learningRate: 0.05, seed: 72,
};

export interface FilterLearning {
  /** The filter after the last step. */
  filter: Matrix;
  /** The random filter it started from. */
  initial: Matrix;
  /** The loss before each step and after the last one (steps + 1 values). */
  losses: number[];
  /** The image/map pairs it learned from. */
  images: Matrix[];
  maps: Matrix[];
  /** Largest |learned - target| over the weights. */
  maxError: number;
}

/** `count` random images of +1/-1 pixels (size x size) and the maps `target` makes of them (stride 1, no padding). */
export function filterTrainingPairs(count: number, size: number, target: Matrix, seed: number): { images: Matrix[]; maps: Matrix[] } {
  if (!Number.isInteger(count) || count < 1) throw new Error(`pairs deve ser um inteiro >= 1 (recebi ${count}).`);
  if (!Number.isInteger(size) || size < target.length) throw new Error(`imageSize deve ser um inteiro >= ${target.length} (recebi ${size}).`);
  const rng = seededRandom(seed);
  const images = Array.from({ length: count }, () => Array.from({ length: size }, () => Array.from({ length: size }, () => (rng() < 0.5 ? -1 : 1))));
  return { images, maps: images.map((image) => conv2d(image, target)) };
}

/** Learns a filter of the target's shape by gradient descent on the mean squared error of the maps. */
export function learnFilter(opts: FilterLearningOptions = {}): FilterLearning {
  const o = { ...FILTER_LEARNING_DEFAULTS, ...opts };
  const { images, maps } = filterTrainingPairs(o.pairs, o.imageSize, o.target, o.seed);
  const [kh, kw] = [o.target.length, o.target[0].length];
  const rng = seededRandom(o.seed + 1);
  const initial = Array.from({ length: kh }, () => Array.from({ length: kw }, () => 0.1 * (rng() - 0.5)));
  const x = tf.tensor4d(images.flat(2), [o.pairs, o.imageSize, o.imageSize, 1]);
  const y = tf.tensor4d(maps.flat(2), [o.pairs, maps[0].length, maps[0][0].length, 1]);
  let w = tf.tensor4d(initial.flat(), [kh, kw, 1, 1]);
  // loss(w) = mean over every map cell of (conv2d(x, w) - y)^2
  const loss = (kernel: tf.Tensor4D): tf.Scalar => tf.losses.meanSquaredError(y, tf.conv2d(x, kernel, 1, "valid"));
  const gradient = tf.grad((kernel: tf.Tensor) => loss(kernel as tf.Tensor4D));
  const losses: number[] = [];
  for (let step = 0; step <= o.steps; step++) {
    losses.push(tf.tidy(() => loss(w).dataSync()[0]));
    if (step === o.steps) break;
    const next = tf.tidy(() => w.sub(gradient(w).mul(o.learningRate)) as tf.Tensor4D);
    w.dispose();
    w = next;
  }
  const flat = w.reshape([kh, kw]);
  const learned = flat.arraySync() as Matrix;
  tf.dispose([x, y, w, flat]);
  const maxError = Math.max(...learned.flatMap((row, a) => row.map((v, b) => Math.abs(v - o.target[a][b]))));
  return { filter: learned, initial, losses, images, maps, maxError };
}
