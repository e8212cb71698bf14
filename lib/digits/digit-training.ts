// The small training loop the lecture notebooks share (digit CNN, dropout comparison; why it is
// not the X-ray loop: lib/common/history.ts, which holds the history shape both share):
// Keras-style fit, one epoch at a time with a seeded shuffle, and after each epoch the
// loss and accuracy on the training AND the validation set, both measured in inference
// mode (dropout off), so that the two curves compare like with like.
import * as tf from "@tensorflow/tfjs";
import { DigitSet, MNIST_SIZE } from "./mnist";
import { createProgress } from "../view/progress";
import { EpochRecord, KerasHistory, toKerasHistory } from "../common/history";
import { seededRandom, shuffled } from "../common/random";
import { formatBR } from "../common/format";

/** One epoch of a digit training: loss and accuracy on the training and the validation set, both in inference mode. */
export interface EpochMetrics extends EpochRecord {
  accuracy: number;
  valAccuracy: number;
}

export interface TrainingHistory {
  epochs: EpochMetrics[];
  /** Wall-clock seconds of the whole training, evaluations included. */
  seconds: number;
  /** The tfjs backend that ran it ("wasm", "cpu", "tensorflow"). */
  backend: string;
}

/** Images as a [n, 28, 28, 1] tensor and labels one-hot [n, 10]. */
export function digitTensors(set: DigitSet): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  return tf.tidy(() => ({
    xs: tf.tensor4d(set.images, [set.count, set.size, set.size, 1]),
    ys: tf.oneHot(tf.tensor1d(set.labels, "int32"), 10).toFloat() as tf.Tensor2D,
  }));
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  /** Seed of the per-epoch shuffles. */
  seed: number;
  /** Called after every epoch (live charts, printing). */
  onEpoch?: (metrics: EpochMetrics) => void;
  /** Label of the progress display (one line updated in place per epoch). Default "treino". */
  label?: string;
}

async function lossAndAccuracy(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): Promise<[number, number]> {
  const result = model.evaluate(xs, ys, { batchSize: 256 }) as tf.Scalar[];
  const values = await Promise.all(result.map((t) => t.data()));
  result.forEach((t) => t.dispose());
  return [values[0][0], values[1][0]];
}

/** Trains a compiled model (loss categoricalCrossentropy, metric accuracy) on digits. */
export async function fitDigits(model: tf.LayersModel, train: DigitSet, validation: DigitSet, opts: FitOptions): Promise<TrainingHistory> {
  if (train.size !== MNIST_SIZE || validation.size !== MNIST_SIZE) throw new Error("fitDigits espera imagens 28x28 (conjuntos de mnistSplit).");
  if (train.count === 0 || validation.count === 0) throw new Error("Os conjuntos de treino e de validação precisam de pelo menos uma imagem cada.");
  const start = Date.now();
  const rng = seededRandom(opts.seed);
  const trainT = digitTensors(train), valT = digitTensors(validation);
  const order = Array.from({ length: train.count }, (_, i) => i);
  const epochs: EpochMetrics[] = [];
  const progress = createProgress(opts.label ?? "treino", opts.epochs);
  try {
    for (let epoch = 1; epoch <= opts.epochs; epoch++) {
      const idx = tf.tensor1d(shuffled(order, rng), "int32");
      const xs = tf.gather(trainT.xs, idx), ys = tf.gather(trainT.ys, idx);
      await model.fit(xs, ys, { epochs: 1, batchSize: opts.batchSize, shuffle: false, verbose: 0 });
      tf.dispose([idx, xs, ys]);
      const [loss, accuracy] = await lossAndAccuracy(model, trainT.xs, trainT.ys);
      const [valLoss, valAccuracy] = await lossAndAccuracy(model, valT.xs, valT.ys);
      const metrics = { epoch, loss, accuracy, valLoss, valAccuracy };
      epochs.push(metrics);
      progress.tick(1, { loss: formatBR(loss, 3), acurácia: formatBR(accuracy, 3), "val. acurácia": formatBR(valAccuracy, 3) });
      opts.onEpoch?.(metrics);
    }
    progress.finish();
  } finally {
    tf.dispose([trainT.xs, trainT.ys, valT.xs, valT.ys]);
  }
  return { epochs, seconds: (Date.now() - start) / 1000, backend: tf.getBackend() };
}

/** The history as Keras' `history.history` holds it (for historyChart): loss, val_loss, accuracy, val_accuracy. */
export function historyRecord(history: TrainingHistory): KerasHistory {
  return toKerasHistory(history.epochs, { loss: "loss", val_loss: "valLoss", accuracy: "accuracy", val_accuracy: "valAccuracy" });
}
