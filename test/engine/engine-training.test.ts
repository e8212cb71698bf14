// Training on the wasm engine: the Keras pneumonia architecture trains (loss goes down on a
// fixed batch) and a training step leaks no tensors (issue 6, memory).
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import { initEngine } from "cnn-course-engine";
import { buildModel } from "../../lib/pneumonia/model";
import { seededRandom } from "../../lib/common/random";

const IMAGE_SIZE = 64; // the five 2x2 poolings leave 2x2x256; the layer graph is the full one
const BATCH = 12;
const STEPS = 10;

/** A fixed, learnable batch: "pneumonia" images are brighter in the centre. */
function fixedBatch(size: number, batch: number): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const rand = seededRandom(7);
  const pixels = new Float32Array(batch * size * size * 3);
  const labels = new Float32Array(batch);
  for (let n = 0; n < batch; n++) {
    labels[n] = n % 2;
    for (let i = 0; i < size * size * 3; i++) {
      const r = Math.floor(i / 3 / size);
      const c = Math.floor(i / 3) % size;
      const centre = Math.abs(r - size / 2) < size / 4 && Math.abs(c - size / 2) < size / 4;
      pixels[n * size * size * 3 + i] = 80 * rand() + (centre && labels[n] === 1 ? 150 : 40);
    }
  }
  return { xs: tf.tensor4d(pixels, [batch, size, size, 3]), ys: tf.tensor2d(labels, [batch, 1]) };
}

describe("engine: training the pneumonia architecture on wasm", function () {
  let model: tf.LayersModel;
  let batch: { xs: tf.Tensor4D; ys: tf.Tensor2D };

  // Initializers and Dropout draw their seeds from Math.random: seed it, so the run repeats.
  const realRandom = Math.random;
  before(async () => {
    Math.random = seededRandom(Number(process.env.ENGINE_TEST_SEED ?? 2026));
    const info = await initEngine({ backend: "wasm", quiet: true });
    assert.equal(info.backend, "wasm");
    assert.equal(tf.getBackend(), "wasm");
    model = buildModel(IMAGE_SIZE, { seed: Number(process.env.ENGINE_TEST_SEED ?? 2026) });
    model.compile({ optimizer: tf.train.adam(3e-3), loss: "binaryCrossentropy" });
    batch = fixedBatch(IMAGE_SIZE, BATCH);
  });
  after(() => {
    Math.random = realRandom;
    model?.dispose();
    batch?.xs.dispose();
    batch?.ys.dispose();
  });

  it("lowers the loss on a fixed batch over a few model.fit steps", async () => {
    const history = await model.fit(batch.xs, batch.ys, { epochs: STEPS, batchSize: BATCH, shuffle: false, verbose: 0 });
    const losses = history.history.loss as number[];
    assert.equal(losses.length, STEPS);
    losses.forEach((l, i) => assert.ok(Number.isFinite(l), `loss at step ${i} is ${l}`));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const first = mean(losses.slice(0, 3));
    const last = mean(losses.slice(-3));
    assert.ok(last < first * 0.7, `loss did not go down: ${losses.map((l) => l.toFixed(3)).join(", ")}`);
  });

  it("keeps tf.memory() stable across training steps (no leaked tensors)", async () => {
    await model.trainOnBatch(batch.xs, batch.ys); // the first step may create optimizer slots
    const before = tf.memory();
    for (let i = 0; i < 5; i++) await model.trainOnBatch(batch.xs, batch.ys);
    const after = tf.memory();
    assert.equal(after.numTensors, before.numTensors, "tensors leaked per training step");
    assert.equal(after.numBytes, before.numBytes, "bytes leaked per training step");
  });
});
