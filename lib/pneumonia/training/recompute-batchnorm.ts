// Recomputed BatchNorm statistics ("precise BatchNorm": Wu & Johnson 2021, "Rethinking 'Batch' in
// BatchNorm", sec. 3; fvcore's update_bn_stats, torch.optim.swa_utils.update_bn). Keras keeps, per
// BatchNormalization, an exponential average (momentum 0.99) of the batch statistics of roughly the
// last 100 steps, computed under weights that kept changing during those steps; validation and test
// normalize with that stale average, and the validation curves swing (batchnorm-statistics.ts
// measures it). Here, after an epoch, each layer's moving mean and variance are replaced by the mean
// and variance of its input over a seeded sample of training images, under the epoch's final weights,
// upstream layers normalized as in training. The training steps themselves do not change.
import * as tf from "@tensorflow/tfjs";
import { seededRandom, shuffled } from "../../common/random";
import { assertLabeledImages, batchTensors, LabeledImages } from "./batches";
import { assertSingleInputChain, BatchMoments, forwardWithBatchStatistics, pooledMoments } from "./batchnorm-statistics";

export interface RecomputeBatchNormOptions {
  /** Training images to measure on: the first ones of a seeded shuffle (rounded down to whole batches, at least one). */
  images: number;
  /** Images per forward pass (default 25, the training batch). */
  batchSize?: number;
  /** Seed of the image choice (fit.ts derives one per epoch). */
  seed: number;
}

export interface RecomputeBatchNormResult {
  /** BatchNormalization layers whose moving statistics were replaced. */
  layers: number;
  /** Images measured. */
  images: number;
}

/** The moving-mean and moving-variance variables of a BatchNormalization layer (found by name: a frozen layer lists gamma and beta as non-trainable too). */
function movingStatistics(layer: tf.layers.Layer): { mean: tf.LayerVariable; variance: tf.LayerVariable } {
  const find = (suffix: string): tf.LayerVariable => {
    const v = layer.weights.find((w) => w.originalName.endsWith(suffix));
    if (!v) throw new Error(`recomputeBatchNormStatistics: ${layer.name} não tem ${suffix}.`);
    return v;
  };
  return { mean: find("moving_mean"), variance: find("moving_variance") };
}

/** Which training images to measure on: `opts.images` of a seeded shuffle, whole batches. */
function sampleIndices(count: number, opts: RecomputeBatchNormOptions, batchSize: number): number[] {
  if (!(opts.images >= 1)) throw new Error(`recomputeBatchNormStatistics: images deve ser >= 1 (recebi ${opts.images}).`);
  const take = Math.max(batchSize, Math.floor(Math.min(count, opts.images) / batchSize) * batchSize);
  return shuffled(Array.from({ length: count }, (_, i) => i), seededRandom(opts.seed)).slice(0, Math.min(count, take));
}

/**
 * Replaces every BatchNormalization's moving mean and variance of `model` by the (biased) mean and
 * variance of its input over a sample of `data`, as the layers see it in training.
 */
export function recomputeBatchNormStatistics(model: tf.LayersModel, data: LabeledImages, opts: RecomputeBatchNormOptions): RecomputeBatchNormResult {
  assertLabeledImages(data, "recomputeBatchNormStatistics");
  assertSingleInputChain(model, "recomputeBatchNormStatistics");
  const layers = model.layers.filter((l) => l.getClassName() === "BatchNormalization");
  if (layers.length === 0) return { layers: 0, images: 0 };
  const batchSize = opts.batchSize ?? 25;
  const indices = sampleIndices(data.count, opts, batchSize);
  const seen = new Map(layers.map((l) => [l.name, [] as BatchMoments[]]));
  try {
    for (let from = 0; from < indices.length; from += batchSize) {
      tf.tidy(() => { forwardWithBatchStatistics(model, batchTensors(data, indices.slice(from, from + batchSize)).x, seen); });
    }
    for (const layer of layers) {
      const pooled = pooledMoments(seen.get(layer.name) ?? []);
      const moving = movingStatistics(layer);
      moving.mean.write(pooled.mean);
      moving.variance.write(pooled.variance);
      tf.dispose([pooled.mean, pooled.variance]);
    }
  } finally {
    seen.forEach((list) => list.forEach((m) => tf.dispose([m.mean, m.variance])));
  }
  return { layers: layers.length, images: indices.length };
}
