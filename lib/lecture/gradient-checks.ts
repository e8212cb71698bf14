// Lesson 11's teaching cells: each backward pass the student wrote, checked two ways on a
// seeded setup — by the student's own gradient check (centered differences of the forward
// pass, relative error) and against tf.grad (largest absolute difference). Also what the
// running tfjs backend does with a max-pooling window whose maximum is tied.
import * as tf from "@tensorflow/tfjs";
import { formatScientificBR } from "../common/format";
import type { Matrix } from "./convolution";
import { conv2dLayer, ConvKernel } from "./conv-layer";
import { batchNormTrain, MapBatch } from "./batchnorm";
import { maxPool2d } from "./pooling";
import type { BatchNormGradients, ConvGradients, GradientCheck } from "./backward";
import { Rng, seededRandom } from "../common/random";
import { tfBatchNormGradients, tfConvGradients, tfDropoutGradient, tfMaxPoolGradient } from "../exercises/tf-gradients";

export type GradientCheckFn = (f: (x: number[]) => number, x: number[], analytic: number[], h: number) => GradientCheck;

/** One checked gradient: the relative error of the numeric check and the largest difference with tf.grad. */
export interface GradientRow { layer: string; gradient: string; relativeError: number; tfMaxDiff: number }

type Nested = number | Nested[];

export function flatNumbers(v: Nested): number[] {
  return Array.isArray(v) ? v.flatMap(flatNumbers) : [v];
}

/** `values` poured, in order, into an array shaped like `template`. */
export function reshapeLike<T extends Nested>(template: T, values: number[]): T {
  let k = 0;
  const fill = (t: Nested): Nested => (Array.isArray(t) ? t.map(fill) : values[k++]);
  return fill(template) as T;
}

const dot = (a: Nested, b: Nested): number => {
  const fa = flatNumbers(a), fb = flatNumbers(b);
  return fa.reduce((s, v, i) => s + v * fb[i], 0);
};

const maxAbsDiff = (a: Nested, b: Nested): number => {
  const fa = flatNumbers(a), fb = flatNumbers(b);
  return fa.reduce((m, v, i) => Math.max(m, Math.abs(v - fb[i])), 0);
};

/** One row: gradCheck of loss(variable) at `at` against `analytic`, and `analytic` against tf's gradient. */
function row<T extends Nested>(layer: string, gradient: string, at: T, loss: (v: T) => number, analytic: Nested, tfGrad: Nested,
  gradCheck: GradientCheckFn, h: number): GradientRow {
  const f = (values: number[]): number => loss(reshapeLike(at, values));
  const { relativeError } = gradCheck(f, flatNumbers(at), flatNumbers(analytic), h);
  return { layer, gradient, relativeError, tfMaxDiff: maxAbsDiff(analytic, tfGrad) };
}

const uniform = (rng: Rng): number => 2 * rng() - 1;
const nested = (shape: number[], rng: Rng): Nested =>
  (shape.length === 0 ? uniform(rng) : Array.from({ length: shape[0] }, () => nested(shape.slice(1), rng)));

/** The forward pass of a Conv2D layer on a batch: conv2dLayer on each image. */
export function convForwardBatch(x: MapBatch, kernel: ConvKernel, bias: number[], stride: number, padding: number): MapBatch {
  return x.map((image) => conv2dLayer(image, kernel, bias, stride, padding));
}

type ConvBackward = (dout: MapBatch, x: MapBatch, kernel: ConvKernel, stride: number, padding: number) => ConvGradients;

/** dx, dW and db of a batch of 2 images 5x5x2, 3 filters 3x3, stride 2, padding 1. */
export function checkConvBackward(backward: ConvBackward, gradCheck: GradientCheckFn, h = 1e-5, seed = 1101): GradientRow[] {
  const rng = seededRandom(seed), [stride, padding] = [2, 1];
  const x = nested([2, 5, 5, 2], rng) as MapBatch, kernel = nested([3, 3, 2, 3], rng) as ConvKernel, bias = nested([3], rng) as number[];
  const dout = nested([2, 3, 3, 3], rng) as MapBatch;
  const mine = backward(dout, x, kernel, stride, padding), theirs = tfConvGradients(dout, x, kernel, stride, padding);
  return [
    row("Conv2D", "dx", x, (v) => dot(convForwardBatch(v, kernel, bias, stride, padding), dout), mine.dx, theirs.dx, gradCheck, h),
    row("Conv2D", "dW", kernel, (v) => dot(convForwardBatch(x, v, bias, stride, padding), dout), mine.dW, theirs.dW, gradCheck, h),
    row("Conv2D", "db", bias, (v) => dot(convForwardBatch(x, kernel, v, stride, padding), dout), mine.db, theirs.db, gradCheck, h),
  ];
}

