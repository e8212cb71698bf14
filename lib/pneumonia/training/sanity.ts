// CS231n's first sanity check before a long training (notebook 09): the untrained model's loss is
// about log 2 on a balanced batch (a sigmoid near 0.5). It also shows what the class weights change:
// with them, the best constant guess is 0.5 (loss log 2), not the class frequency.
import * as tf from "@tensorflow/tfjs";
import { seededRandom, shuffled } from "../../common/random";
import { batchTensors, LabeledImages } from "./batches";
import { ClassWeights, weightedBinaryCrossentropy } from "./loss";

export interface InitialLossCheck {
  /** Mean BCE of the untrained model on `images` X-rays, half of each class. */
  balancedLoss: number;
  /** Mean P(PNEUMONIA) the untrained model gives on that batch. */
  meanProbability: number;
  /** Mean BCE on a batch with the training set's class frequencies, without and with the class weights. */
  unweightedLoss: number;
  weightedLoss: number;
  /** The loss of the constant guess p = fraction of PNEUMONIA, without and with the class weights. */
  frequencyGuess: { p: number; unweighted: number; weighted: number };
  log2: number;
}

function indicesOf(data: LabeledImages, label: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < data.count; i++) if (data.labels[i] === label) out.push(i);
  return out;
}

function lossOn(model: tf.LayersModel, data: LabeledImages, indices: number[], weights?: ClassWeights): { loss: number; meanP: number } {
  return tf.tidy(() => {
    const { x, y } = batchTensors(data, indices);
    const p = model.predict(x) as tf.Tensor;
    return { loss: weightedBinaryCrossentropy(y, p, weights).dataSync()[0], meanP: tf.mean(p).dataSync()[0] };
  });
}

/** The untrained `model` on a balanced batch and on a batch with the data's frequencies (inference mode). */
export function initialLossCheck(model: tf.LayersModel, data: LabeledImages, weights: ClassWeights, opts: { images?: number; seed?: number } = {}): InitialLossCheck {
  const half = Math.floor((opts.images ?? 50) / 2), rng = seededRandom(opts.seed ?? 42);
  const normal = shuffled(indicesOf(data, 0), rng), pneumonia = shuffled(indicesOf(data, 1), rng);
  if (normal.length < half || pneumonia.length < half) throw new Error(`initialLossCheck: preciso de ${half} imagens de cada classe (há ${normal.length} NORMAL e ${pneumonia.length} PNEUMONIA).`);
  const balanced = lossOn(model, data, [...normal.slice(0, half), ...pneumonia.slice(0, half)]);
  const mixed = shuffled(Array.from({ length: data.count }, (_, i) => i), rng).slice(0, Math.min(data.count, 4 * half));
  const p = pneumonia.length / data.count, log = Math.log;
  return {
    balancedLoss: balanced.loss, meanProbability: balanced.meanP,
    unweightedLoss: lossOn(model, data, mixed).loss, weightedLoss: lossOn(model, data, mixed, weights).loss,
    frequencyGuess: { p, unweighted: -(p * log(p) + (1 - p) * log(1 - p)), weighted: -(p * weights[1] * log(p) + (1 - p) * weights[0] * log(1 - p)) },
    log2: Math.LN2,
  };
}
