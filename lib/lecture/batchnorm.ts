// Batch normalization from scratch on plain arrays, as Keras' BatchNormalization (and
// tf.layers.batchNormalization) computes it. One function per pass, shapes in the comments
// (the style of CS231n's layers.py). Each feature (or, in a conv map, each channel) is
// normalised with the mean and variance of the batch, then scaled by gamma and shifted by
// beta (both trained). The moving mean and variance, updated at every training step, stand
// in for the batch's statistics at inference, when there may be one image and no batch.
import type { Matrix } from "./convolution";
import { noteReferenceCall } from "../check/reference-use";

/** Keras' defaults: moving = 0.99 * moving + 0.01 * batch; epsilon added to the variance. */
export const KERAS_BN_MOMENTUM = 0.99;
export const KERAS_BN_EPSILON = 1e-3;

/** A batch of conv feature maps, channels last like TensorFlow: x[n][row][col][channel]. */
export type MapBatch = number[][][][];

export interface BatchNormTrainResult {
  /** N x D: the normalised, scaled and shifted batch. */
  output: Matrix;
  /** D: the batch's mean and (biased, divided by N) variance of each feature. */
  mean: number[];
  variance: number[];
  /** D: the moving statistics after this step's update. */
  movingMean: number[];
  movingVariance: number[];
}

function checkWidths(x: Matrix, vectors: Record<string, number[]>): number {
  if (!Array.isArray(x) || x.length === 0 || !Array.isArray(x[0]) || x[0].length === 0) {
    throw new Error("batchNorm: x deve ser uma matriz N x D não vazia (N exemplos do lote, D características).");
  }
  const d = x[0].length;
  x.forEach((row, n) => {
    if (row.length !== d) throw new Error(`batchNorm: a linha ${n} de x tem ${row.length} valores, a linha 0 tem ${d}.`);
  });
  for (const [name, v] of Object.entries(vectors)) {
    if (!Array.isArray(v) || v.length !== d) {
      throw new Error(`batchNorm: ${name} deve ter ${d} valores (um por característica/canal); tem ${Array.isArray(v) ? v.length : typeof v}.`);
    }
  }
  return d;
}

/** Per column of x (N x D): mean (D) and biased variance (D), sums over the N rows. */
export function columnMoments(x: Matrix): { mean: number[]; variance: number[] } {
  const n = x.length, d = x[0].length;
  const mean = new Array<number>(d).fill(0), variance = new Array<number>(d).fill(0);
  for (const row of x) for (let j = 0; j < d; j++) mean[j] += row[j] / n;
  for (const row of x) for (let j = 0; j < d; j++) variance[j] += (row[j] - mean[j]) ** 2 / n;
  return { mean, variance };
}

/**
 * out[n][d] = gamma[d] * (x[n][d] - mean[d]) / sqrt(variance[d] + epsilon) + beta[d].
 * x: N x D; gamma, beta, mean, variance: D -> N x D.
 */
export function normalizeColumns(x: Matrix, gamma: number[], beta: number[], mean: number[], variance: number[], epsilon: number): Matrix {
  const scale = variance.map((v, j) => gamma[j] / Math.sqrt(v + epsilon));
  return x.map((row) => row.map((v, j) => (v - mean[j]) * scale[j] + beta[j]));
}

/**
 * Training pass. x: N x D (N examples of the batch, D features); gamma, beta, movingMean,
 * movingVariance: D. Normalises each column with the BATCH's mean and variance, and moves
 * the moving statistics towards them: moving = momentum * moving + (1 - momentum) * batch.
 */
export function batchNormTrain(x: Matrix, gamma: number[], beta: number[], movingMean: number[], movingVariance: number[],
  momentum = KERAS_BN_MOMENTUM, epsilon = KERAS_BN_EPSILON): BatchNormTrainResult {
  noteReferenceCall("batchNormTrain");
  checkWidths(x, { gamma, beta, movingMean, movingVariance });
  const { mean, variance } = columnMoments(x);
  return {
    output: normalizeColumns(x, gamma, beta, mean, variance, epsilon),
    mean, variance,
    movingMean: movingMean.map((m, j) => momentum * m + (1 - momentum) * mean[j]),
    movingVariance: movingVariance.map((v, j) => momentum * v + (1 - momentum) * variance[j]),
  };
}

/**
 * Inference pass. x: N x D -> N x D, normalised with the MOVING statistics (D each):
 * each example's output depends on that example only, not on the rest of the batch.
 */
export function batchNormInference(x: Matrix, gamma: number[], beta: number[], movingMean: number[], movingVariance: number[],
  epsilon = KERAS_BN_EPSILON): Matrix {
  noteReferenceCall("batchNormInference");
  checkWidths(x, { gamma, beta, movingMean, movingVariance });
  return normalizeColumns(x, gamma, beta, movingMean, movingVariance, epsilon);
}

/** N x H x W x C maps -> (N*H*W) x C rows: every position of every image is one "example" of its channels. */
export function positionsAsRows(x: MapBatch): Matrix {
  return x.flatMap((image) => image.flatMap((row) => row.map((pixel) => pixel.slice())));
}

/** (N*H*W) x C rows back to N x H x W x C maps. */
export function rowsAsPositions(rows: Matrix, n: number, h: number, w: number): MapBatch {
  if (rows.length !== n * h * w) throw new Error(`rowsAsPositions: ${rows.length} linhas não formam ${n} x ${h} x ${w} posições.`);
  return Array.from({ length: n }, (_, i) => Array.from({ length: h }, (_, r) => rows.slice((i * h + r) * w, (i * h + r + 1) * w)));
}

function mapShape(x: MapBatch): [number, number, number] {
  if (!Array.isArray(x) || !Array.isArray(x[0]) || !Array.isArray(x[0][0]) || !Array.isArray(x[0][0][0])) {
    throw new Error("spatialBatchNorm: x deve ser um lote de mapas N x H x W x C (number[][][][]).");
  }
  return [x.length, x[0].length, x[0][0].length];
}

/**
 * Training pass on conv maps. x: N x H x W x C; gamma, beta, moving statistics: C.
 * Each channel is normalised over the batch AND every spatial position (N*H*W values),
 * because one filter made the whole map: it is batchNormTrain on positionsAsRows(x).
 */
export function spatialBatchNormTrain(x: MapBatch, gamma: number[], beta: number[], movingMean: number[], movingVariance: number[],
  momentum = KERAS_BN_MOMENTUM, epsilon = KERAS_BN_EPSILON): Omit<BatchNormTrainResult, "output"> & { output: MapBatch } {
  const [n, h, w] = mapShape(x);
  const result = batchNormTrain(positionsAsRows(x), gamma, beta, movingMean, movingVariance, momentum, epsilon);
  return { ...result, output: rowsAsPositions(result.output, n, h, w) };
}

/** Inference pass on conv maps: N x H x W x C -> N x H x W x C with the moving statistics (C each). */
export function spatialBatchNormInference(x: MapBatch, gamma: number[], beta: number[], movingMean: number[], movingVariance: number[],
  epsilon = KERAS_BN_EPSILON): MapBatch {
  const [n, h, w] = mapShape(x);
  return rowsAsPositions(batchNormInference(positionsAsRows(x), gamma, beta, movingMean, movingVariance, epsilon), n, h, w);
}