/** dx of max pooling 2x2 with stride 2 and with stride 1 (overlapping windows) on a 6x6 map without ties. */
export function checkMaxPoolBackward(backward: (dout: Matrix, x: Matrix, size: number, stride: number) => Matrix,
  gradCheck: GradientCheckFn, h = 1e-5, seed = 1102): GradientRow[] {
  const rng = seededRandom(seed);
  const x = nested([6, 6], rng) as Matrix;
  return [2, 1].map((stride) => {
    const out = maxPool2d(x, 2, stride), dout = nested([out.length, out[0].length], rng) as Matrix;
    return row("MaxPooling 2x2", `dx (passo ${stride})`, x, (v) => dot(maxPool2d(v, 2, stride), dout),
      backward(dout, x, 2, stride), tfMaxPoolGradient(dout, x, 2, stride), gradCheck, h);
  });
}

/** dx of inverted dropout (rate 0.3) for 12 neurons and a fixed mask. */
export function checkDropoutBackward(backward: (dout: number[], mask: number[], rate: number) => number[],
  gradCheck: GradientCheckFn, h = 1e-5, seed = 1103): GradientRow[] {
  const rng = seededRandom(seed), rate = 0.3;
  const x = nested([12], rng) as number[], dout = nested([12], rng) as number[];
  const mask = x.map(() => (rng() < rate ? 0 : 1));
  const forward = (v: number[]): number[] => v.map((value, i) => (value * mask[i]) / (1 - rate));
  return [row("Dropout", "dx", x, (v) => dot(forward(v), dout), backward(dout, mask, rate), tfDropoutGradient(dout, mask, rate), gradCheck, h)];
}

type BnBackward = (dout: Matrix, x: Matrix, gamma: number[], epsilon: number) => BatchNormGradients;

/** dx, dgamma and dbeta of BatchNorm in training mode on a batch of 6 x 4 (epsilon 1e-3, Keras' default). */
export function checkBatchNormBackward(backward: BnBackward, gradCheck: GradientCheckFn, h = 1e-5, seed = 1104): GradientRow[] {
  const rng = seededRandom(seed), epsilon = 1e-3;
  const x = (nested([6, 4], rng) as Matrix).map((r) => r.map((v) => 3 * v + 1));
  const gamma = (nested([4], rng) as number[]).map((v) => 1 + 0.5 * v), beta = nested([4], rng) as number[];
  const dout = nested([6, 4], rng) as Matrix;
  const still = [0, 0, 0, 0], one = [1, 1, 1, 1];
  const out = (xs: Matrix, g: number[], b: number[]): Matrix => batchNormTrain(xs, g, b, still, one, 0.99, epsilon).output;
  const mine = backward(dout, x, gamma, epsilon), theirs = tfBatchNormGradients(dout, x, gamma, epsilon);
  return [
    row("BatchNorm (treino)", "dx", x, (v) => dot(out(v, gamma, beta), dout), mine.dx, theirs.dx, gradCheck, h),
    row("BatchNorm (treino)", "dgamma", gamma, (v) => dot(out(x, v, beta), dout), mine.dgamma, theirs.dgamma, gradCheck, h),
    row("BatchNorm (treino)", "dbeta", beta, (v) => dot(out(x, gamma, v), dout), mine.dbeta, theirs.dbeta, gradCheck, h),
  ];
}

/** 1,2e-10 (pt-BR scientific notation). */
export function scientific(v: number): string {
  return Number.isFinite(v) ? formatScientificBR(v, 1) : String(v);
}

/** The rows as lines the student reads: relative error of the numeric check, largest difference with tf.grad. */
export function gradientTable(rows: GradientRow[]): string {
  return rows.map((r) => `${r.layer} · ${r.gradient.padEnd(14)} erro relativo (diferenças centradas) ${scientific(r.relativeError).padStart(8)}` +
    ` · máx |diferença| com tf.grad ${scientific(r.tfMaxDiff).padStart(8)}`).join("\n");
}

/** What the running tfjs backend's MaxPoolGrad does when the maximum of a 2x2 window is tied (3 at two places). */
export function maxPoolTieGradient(): { backend: string; window: Matrix; gradient: Matrix; rule: string } {
  const window = [[1, 3], [3, 2]];
  const gradient = tf.tidy(() => {
    const grad = tf.grad((x: tf.Tensor) => tf.maxPool(x as tf.Tensor4D, 2, 2, "valid").sum());
    return grad(tf.tensor4d(window.flat(), [1, 2, 2, 1])).reshape([2, 2]).arraySync() as Matrix;
  });
  const g = gradient.flat();
  const rule = g[1] === 1 && g[2] === 0 ? "o primeiro máximo em ordem de leitura (linha a linha) recebe tudo"
    : g[1] === 0 && g[2] === 1 ? "o último máximo em ordem de leitura recebe tudo"
      : g[1] === 1 && g[2] === 1 ? "cada máximo empatado recebe o gradiente inteiro"
        : g[1] === 0.5 && g[2] === 0.5 ? "o gradiente é dividido entre os máximos empatados" : "outra regra";
  return { backend: tf.getBackend(), window, gradient, rule };
}
