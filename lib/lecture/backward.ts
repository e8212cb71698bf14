// Backward passes from scratch on plain arrays, in the style of CS231n's layers.py: for each
// layer, the gradient of the loss with respect to its input (and weights), given the gradient
// `dout` with respect to its output and what the forward pass saw. Plus the numeric gradient
// check (centered differences and the relative error) that every backward pass is tested with.
// Lesson 11 (retropropagação); the exercises compare each one with tf.grad.
import type { Matrix } from "./convolution";
import type { ConvKernel } from "./conv-layer";
import type { MapBatch } from "./batchnorm";
import { columnMoments } from "./batchnorm";
import { noteReferenceCall } from "../check/reference-use";

// ---------- the gradient check ----------

/** What gradientCheck gives: the numeric gradient and its largest relative error against the analytic one. */
export interface GradientCheck { numeric: number[]; relativeError: number }

/**
 * Centered differences: numeric[i] = (f(x + h e_i) - f(x - h e_i)) / (2h), x restored after each i.
 * The error is O(h^2) (one-sided differences: O(h)).
 */
export function numericGradient(f: (x: number[]) => number, x: number[], h = 1e-5): number[] {
  noteReferenceCall("numericGradient");
  const grad: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const old = x[i];
    x[i] = old + h;
    const plus = f(x);
    x[i] = old - h;
    const minus = f(x);
    x[i] = old;
    grad.push((plus - minus) / (2 * h));
  }
  return grad;
}

/** CS231n's rel_error: max over i of |a_i - b_i| / max(1e-8, |a_i| + |b_i|) (0 when both are 0). */
export function relativeError(a: number[], b: number[]): number {
  noteReferenceCall("relativeError");
  if (a.length !== b.length) throw new Error(`relativeError: os gradientes têm ${a.length} e ${b.length} valores; precisam ter o mesmo tamanho.`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1e-8, Math.abs(a[i]) + Math.abs(b[i])));
  return worst;
}

/** The check of an analytic gradient of f at x: numeric gradient by centered differences and the relative error. */
export function gradientCheck(f: (x: number[]) => number, x: number[], analytic: number[], h = 1e-5): GradientCheck {
  const numeric = numericGradient(f, x, h);
  return { numeric, relativeError: relativeError(analytic, numeric) };
}

// ---------- the convolution ----------

/** The gradients of a Conv2D layer: dx (N x H x W x C), dW (kh x kw x C x F), db (F). */
export interface ConvGradients { dx: MapBatch; dW: ConvKernel; db: number[] }

const zeros = (n: number): number[] => new Array<number>(n).fill(0);

/**
 * Conv2D backward. dout: N x H' x W' x F (gradient of the loss w.r.t. the layer's output);
 * x: N x H x W x C (the forward input); kernel: kh x kw x C x F; `padding` zeros on each side.
 * The forward pass did out[n][i][j][f] = b[f] + sum_{a,b,c} xpad[n][i*s+a][j*s+b][c] * W[a][b][c][f],
 * so each output value sends dout * W back to the input value it read, dout * x to the weight
 * it used, and dout to its bias, summed over every position AND every image of the batch.
 */
export function convBackward(dout: MapBatch, x: MapBatch, kernel: ConvKernel, stride: number, padding: number): ConvGradients {
  noteReferenceCall("convBackward");
  const [h, w, channels] = [x[0].length, x[0][0].length, x[0][0][0].length];
  const [kh, kw, filters] = [kernel.length, kernel[0].length, kernel[0][0][0].length];
  const dx = x.map((image) => image.map((row) => row.map(() => zeros(channels))));
  const dW = kernel.map((row) => row.map(() => Array.from({ length: channels }, () => zeros(filters))));
  const db = zeros(filters);
  dout.forEach((map, n) => map.forEach((line, i) => line.forEach((pixel, j) => pixel.forEach((g, f) => {
    db[f] += g;
    for (let a = 0; a < kh; a++) {
      const r = i * stride + a - padding;
      if (r < 0 || r >= h) continue; // a padding zero: no input value, nothing to send back
      for (let b = 0; b < kw; b++) {
        const c = j * stride + b - padding;
        if (c < 0 || c >= w) continue;
        for (let ch = 0; ch < channels; ch++) {
          dW[a][b][ch][f] += x[n][r][c][ch] * g;
          dx[n][r][c][ch] += kernel[a][b][ch][f] * g;
        }
      }
    }
  }))));
  return { dx, dW, db };
}

