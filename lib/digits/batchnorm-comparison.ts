// The same small CNN trained twice on real digits, without and with BatchNormalization
// after each convolution (as in the pneumonia model's convBlock: conv + ReLU, then BN,
// then pooling), from the same initial weights and the same batches. What is recorded is
// the training loss of every step, as Keras prints it during fit (batch statistics, in
// training mode), and the validation accuracy after each epoch in inference mode
// (moving statistics).
import * as tf from "@tensorflow/tfjs";
import { MNIST_SIZE, mnistSplit } from "./mnist";
import { StepTrainingRun, trainStepByStep } from "./step-training";
import { formatBR } from "../common/format";

export interface BatchNormComparisonOptions {
  train?: number;
  validation?: number;
  epochs?: number;
  batchSize?: number;
  /** Plain SGD step: BN's effect shows most where the plain network learns slowly. */
  learningRate?: number;
  /** BN momentum of each "with BN" run (Keras: 0.99; 0.9 lets the moving statistics catch up in few steps). */
  momenta?: number[];
  seed?: number;
}

export type BatchNormComparisonSettings = Required<BatchNormComparisonOptions>;

export const BATCHNORM_COMPARISON_DEFAULTS: BatchNormComparisonSettings = {
  train: 1000, validation: 500, epochs: 3, batchSize: 32, learningRate: 0.05, momenta: [0.99, 0.9], seed: 3,
};

export type BatchNormRun = StepTrainingRun;

export interface BatchNormComparison {
  withoutBn: BatchNormRun;
  /** One run per BN momentum, in the order of options.momenta. */
  withBn: (BatchNormRun & { momentum: number })[];
  options: BatchNormComparisonSettings;
  backend: string;
}

/** Conv(8, 3x3, ReLU) [-> BN] -> MaxPool 2 -> Conv(16, 3x3, ReLU) [-> BN] -> MaxPool 2 -> Flatten -> Dense(10, softmax). */
export function buildBnDigitCnn(batchNorm: boolean, seed: number, momentum = 0.99): tf.Sequential {
  const model = tf.sequential();
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed + k });
  model.add(tf.layers.conv2d({ inputShape: [MNIST_SIZE, MNIST_SIZE, 1], filters: 8, kernelSize: 3, activation: "relu", kernelInitializer: init(0) }));
  if (batchNorm) model.add(tf.layers.batchNormalization({ momentum }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: "relu", kernelInitializer: init(1) }));
  if (batchNorm) model.add(tf.layers.batchNormalization({ momentum }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, activation: "softmax", kernelInitializer: init(2) }));
  return model;
}

/** The comparison: same digits, same initial weights (same seeds), same batch order; only the BN layers differ. */
export async function compareBatchNorm(opts: BatchNormComparisonOptions = {}): Promise<BatchNormComparison> {
  const o: BatchNormComparisonSettings = { ...BATCHNORM_COMPARISON_DEFAULTS, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) };
  const { train, validation } = mnistSplit({ train: o.train, validation: o.validation, seed: o.seed });
  const run = async (momentum: number | null): Promise<BatchNormRun> => {
    const model = buildBnDigitCnn(momentum !== null, o.seed, momentum ?? undefined);
    const optimizer = tf.train.sgd(o.learningRate);
    try {
      return await trainStepByStep(model, train, validation, {
        epochs: o.epochs, batchSize: o.batchSize, seed: o.seed, optimizer, label: momentum === null ? "sem BN" : `com BN (momentum ${formatBR(momentum, 3, true)})`,
      });
    } finally {
      optimizer.dispose();
      model.dispose();
    }
  };
  const withoutBn = await run(null);
  const withBn: BatchNormComparison["withBn"] = [];
  for (const momentum of o.momenta) withBn.push({ momentum, ...(await run(momentum)) });
  return { withoutBn, withBn, options: o, backend: tf.getBackend() };
}

/** Mean of each window of `size` consecutive values (the step losses are noisy). */
export function movingAverage(values: number[], size: number): number[] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`size deve ser um inteiro >= 1 (recebi ${size}).`);
  const out: number[] = [];
  for (let i = 0; i + size <= values.length; i++) out.push(values.slice(i, i + size).reduce((a, b) => a + b, 0) / size);
  return out;
}
