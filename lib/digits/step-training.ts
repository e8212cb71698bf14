// A step-by-step training loop for the lesson-08 experiments: trainOnBatch over a seeded
// shuffle per epoch, recording the training loss of every step (training mode, as the
// fit progress bar shows it) and the validation accuracy after each epoch (inference
// mode). Unlike fitDigits it does not re-evaluate the whole training set every epoch:
// only once at the end, which keeps several trainings inside a notebook's time budget.
import * as tf from "@tensorflow/tfjs";
import { DigitSet } from "./mnist";
import { digitTensors } from "./digit-training";
import { seededRandom, shuffled } from "../common/random";
import { createProgress } from "../view/progress";
import { formatBR } from "../common/format";

export interface StepTrainingOptions {
  epochs: number;
  batchSize: number;
  /** Seed of the per-epoch shuffles. */
  seed: number;
  /** Owned by the caller (disposed by the caller). */
  optimizer: tf.Optimizer;
  /** Label of the progress line. */
  label: string;
  /** Measure the validation accuracy after every epoch (default) or only after the last one. */
  validateEachEpoch?: boolean;
}

export interface StepTrainingRun {
  /** Training loss of every step. */
  stepLoss: number[];
  /** Validation accuracy after each epoch (only the last one when validateEachEpoch is false). */
  valAccuracy: number[];
  /** Training-set accuracy after the last epoch (inference mode). */
  trainAccuracy: number;
  params: number;
  seconds: number;
}

async function accuracy(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): Promise<number> {
  const [loss, acc] = model.evaluate(xs, ys, { batchSize: 256 }) as tf.Scalar[];
  const value = (await acc.data())[0];
  tf.dispose([loss, acc]);
  return value;
}

/** Compiles `model` (cross-entropy, accuracy) with the given optimizer and trains it step by step. */
export async function trainStepByStep(model: tf.LayersModel, train: DigitSet, validation: DigitSet, o: StepTrainingOptions): Promise<StepTrainingRun> {
  if (!Number.isInteger(o.epochs) || o.epochs < 1) throw new Error(`epochs deve ser um inteiro >= 1 (recebi ${o.epochs}).`);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw new Error(`batchSize deve ser um inteiro >= 1 (recebi ${o.batchSize}).`);
  const start = Date.now();
  model.compile({ optimizer: o.optimizer, loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  const t = digitTensors(train), v = digitTensors(validation);
  const rng = seededRandom(o.seed);
  const stepLoss: number[] = [], valAccuracy: number[] = [];
  const progress = createProgress(o.label, o.epochs);
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const order = shuffled(Array.from({ length: train.count }, (_, i) => i), rng);
      for (let b = 0; b < order.length; b += o.batchSize) {
        const idx = tf.tensor1d(order.slice(b, b + o.batchSize), "int32");
        const xs = tf.gather(t.xs, idx), ys = tf.gather(t.ys, idx);
        const out = await model.trainOnBatch(xs, ys);
        stepLoss.push(Array.isArray(out) ? out[0] : out);
        tf.dispose([idx, xs, ys]);
      }
      const last = epoch === o.epochs - 1;
      if (o.validateEachEpoch !== false || last) valAccuracy.push(await accuracy(model, v.xs, v.ys));
      progress.tick(1, valAccuracy.length ? { "val. acurácia": formatBR(valAccuracy[valAccuracy.length - 1], 3) } : {});
    }
    progress.finish();
    const trainAccuracy = await accuracy(model, t.xs, t.ys);
    return { stepLoss, valAccuracy, trainAccuracy, params: model.countParams(), seconds: (Date.now() - start) / 1000 };
  } finally {
    tf.dispose([t.xs, t.ys, v.xs, v.ys]);
  }
}
