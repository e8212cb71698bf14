// Dropout from scratch, on plain arrays. At each training iteration every neuron is
// switched off with probability `rate`. Two ways keep the next layer's input the same
// on average between training and inference:
//  - "inverted" (Keras, TensorFlow.js, PyTorch): scale the kept neurons by 1/(1 - rate)
//    during training; at inference use the neurons as they are;
//  - "classic" (the original paper): no scaling while training; at inference multiply
//    every neuron by (1 - rate), the fraction that was on during training.
import { Rng, seededRandom } from "../common/random";
import { noteReferenceCall } from "../check/reference-use";

export type DropoutMode = "inverted" | "classic";

export interface DropoutResult {
  /** The layer's output for this iteration. */
  output: number[];
  /** 1 where the neuron was kept, 0 where it was switched off. */
  mask: number[];
}

/** Throws a clear error unless 0 <= rate < 1 (rate 1 would switch every neuron off). */
export function checkDropoutRate(rate: number): void {
  if (typeof rate !== "number" || !Number.isFinite(rate) || rate < 0 || rate >= 1) {
    throw new Error(`A taxa de dropout deve estar em [0, 1) (por exemplo \`0.2\` = 20% desligados); recebi \`${rate}\`.`);
  }
}

/** One iteration's mask: each of `length` neurons kept (1) with probability 1 - rate, else 0. */
export function dropoutMask(length: number, rate: number, random: Rng): number[] {
  noteReferenceCall("dropoutMask");
  checkDropoutRate(rate);
  if (!Number.isInteger(length) || length < 0) throw new Error(`length deve ser um inteiro >= 0 (recebi ${length}).`);
  return Array.from({ length }, () => (random() < rate ? 0 : 1));
}

/** Dropout in training: a fresh mask from `random`, applied to the activations `x`. */
export function dropoutForward(x: number[], rate: number, random: Rng, mode: DropoutMode = "inverted"): DropoutResult {
  noteReferenceCall("dropoutForward");
  const mask = dropoutMask(x.length, rate, random);
  const keep = mode === "inverted" ? 1 - rate : 1;
  return { output: x.map((v, i) => (mask[i] === 1 ? v / keep : 0)), mask };
}

/** Dropout at inference: every neuron on; "classic" scales them by the training average (1 - rate). */
export function dropoutInference(x: number[], rate: number, mode: DropoutMode = "inverted"): number[] {
  checkDropoutRate(rate);
  return mode === "inverted" ? x.slice() : x.map((v) => v * (1 - rate));
}

/** The masks of `iterations` training iterations for a layer of `neurons` (rows = iterations). */
export function dropoutMasks(neurons: number, iterations: number, rate: number, seed: number): number[][] {
  const random = seededRandom(seed);
  return Array.from({ length: iterations }, () => dropoutMask(neurons, rate, random));
}

/** Mean, over `iterations` training iterations, of the dropout output for the same input `x`. */
export function meanTrainingOutput(x: number[], rate: number, iterations: number, seed: number, mode: DropoutMode = "inverted"): number[] {
  const random = seededRandom(seed);
  const sum = new Array<number>(x.length).fill(0);
  for (let t = 0; t < iterations; t++) {
    dropoutForward(x, rate, random, mode).output.forEach((v, i) => { sum[i] += v; });
  }
  return sum.map((s) => s / iterations);
}

/** Fraction of zeros in a mask (or any array): close to the rate for a long mask. */
export function zeroFraction(values: number[]): number {
  return values.length === 0 ? 0 : values.filter((v) => v === 0).length / values.length;
}
