// The same small network trained twice on a small set of real digits, without and
// with dropout, from the same initial weights and the same batches: the only
// difference is the dropout layer. Overfitting shows up as a gap between the
// training and the validation accuracy.
import * as tf from "@tensorflow/tfjs";
import { checkDropoutRate } from "../lecture/dropout";
import { DigitSet, MNIST_SIZE, mnistSplit } from "./mnist";
import { seededRandom, shuffled } from "../common/random";
import { EpochMetrics, fitDigits, TrainingHistory } from "./digit-training";
import { SeededDropout } from "./seeded-dropout";

/** Every option defaults to DROPOUT_COMPARISON_DEFAULTS. */
export interface DropoutComparisonOptions {
  /** Training images (few, so that the network can memorise them). */
  train?: number;
  /** Validation images. */
  validation?: number;
  /** Neurons of each hidden Dense layer. */
  hidden?: number[];
  /** Dropout rate after each hidden layer in the "with dropout" network. */
  rate?: number;
  /** Dropout rate on the input pixels in the "with dropout" network (0 = none). */
  inputRate?: number;
  /** Fraction of training labels replaced by a random wrong digit (0 = clean). */
  labelNoise?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  /** Called after each epoch of each network. */
  onEpoch?: (network: "sem dropout" | "com dropout", metrics: EpochMetrics) => void;
}

/** How far training and validation accuracy ended apart. */
export interface Gap {
  trainAccuracy: number;
  valAccuracy: number;
  /** trainAccuracy - valAccuracy at the last epoch. */
  accuracyGap: number;
  /** valLoss - loss at the last epoch. */
  lossGap: number;
}

export interface DropoutComparison {
  withoutDropout: TrainingHistory;
  withDropout: TrainingHistory;
  gapWithout: Gap;
  gapWith: Gap;
  options: DropoutComparisonSettings;
}

export type DropoutComparisonSettings = Required<Omit<DropoutComparisonOptions, "onEpoch">>;

/**
 * The notebook's setting: few digits, a quarter of their labels wrong (as a careless
 * annotator would), a network big enough to memorise them all. Memorising shows as a
 * training accuracy above 75% (only possible by learning the wrong labels too).
 * About 10 s of CPU for the two trainings on the wasm backend.
 */
export const DROPOUT_COMPARISON_DEFAULTS: DropoutComparisonSettings = {
  train: 400, validation: 500, hidden: [256], rate: 0.5, inputRate: 0.2, labelNoise: 0.25,
  epochs: 15, batchSize: 32, learningRate: 0.001, seed: 7,
};

function withoutCallback(opts: DropoutComparisonOptions): Partial<DropoutComparisonSettings> {
  const { onEpoch: _onEpoch, ...rest } = opts;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<DropoutComparisonSettings>;
}

/** Flatten -> [Dropout] -> (Dense relu -> [Dropout]) per hidden layer -> Dense softmax; same seed, same initial weights. */
export function buildDenseDigitClassifier(hidden: number[], rate: number, inputRate: number, seed: number): tf.Sequential {
  checkDropoutRate(rate);
  checkDropoutRate(inputRate);
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [MNIST_SIZE, MNIST_SIZE, 1] }));
  if (inputRate > 0) model.add(new SeededDropout({ rate: inputRate, seed: seed * 1000 + 7 }));
  hidden.forEach((units, i) => {
    model.add(tf.layers.dense({ units, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: seed + i }) }));
    if (rate > 0) model.add(new SeededDropout({ rate, seed: seed * 1000 + i * 100_000 }));
  });
  model.add(tf.layers.dense({ units: 10, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: seed + hidden.length }) }));
  return model;
}

/** A copy of `set` where a fraction of the labels is replaced by a different, random digit. */
export function withWrongLabels(set: DigitSet, fraction: number, seed: number): DigitSet {
  if (!(fraction >= 0 && fraction <= 1)) throw new Error(`labelNoise deve estar entre 0 e 1 (recebi ${fraction}).`);
  const rng = seededRandom(seed + 12345);
  const labels = set.labels.slice();
  const chosen = shuffled(Array.from({ length: set.count }, (_, i) => i), rng).slice(0, Math.round(fraction * set.count));
  for (const i of chosen) labels[i] = (labels[i] + 1 + Math.floor(rng() * 9)) % 10;
  return { ...set, labels };
}

export function finalGap(history: TrainingHistory): Gap {
  const last = history.epochs[history.epochs.length - 1];
  return {
    trainAccuracy: last.accuracy, valAccuracy: last.valAccuracy,
    accuracyGap: last.accuracy - last.valAccuracy, lossGap: last.valLoss - last.loss,
  };
}

/** Trains the network without and with dropout on the same digits and returns both histories. */
export async function compareDropout(opts: DropoutComparisonOptions = {}): Promise<DropoutComparison> {
  const o = { ...DROPOUT_COMPARISON_DEFAULTS, ...withoutCallback(opts) };
  checkDropoutRate(o.rate);
  const split = mnistSplit({ train: o.train, validation: o.validation, seed: o.seed });
  const train = o.labelNoise > 0 ? withWrongLabels(split.train, o.labelNoise, o.seed) : split.train;
  const validation = split.validation;
  const run = async (rate: number, inputRate: number, name: "sem dropout" | "com dropout"): Promise<TrainingHistory> => {
    const model = buildDenseDigitClassifier(o.hidden, rate, inputRate, o.seed);
    const optimizer = tf.train.adam(o.learningRate);
    model.compile({ optimizer, loss: "categoricalCrossentropy", metrics: ["accuracy"] });
    try {
      return await fitDigits(model, train, validation, {
        epochs: o.epochs, batchSize: o.batchSize, seed: o.seed, label: name, onEpoch: (m) => opts.onEpoch?.(name, m),
      });
    } finally {
      // The optimizer's moment estimates are tensors the model does not own.
      optimizer.dispose();
      model.dispose();
    }
  };
  const withoutDropout = await run(0, 0, "sem dropout");
  const withDropout = await run(o.rate, o.inputRate, "com dropout");
  return { withoutDropout, withDropout, gapWithout: finalGap(withoutDropout), gapWith: finalGap(withDropout), options: o };
}