// ---------- max pooling ----------

/** [row, col] of the window's maximum; on ties the FIRST one in reading order (row by row), as tfjs' cpu backend. */
export function windowArgmax(x: Matrix, top: number, left: number, size: number): [number, number] {
  let best: [number, number] = [top, left];
  for (let a = 0; a < size; a++) {
    for (let b = 0; b < size; b++) {
      if (x[top + a][left + b] > x[best[0]][best[1]]) best = [top + a, left + b]; // strict >: a tie keeps the first
    }
  }
  return best;
}

/**
 * Max-pooling backward (size x size windows, stride, no padding). dout: H' x W'; x: H x W -> dx: H x W.
 * Only the window's maximum reached the output, so only it gets the window's gradient; every
 * other value of the window gets 0. Overlapping windows (stride < size) ADD their gradients.
 */
export function maxPoolBackward(dout: Matrix, x: Matrix, size: number, stride: number): Matrix {
  noteReferenceCall("maxPoolBackward");
  const dx = x.map((row) => zeros(row.length));
  dout.forEach((line, i) => line.forEach((g, j) => {
    const [r, c] = windowArgmax(x, i * stride, j * stride, size);
    dx[r][c] += g;
  }));
  return dx;
}

// ---------- dropout ----------

/**
 * Inverted dropout backward. The forward pass did out = x * mask / (1 - rate), so
 * dx = dout * mask / (1 - rate): the SAME mask (a dropped neuron gets no gradient) and the same scale.
 */
export function dropoutBackward(dout: number[], mask: number[], rate: number): number[] {
  noteReferenceCall("dropoutBackward");
  return dout.map((g, i) => (g * mask[i]) / (1 - rate));
}

// ---------- BatchNorm (training mode) ----------

/** The gradients of a training-mode BatchNorm: dx (N x D), dgamma and dbeta (D). */
export interface BatchNormGradients { dx: Matrix; dgamma: number[]; dbeta: number[] }

/**
 * BatchNorm backward in training mode. dout, x: N x D; gamma: D. The forward pass normalised
 * each column with the batch's own mean and variance: xhat = (x - mean) / sqrt(var + eps),
 * out = gamma * xhat + beta. Each x[n][d] moves the output directly AND through the mean and
 * the variance, which every row shares; summing the three paths gives, per column,
 *   dx = (gamma / sqrt(var + eps)) / N * (N * dout - sum(dout) - xhat * sum(dout * xhat)).
 */
export function batchNormBackward(dout: Matrix, x: Matrix, gamma: number[], epsilon: number): BatchNormGradients {
  noteReferenceCall("batchNormBackward");
  const n = x.length, d = x[0].length;
  const { mean, variance } = columnMoments(x);
  const invStd = variance.map((v) => 1 / Math.sqrt(v + epsilon));
  const xhat = x.map((row) => row.map((v, j) => (v - mean[j]) * invStd[j]));
  const dbeta = zeros(d), dgamma = zeros(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) { dbeta[j] += dout[i][j]; dgamma[j] += dout[i][j] * xhat[i][j]; }
  }
  // sum(dout) = dbeta and sum(dout * xhat) = dgamma: the paths through the mean and the variance.
  const dx = x.map((row, i) => row.map((_, j) =>
    (gamma[j] * invStd[j] / n) * (n * dout[i][j] - dbeta[j] - xhat[i][j] * dgamma[j])));
  return { dx, dgamma, dbeta };
}
