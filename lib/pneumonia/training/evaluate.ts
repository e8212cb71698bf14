// model.evaluate() and model.predict() of the Keras example: loss and the three metrics
// over a whole split, the confusion matrix, and one image's prediction in words.
import * as tf from "@tensorflow/tfjs";
import { formatBR, formatPercentBR } from "../../common/format";
import { createProgress } from "../../view/progress";
import { assertLabeledImages, batchTensors, LabeledImages, pickImage, yieldToEventLoop } from "./batches";
import { weightedBinaryCrossentropy } from "./loss";
import { accumulateCounts, BinaryMetrics, ConfusionCounts, emptyCounts, metricsFromCounts } from "./metrics";

export interface Evaluation extends BinaryMetrics {
  /** Mean binary cross-entropy (no class weights, as Keras' evaluate). */
  loss: number;
  counts: ConfusionCounts;
  /** P(PNEUMONIA) for every image, in the split's order. */
  probabilities: Float32Array;
}

export interface EvaluateOptions {
  batchSize?: number;
  /** Label of the progress display; null for none. */
  progressLabel?: string | null;
  /** Computes P(PNEUMONIA) of a batch (default: model.predict here; training passes its replicas' predict). */
  predict?: (data: LabeledImages, indices: number[]) => Promise<Float32Array>;
}

/** P(PNEUMONIA) of the images at `indices`, on this thread. */
async function predictHere(model: tf.LayersModel, data: LabeledImages, indices: number[]): Promise<Float32Array> {
  return tf.tidy(() => (model.predict(batchTensors(data, indices).x) as tf.Tensor).dataSync() as Float32Array);
}

/** Keras' unweighted binary cross-entropy of labels `y` and probabilities `p`. */
function meanLoss(labels: Uint8Array, probs: Float32Array): number {
  return tf.tidy(() => weightedBinaryCrossentropy(tf.tensor2d(Float32Array.from(labels), [labels.length, 1]), tf.tensor2d(probs, [probs.length, 1])).dataSync()[0]);
}

/** Loss, accuracy, precision, recall and confusion counts of `model` on `data` (inference mode). */
export async function evaluateModel(model: tf.LayersModel, data: LabeledImages, opts: EvaluateOptions = {}): Promise<Evaluation> {
  assertLabeledImages(data, "evaluateModel");
  const batchSize = opts.batchSize ?? 50;
  const steps = Math.ceil(data.count / batchSize);
  const progress = opts.progressLabel === null ? null : createProgress(opts.progressLabel ?? "Avaliação", steps);
  const probabilities = new Float32Array(data.count);
  const counts = emptyCounts();
  let lossSum = 0;
  for (let s = 0; s < steps; s++) {
    const from = s * batchSize, to = Math.min(data.count, from + batchSize);
    const indices = Array.from({ length: to - from }, (_, i) => from + i);
    const probs = await (opts.predict ?? ((d, i) => predictHere(model, d, i)))(data, indices);
    const loss = meanLoss(data.labels.subarray(from, to), probs);
    probabilities.set(probs, from);
    accumulateCounts(counts, data.labels.subarray(from, to), probs);
    lossSum += loss * (to - from);
    progress?.tick(1, { loss: lossSum / to });
    await yieldToEventLoop();
  }
  const result = { loss: lossSum / data.count, ...metricsFromCounts(counts), counts, probabilities };
  progress?.finish(`acurácia ${formatBR(result.accuracy, 4)} · precisão ${formatBR(result.precision, 4)} · revocação ${formatBR(result.recall, 4)}`);
  return result;
}

export interface Prediction { normal: number; pneumonia: number }

/** P(NORMAL) and P(PNEUMONIA) for one image of `size` x `size` x 3 bytes. */
export function predictImage(model: tf.LayersModel, pixels: Uint8Array, size: number): Prediction {
  if (pixels.length !== size * size * 3) throw new Error(`predictImage: esperava ${size}x${size}x3 = ${size * size * 3} bytes, recebi ${pixels.length}.`);
  const p = tf.tidy(() => (model.predict(tf.tensor4d(Float32Array.from(pixels), [1, size, size, 3])) as tf.Tensor).dataSync()[0]);
  return { normal: 1 - p, pneumonia: p };
}

/** The prediction for image `index` of a batch (e.g. one test X-ray). */
export function predictImageAt(model: tf.LayersModel, data: LabeledImages, index: number): Prediction {
  return predictImage(model, pickImage(data, index).images, data.size);
}

/** "3,25% NORMAL / 96,75% PNEUMONIA": the Keras example's line ("3.25 percent NORMAL"), with pt-BR decimals. */
export function formatPrediction(p: Prediction): string {
  return `${formatPercentBR(p.normal, 2)} NORMAL / ${formatPercentBR(p.pneumonia, 2)} PNEUMONIA`;
}
