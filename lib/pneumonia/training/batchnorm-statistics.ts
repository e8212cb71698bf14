// Why the validation curves swing: at validation, BatchNormalization divides by its
// *moving* statistics (an average over roughly the last 1/(1 - 0.99) = 100 training steps,
// of weights that Adam at 0.015 keeps moving), not by the statistics of the images in
// front of it. This measures the difference on a split: the same weights, evaluated once
// as Keras evaluates (moving statistics) and once with each batch's own statistics.
import * as tf from "@tensorflow/tfjs";
import { assertLabeledImages, batchTensors, LabeledImages } from "./batches";
import { weightedBinaryCrossentropy } from "./loss";
import { accumulateCounts, emptyCounts, metricsFromCounts } from "./metrics";

export interface BatchNormLayerDrift {
  name: string;
  /** Mean over channels of |moving mean - mean on the split| / sqrt(variance on the split). */
  meanShift: number;
  /** Mean over channels of moving variance / variance on the split (1 = in agreement). */
  varianceRatio: number;
}

export interface BatchNormStatisticsComparison {
  moving: { loss: number; accuracy: number };
  batch: { loss: number; accuracy: number };
  layers: BatchNormLayerDrift[];
}

type BatchNormWeights = { gamma: tf.Tensor; beta: tf.Tensor; movingMean: tf.Tensor; movingVariance: tf.Tensor; epsilon: number };

function batchNormWeights(layer: tf.layers.Layer): BatchNormWeights {
  const [gamma, beta, movingMean, movingVariance] = layer.getWeights();
  return { gamma, beta, movingMean, movingVariance, epsilon: (layer.getConfig().epsilon as number) ?? 1e-3 };
}

/** One batch's per-channel mean and (biased) variance at a BatchNormalization's input. */
export interface BatchMoments { mean: tf.Tensor; variance: tf.Tensor }

/**
 * Runs the model's chain of layers in inference mode (dropout off), BatchNormalization on the
 * batch's own statistics, as in training; `seen` (by layer name) collects each layer's moments.
 */
export function forwardWithBatchStatistics(model: tf.LayersModel, x: tf.Tensor, seen?: Map<string, BatchMoments[]>): tf.Tensor {
  let h = x;
  for (const layer of model.layers) {
    if (layer.getClassName() === "InputLayer") continue;
    if (layer.getClassName() !== "BatchNormalization") {
      h = layer.apply(h, { training: false }) as tf.Tensor;
      continue;
    }
    const w = batchNormWeights(layer);
    const axes = Array.from({ length: h.rank - 1 }, (_, i) => i);
    const { mean, variance } = tf.moments(h, axes);
    seen?.get(layer.name)?.push({ mean: tf.keep(mean), variance: tf.keep(variance) });
    h = tf.batchNorm(h, mean, variance, w.beta, w.gamma, w.epsilon);
  }
  return h;
}

/** Throws unless every layer has one input (forwardWithBatchStatistics runs the layers in order). */
export function assertSingleInputChain(model: tf.LayersModel, who = "compareBatchNormStatistics"): void {
  for (const layer of model.layers) {
    if (layer.inboundNodes.length !== 1 || layer.inboundNodes[0].inboundLayers.length > 1) {
      throw new Error(`${who}: o modelo precisa ser uma cadeia de camadas (${layer.name} tem várias entradas).`);
    }
  }
}

/**
 * Mean and variance of the images of all `batches` together, from each batch's moments (law of total
 * variance; equal-weight batches: the last may be smaller, close enough).
 */
export function pooledMoments(batches: readonly BatchMoments[]): { mean: tf.Tensor; variance: tf.Tensor } {
  if (batches.length === 0) throw new Error("pooledMoments: nenhum lote");
  return tf.tidy(() => {
    const mean = tf.mean(tf.stack(batches.map((b) => b.mean)), 0);
    const variance = tf.mean(tf.stack(batches.map((b) => tf.add(b.variance, tf.square(tf.sub(b.mean, mean))))), 0);
    return { mean, variance };
  });
}

function drift(layer: tf.layers.Layer, batches: BatchMoments[]): BatchNormLayerDrift {
  return tf.tidy(() => {
    const w = batchNormWeights(layer);
    const { mean, variance } = pooledMoments(batches);
    const shift = tf.mean(tf.div(tf.abs(tf.sub(w.movingMean, mean)), tf.sqrt(tf.add(variance, w.epsilon)))).dataSync()[0];
    const ratio = tf.mean(tf.div(w.movingVariance, tf.add(variance, w.epsilon))).dataSync()[0];
    return { name: layer.name, meanShift: shift, varianceRatio: ratio };
  });
}

/** Loss and accuracy of `model` on `data` with moving vs batch statistics, and how far each BatchNormalization's moving statistics are. */
export function compareBatchNormStatistics(model: tf.LayersModel, data: LabeledImages, batchSize = 50): BatchNormStatisticsComparison {
  assertLabeledImages(data, "compareBatchNormStatistics");
  assertSingleInputChain(model);
  const bnLayers = model.layers.filter((l) => l.getClassName() === "BatchNormalization");
  const seen = new Map(bnLayers.map((l) => [l.name, [] as BatchMoments[]]));
  const moving = emptyCounts(), batch = emptyCounts();
  let movingLoss = 0, batchLoss = 0;
  for (let from = 0; from < data.count; from += batchSize) {
    const to = Math.min(data.count, from + batchSize), labels = data.labels.subarray(from, to);
    const [pm, pb, lm, lb] = tf.tidy(() => {
      const { x, y } = batchTensors(data, Array.from({ length: to - from }, (_, i) => from + i));
      const p1 = model.predict(x) as tf.Tensor, p2 = forwardWithBatchStatistics(model, x, seen);
      return [p1.dataSync(), p2.dataSync(), weightedBinaryCrossentropy(y, p1).dataSync()[0], weightedBinaryCrossentropy(y, p2).dataSync()[0]];
    });
    accumulateCounts(moving, labels, pm);
    accumulateCounts(batch, labels, pb);
    movingLoss += lm * (to - from);
    batchLoss += lb * (to - from);
  }
  const layers = bnLayers.map((l) => drift(l, seen.get(l.name) ?? []));
  seen.forEach((list) => list.forEach((s) => tf.dispose([s.mean, s.variance])));
  return {
    moving: { loss: movingLoss / data.count, accuracy: metricsFromCounts(moving).accuracy },
    batch: { loss: batchLoss / data.count, accuracy: metricsFromCounts(batch).accuracy },
    layers,
  };
}
