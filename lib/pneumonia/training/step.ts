// One training step, the whole of it, on this thread: what model.fit() does for every batch.
// trainModel (fit.ts) runs it on one thread; on several threads the engine's stepper
// (cnn-course-engine, createTrainStepper) computes the same step faster, split across worker
// threads, and test/lessons/train-step.test.ts checks both give the same losses.
import * as tf from "@tensorflow/tfjs";
import { Batch, LossFn, StepResult, TrainStepper, withSeededMathRandom } from "cnn-course-engine";

/**
 * One step on the batch (x, y):
 *   1. forward: the model's outputs in training mode (dropout on, BatchNorm on this batch);
 *   2. loss: one number, how wrong the outputs are;
 *   3. gradients: d loss / d weight for every trainable weight (tf.variableGrads: backpropagation);
 *   4. the optimizer's step: every weight moves against its gradient (Adam: scaled per weight).
 * Returns the loss and the outputs (for the epoch's metrics). Does not dispose x and y.
 * Its comments are in Portuguese: notebook 09 shows this function (a test keeps the two equal).
 */
export function trainStep(model: tf.LayersModel, optimizer: tf.Optimizer, loss: LossFn, x: tf.Tensor, y: tf.Tensor): StepResult {
  const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const kept: tf.Tensor[] = []; // as previsões, guardadas da limpeza do variableGrads
  const { value, grads } = tf.variableGrads(() => {
    const outputs = model.apply(x, { training: true }) as tf.Tensor; // 1. para a frente
    kept.push(tf.keep(outputs));
    return loss(y, outputs); // 2. a perda
  }, weights); // 3. os gradientes de cada peso
  optimizer.applyGradients(weights.map((w) => ({ name: w.name, tensor: grads[w.name] }))); // 4. o passo do otimizador
  const result = { loss: value.dataSync()[0], outputs: kept[0].dataSync() as Float32Array };
  tf.dispose([value, ...kept, ...Object.values(grads)]);
  return result;
}

/**
 * trainStep behind the engine's TrainStepper interface, on this thread: dropout masks seeded by the
 * step's seed, as the engine seeds them. trainModel uses it with `threads: 1`.
 */
export function plainStepper(model: tf.LayersModel, optimizer: tf.Optimizer, loss: LossFn): TrainStepper {
  const tensors = (b: Batch): { x: tf.Tensor; y: tf.Tensor } => ({
    x: tf.tensor(Float32Array.from(b.x), [b.count, ...(model.inputs[0].shape.slice(1) as number[])]),
    y: tf.tensor(Float32Array.from(b.y), [b.count, ...(model.outputs[0].shape.slice(1) as number[])]),
  });
  return {
    threads: 1, interrupted: false, lastPhases: null,
    async step(batch, seed) {
      const { x, y } = tensors(batch);
      try {
        return withSeededMathRandom(seed, () => trainStep(model, optimizer, loss, x, y));
      } finally {
        tf.dispose([x, y]);
      }
    },
    async predict(batch) {
      const { x, y } = tensors(batch);
      const out = tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync() as Float32Array);
      tf.dispose([x, y]);
      return out;
    },
    refreshWeights: () => undefined,
    workerTensors: () => [],
    close: async () => undefined,
  };
}
