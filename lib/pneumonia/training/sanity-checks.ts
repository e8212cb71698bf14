// CS231n's two sanity checks before a long training ("Babysitting the learning process"):
// (1) the untrained model's loss is what chance gives, log 2 for two balanced classes, and the
// class weights change it by their mean over the batch; (2) the model can drive the loss down
// on a tiny subset (20 images) it sees over and over: if it cannot memorise 20 images, something
// in the model, the loss or the optimiser is broken.
import * as tf from "@tensorflow/tfjs";
import { batchTensors, LabeledImages } from "./batches";
import { ClassWeights, weightedBinaryCrossentropy } from "./loss";
import { trainModel, TrainOptions } from "./fit";
import { evaluateModel } from "./evaluate";

/** The first `perClass` NORMAL and the first `perClass` PNEUMONIA images of `data`, NORMAL first. */
export function balancedSubset(data: LabeledImages, perClass: number): LabeledImages {
  const picked: number[][] = [[], []];
  for (let i = 0; i < data.count && (picked[0].length < perClass || picked[1].length < perClass); i++) {
    const list = picked[data.labels[i] === 1 ? 1 : 0];
    if (list.length < perClass) list.push(i);
  }
  if (picked[0].length < perClass || picked[1].length < perClass) {
    throw new Error(`balancedSubset: pedi ${perClass} imagens de cada classe e há ${picked[0].length} NORMAL e ${picked[1].length} PNEUMONIA.`);
  }
  return subset(data, [...picked[0], ...picked[1]]);
}

/** The images at `indices`, as a new LabeledImages. */
export function subset(data: LabeledImages, indices: number[]): LabeledImages {
  const px = data.size * data.size * 3;
  const images = new Uint8Array(indices.length * px);
  indices.forEach((from, k) => images.set(data.images.subarray(from * px, (from + 1) * px), k * px));
  return { images, labels: Uint8Array.from(indices, (i) => data.labels[i]), size: data.size, count: indices.length };
}

export interface InitialLoss {
  /** Images of the batch, and how many are PNEUMONIA. */
  images: number;
  pneumonia: number;
  /** Mean P(PNEUMONIA) the untrained model gives (inference mode). */
  meanProbability: number;
  /** Binary cross-entropy without and with the class weights (Keras' reduction: sum of weighted losses / batch size). */
  unweighted: number;
  weighted: number;
  /** Mean class weight over the batch: the weighted loss is about log 2 times it when every P is near 0.5. */
  meanWeight: number;
}

/** The untrained model's loss on `batch` (inference mode: no dropout), without and with `classWeights`. */
export function initialLoss(model: tf.LayersModel, batch: LabeledImages, classWeights: ClassWeights): InitialLoss {
  const indices = Array.from({ length: batch.count }, (_, i) => i);
  const pneumonia = batch.labels.reduce((s, l) => s + l, 0);
  return tf.tidy(() => {
    const { x, y } = batchTensors(batch, indices);
    const p = model.predict(x) as tf.Tensor;
    return {
      images: batch.count, pneumonia,
      meanProbability: p.mean().dataSync()[0],
      unweighted: weightedBinaryCrossentropy(y, p).dataSync()[0],
      weighted: weightedBinaryCrossentropy(y, p, classWeights).dataSync()[0],
      meanWeight: ((batch.count - pneumonia) * classWeights[0] + pneumonia * classWeights[1]) / batch.count,
    };
  });
}

export interface OverfitCheck {
  images: number;
  /** Training loss (training mode, dropout on) after each epoch; one step per epoch. */
  losses: number[];
  /** On the same images afterwards, in inference mode. */
  loss: number;
  accuracy: number;
}

/**
 * Trains `model` (fresh) on `tiny` alone, one batch of all its images per epoch, no class weights,
 * and evaluates it on the same images. `options` are the preset's (schedule, seed, BatchNorm
 * statistics recomputed on the tiny set when the preset recomputes them).
 */
export async function overfitTinySubset(model: tf.LayersModel, tiny: LabeledImages, epochs: number,
  options: Pick<TrainOptions, "schedule" | "seed" | "recomputeBatchNormImages">): Promise<OverfitCheck> {
  const result = await trainModel(model, tiny, tiny, {
    epochs, batchSize: tiny.count, patience: epochs, restoreBestWeights: false, showProgress: false, threads: 1,
    schedule: options.schedule, seed: options.seed,
    recomputeBatchNormImages: options.recomputeBatchNormImages ? tiny.count : undefined,
  });
  const evaluation = await evaluateModel(model, tiny, { progressLabel: null });
  return { images: tiny.count, losses: result.history.map((h) => h.loss), loss: evaluation.loss, accuracy: evaluation.accuracy };
}
