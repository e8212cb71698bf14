// Slide 1: "fewer parameters -> less training data needed, less overfitting". Measured:
// a classic Dense network and a small CNN trained on the same few hundred real digits,
// for two training sizes and several seeds (each seed picks other digits and other initial weights), with their
// parameter counts and their training and validation accuracy side by side.
import * as tf from "@tensorflow/tfjs";
import { MNIST_SIZE, mnistSplit } from "./mnist";
import { trainStepByStep } from "./step-training";
import { buildBnDigitCnn } from "./batchnorm-comparison";
import { formatBR } from "../common/format";

export interface ParameterComparisonOptions {
  /** Sizes of the training set to try (few digits: the point is how far few examples go). */
  trainSizes?: number[];
  validation?: number;
  /** Neurons of the Dense network's hidden layer. */
  hidden?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** One training of each network per seed; every seed is reported. */
  seeds?: number[];
}

export type ParameterComparisonSettings = Required<ParameterComparisonOptions>;

export const PARAMETER_COMPARISON_DEFAULTS: ParameterComparisonSettings = {
  trainSizes: [100, 300], validation: 500, hidden: 64, epochs: 10, batchSize: 32, learningRate: 0.01, seeds: [1, 2, 3],
};

/** One network's result for one seed (accuracies after the last epoch, inference mode). */
export interface NetworkResult { params: number; trainAccuracy: number; valAccuracy: number; seconds: number }

export interface SeedResult { trainSize: number; seed: number; dense: NetworkResult; cnn: NetworkResult }

export interface ParameterComparison { seeds: SeedResult[]; options: ParameterComparisonSettings; backend: string }

/** Flatten -> Dense(hidden, ReLU) -> Dense(10, softmax): every hidden neuron sees all 784 pixels. */
export function buildDenseDigitNet(hidden: number, seed: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.flatten({ inputShape: [MNIST_SIZE, MNIST_SIZE, 1] }));
  model.add(tf.layers.dense({ units: hidden, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
  model.add(tf.layers.dense({ units: 10, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  return model;
}

async function trainOne(model: tf.LayersModel, o: ParameterComparisonSettings, trainSize: number, seed: number, label: string): Promise<NetworkResult> {
  const { train, validation } = mnistSplit({ train: trainSize, validation: o.validation, seed });
  const optimizer = tf.train.adam(o.learningRate);
  try {
    const run = await trainStepByStep(model, train, validation, { epochs: o.epochs, batchSize: o.batchSize, seed, optimizer, label, validateEachEpoch: false });
    return { params: run.params, trainAccuracy: run.trainAccuracy, valAccuracy: run.valAccuracy[run.valAccuracy.length - 1], seconds: run.seconds };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

/** For each training size and seed: the Dense network and the CNN (no BN) on the same digits, same epochs and optimizer. */
export async function compareParameters(opts: ParameterComparisonOptions = {}): Promise<ParameterComparison> {
  const o: ParameterComparisonSettings = { ...PARAMETER_COMPARISON_DEFAULTS, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) };
  if (!Array.isArray(o.seeds) || o.seeds.length === 0) throw new Error("seeds deve ser uma lista com pelo menos uma semente.");
  if (!Array.isArray(o.trainSizes) || o.trainSizes.length === 0) throw new Error("trainSizes deve ser uma lista com pelo menos um tamanho.");
  const seeds: SeedResult[] = [];
  for (const trainSize of o.trainSizes) {
    for (const seed of o.seeds) {
      const dense = await trainOne(buildDenseDigitNet(o.hidden, seed), o, trainSize, seed, `Dense, ${formatBR(trainSize)} dígitos, semente ${seed}`);
      const cnn = await trainOne(buildBnDigitCnn(false, seed), o, trainSize, seed, `CNN, ${formatBR(trainSize)} dígitos, semente ${seed}`);
      seeds.push({ trainSize, seed, dense, cnn });
    }
  }
  return { seeds, options: o, backend: tf.getBackend() };
}
