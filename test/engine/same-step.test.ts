// The contract between the readable step and the engine: lib/pneumonia/training/step.ts's
// trainStep (forward, loss, gradients, the optimizer's step, on this thread) and the engine's
// createTrainStepper take the same steps. On one thread: the same losses and weights to the last
// bit. On two threads (whole-batch BatchNorm and dropout): the same losses within 1e-5 (float
// rounding of the split sums; test/engine/parallel-training.test.ts measures it against a nudge).
// And the stepper is generic: a 10-class softmax model (digit-shaped, one channel) trains on it.
import { strict as assert } from "assert";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { createTrainStepper, initEngine, withSeededMathRandom } from "cnn-course-engine";
import { seededRandom } from "../../lib/common/random";
import { classWeightedLoss, classWeightedLossSpec, imageBatch, KERAS_EXAMPLE_SCHEDULE, LabeledImages, ScheduledAdam, trainStep } from "../../lib/pneumonia/training";
import { tinyModel, TINY_SIZE } from "../helpers/tiny-model";

const WEIGHTS = { 0: 1.5, 1: 0.7 };
const STEPS = 4, BATCH = 10;

function images(count: number, seed: number): LabeledImages {
  const rng = seededRandom(seed), px = TINY_SIZE * TINY_SIZE * 3;
  const data = new Uint8Array(count * px), labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = rng() < 0.6 ? 1 : 0;
    for (let k = 0; k < px; k++) data[i * px + k] = Math.round((labels[i] ? 150 : 100) + (rng() - 0.5) * 160);
  }
  return { images: data, labels, size: TINY_SIZE, count };
}

const stepIndices = (s: number): number[] => Array.from({ length: BATCH }, (_, i) => s * BATCH + i);
const flatWeights = (m: tf.LayersModel): number[] => m.getWeights().flatMap((w) => Array.from(w.dataSync()));

describe("the readable trainStep and the engine's stepper take the same steps", function () {
  const data = images(STEPS * BATCH, 5);
  before(async () => { await initEngine({ backend: "wasm", quiet: true }); });

  /** Losses and final weights of trainStep, `STEPS` steps of Adam with the training's schedule; dropout seeded per step. */
  function readable(): { losses: number[]; weights: number[] } {
    const m = tinyModel(3), opt = new ScheduledAdam(KERAS_EXAMPLE_SCHEDULE), loss = classWeightedLoss(WEIGHTS);
    const losses: number[] = [];
    for (let s = 0; s < STEPS; s++) {
      const batch = imageBatch(data, stepIndices(s));
      const x = tf.tensor4d(Float32Array.from(batch.x), [BATCH, TINY_SIZE, TINY_SIZE, 3]), y = tf.tensor2d(Float32Array.from(batch.y), [BATCH, 1]);
      losses.push(withSeededMathRandom(s + 1, () => trainStep(m, opt, loss, x, y)).loss);
      tf.dispose([x, y]);
    }
    const weights = flatWeights(m);
    m.dispose();
    opt.dispose();
    return { losses, weights };
  }

  async function engine(threads: number): Promise<{ losses: number[]; weights: number[] }> {
    const m = tinyModel(3), opt = new ScheduledAdam(KERAS_EXAMPLE_SCHEDULE);
    const stepper = await createTrainStepper(m, opt, { loss: classWeightedLossSpec(WEIGHTS), threads, maxBatch: BATCH });
    assert.equal(stepper.threads, threads);
    const losses: number[] = [];
    for (let s = 0; s < STEPS; s++) losses.push((await stepper.step(imageBatch(data, stepIndices(s)), s + 1)).loss);
    await stepper.close();
    const weights = flatWeights(m);
    m.dispose();
    opt.dispose();
    return { losses, weights };
  }

  it("on one thread: the same losses and weights, bit for bit", async () => {
    const plain = readable(), fast = await engine(1);
    console.log(`      losses over ${STEPS} steps: ${plain.losses.map((l) => l.toFixed(6)).join(", ")}`);
    assert.ok(new Set(plain.losses).size > 1, "the steps should change the loss");
    assert.deepEqual(fast.losses, plain.losses);
    assert.deepEqual(fast.weights, plain.weights);
  });

  it("on two threads: the same losses within 1e-5", async () => {
    const plain = readable(), two = await engine(2);
    plain.losses.forEach((l, i) => assert.ok(Math.abs(l - two.losses[i]) <= 1e-5, `step ${i + 1}: ${l} vs ${two.losses[i]}`));
  });

  it("trains any model and loss: a 10-class softmax on one-channel images, on two threads", async () => {
    const rng = seededRandom(2), n = 20, side = 6;
    const x = Float32Array.from({ length: n * side * side }, () => rng());
    const classes = Array.from({ length: n }, (_, i) => i % 10);
    const y = new Float32Array(n * 10);
    classes.forEach((c, i) => { y[i * 10 + c] = 1; });
    const m = withSeededMathRandom(4, () => tf.sequential({ layers: [
      tf.layers.conv2d({ inputShape: [side, side, 1], filters: 3, kernelSize: 3, activation: "relu" }),
      tf.layers.flatten(), tf.layers.dense({ units: 10, activation: "softmax" }),
    ] }));
    const opt = tf.train.sgd(0.5);
    const loss = { module: path.join(__dirname, "..", "fixtures", "categorical-loss.ts"), name: "categoricalLoss" };
    const stepper = await createTrainStepper(m, opt, { loss, threads: 2, maxBatch: n });
    const losses: number[] = [];
    for (let s = 0; s < 5; s++) losses.push((await stepper.step({ x: x.slice(), y: y.slice(), count: n }, s + 1)).loss);
    const outputs = await stepper.predict({ x: x.slice(), y: y.slice(), count: n });
    await stepper.close();
    assert.equal(stepper.threads, 2);
    assert.equal(outputs.length, n * 10);
    assert.ok(Math.abs(outputs.slice(0, 10).reduce((a, b) => a + b, 0) - 1) < 1e-5, "softmax rows sum to 1");
    assert.ok(losses[4] < losses[0], `the loss should fall: ${losses.join(", ")}`);
    m.dispose();
    opt.dispose();
  });
});
