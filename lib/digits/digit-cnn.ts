// The lecture's "full convolutional network", small enough to train in seconds on real
// MNIST digits: Conv2D (the filters are trained parameters) -> ReLU -> pooling ->
// Flatten ("desenrolar") -> Dense softmax over the 10 digits. Filter count and size,
// stride, pooling type and activation are the hyperparameters we choose.
import * as tf from "@tensorflow/tfjs";
import { DigitSet, MNIST_SIZE, mnistSplit } from "./mnist";
import type { PoolMode } from "../lecture/pooling";
import { EpochMetrics, fitDigits, TrainingHistory } from "./digit-training";

export interface DigitCnnOptions {
  /** Number of 3x3 (kernelSize) filters of the convolution. Default 8. */
  filters?: number;
  kernelSize?: number;
  /** Convolution step. Default 1. */
  stride?: number;
  pooling?: PoolMode;
  /** Pooling window (and step). Default 2. */
  poolSize?: number;
  activation?: "relu" | "sigmoid" | "tanh" | "linear";
  seed?: number;
}

/** Conv2D -> pooling -> Flatten -> Dense(10, softmax), layers named "conv", "pool", "flatten", "dense". */
export function buildDigitCnn(opts: DigitCnnOptions = {}): tf.Sequential {
  const seed = opts.seed ?? 1;
  const poolSize = opts.poolSize ?? 2;
  const pooling = opts.pooling ?? "max";
  const model = tf.sequential();
  model.add(tf.layers.conv2d({
    name: "conv", inputShape: [MNIST_SIZE, MNIST_SIZE, 1], filters: opts.filters ?? 8, kernelSize: opts.kernelSize ?? 3,
    strides: opts.stride ?? 1, activation: opts.activation ?? "relu", kernelInitializer: tf.initializers.glorotUniform({ seed }),
  }));
  const poolArgs = { name: "pool", poolSize, strides: poolSize };
  model.add(pooling === "max" ? tf.layers.maxPooling2d(poolArgs) : tf.layers.averagePooling2d(poolArgs));
  model.add(tf.layers.flatten({ name: "flatten" }));
  model.add(tf.layers.dense({ name: "dense", units: 10, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  return model;
}

export interface DigitCnnTraining {
  model: tf.Sequential;
  history: TrainingHistory;
  train: DigitSet;
  validation: DigitSet;
}

export interface TrainDigitCnnOptions extends DigitCnnOptions {
  trainCount?: number;
  validationCount?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  onEpoch?: (metrics: EpochMetrics) => void;
}

/** Builds and trains the digit CNN (Adam, cross-entropy) on a seeded choice of real digits. */
export async function trainDigitCnn(opts: TrainDigitCnnOptions = {}): Promise<DigitCnnTraining> {
  const seed = opts.seed ?? 1;
  const { train, validation } = mnistSplit({ train: opts.trainCount ?? 1500, validation: opts.validationCount ?? 500, seed });
  const model = buildDigitCnn(opts);
  model.compile({ optimizer: tf.train.adam(opts.learningRate ?? 0.01), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  const history = await fitDigits(model, train, validation, {
    epochs: opts.epochs ?? 3, batchSize: opts.batchSize ?? 32, seed, onEpoch: opts.onEpoch, label: "CNN de dígitos",
  });
  return { model, history, train, validation };
}

/** The learned filters of the "conv" layer: one kernelSize x kernelSize matrix per filter (single input channel). */
export function learnedFilters(model: tf.LayersModel): number[][][] {
  const kernel = model.getLayer("conv").getWeights()[0] as tf.Tensor4D; // [kh, kw, 1, filters]
  const values = kernel.arraySync();
  const filters = kernel.shape[3];
  return Array.from({ length: filters }, (_, f) => values.map((row) => row.map((px) => px[0][f])));
}

/** The outputs of one layer ("conv" after its activation, or "pool") for one image, one matrix per filter. */
export function featureMaps(model: tf.LayersModel, image: number[][], layerName: "conv" | "pool" = "conv"): number[][][] {
  return tf.tidy(() => {
    const probe = tf.model({ inputs: model.inputs, outputs: model.getLayer(layerName).output as tf.SymbolicTensor });
    const out = probe.predict(tf.tensor(image).reshape([1, image.length, image[0].length, 1])) as tf.Tensor4D;
    const maps = out.arraySync()[0]; // [rows][cols][filters]
    return Array.from({ length: out.shape[3] }, (_, f) => maps.map((row) => row.map((px) => px[f])));
  });
}

/** The predicted digit and the 10 probabilities for each image. */
export function predictDigits(model: tf.LayersModel, images: number[][][]): { digit: number; probabilities: number[] }[] {
  return tf.tidy(() => {
    const x = tf.tensor(images).reshape([images.length, MNIST_SIZE, MNIST_SIZE, 1]);
    const probs = (model.predict(x) as tf.Tensor2D).arraySync();
    return probs.map((p) => ({ digit: p.indexOf(Math.max(...p)), probabilities: p }));
  });
}

/** A map divided by its own largest value (all zeros stay zeros): every filter's map drawn with the full grey range. */
export function scaleToPeak(map: number[][]): number[][] {
  const peak = Math.max(...map.map((row) => Math.max(...row)));
  return peak > 0 ? map.map((row) => row.map((v) => v / peak)) : map.map((row) => row.map(() => 0));
}
