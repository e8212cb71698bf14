// The pneumonia port trains with Keras' defaults, read from what the course actually
// builds (the model, the optimizer trainModel creates, the loss, the epoch metrics), so
// that a drifting default (a tfjs default differing from Keras', an argument left out)
// fails here. Keras references: keras.io/api/layers/initializers (Conv2D/Dense:
// glorot_uniform kernels, zeros biases), BatchNormalization (momentum 0.99, epsilon 1e-3),
// keras.optimizers.Adam (beta_1 0.9, beta_2 0.999, epsilon 1e-7, update in the
// "epsilon hat" form), ExponentialDecay, BinaryCrossentropy (clip at epsilon 1e-7),
// Model.fit(class_weight=...) (loss reduced as sum over the batch size), Precision/Recall
// (thresholds 0.5, confusion counts accumulated over the epoch).
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import { initEngine } from "cnn-course-engine";
import { buildModel, convBlock, SymbolicTensor } from "../../lib/pneumonia/model";
import { classWeights } from "../../lib/pneumonia/data/split";
import { ImageBatch } from "../../lib/pneumonia/data/load-images";
import {
  accumulateCounts, emptyCounts, exponentialDecay, metricsFromCounts, PRESETS, ScheduledAdam, trainModel,
  trainOptionsFor, weightedBinaryCrossentropy,
} from "../../lib/pneumonia/training";
import { seededRandom } from "../../lib/common/random";

type Config = { [key: string]: unknown };
const className = (v: unknown): string => (v as { className: string }).className;
/** glorot_uniform as tfjs serializes it (VarianceScaling, scale 1, fan_avg, uniform), seed aside. */
function assertGlorotUniformConfig(v: unknown, what: string): void {
  const { className: name, config } = v as { className: string; config: Config };
  assert.deepEqual([name, config.scale, config.mode, config.distribution], ["VarianceScaling", 1, "fanAvg", "uniform"], what);
}

/** Glorot-uniform limit sqrt(6 / (fan_in + fan_out)) of a kernel shape, fans as Keras computes them. */
function glorotLimit(shape: number[]): number {
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const fanIn = shape[shape.length - 2] * receptive, fanOut = shape[shape.length - 1] * receptive;
  return Math.sqrt(6 / (fanIn + fanOut));
}

/** Every kernel of the model, with its layer type, and every bias. */
function kernelsAndBiases(model: tf.LayersModel): { kernels: { type: string; w: tf.LayerVariable }[]; biases: tf.LayerVariable[] } {
  const kernels: { type: string; w: tf.LayerVariable }[] = [], biases: tf.LayerVariable[] = [];
  for (const layer of model.layers) {
    for (const w of layer.weights) {
      if (/kernel$/.test(w.originalName)) kernels.push({ type: layer.getClassName(), w });
      else if (/bias$/.test(w.originalName)) biases.push(w);
    }
  }
  return { kernels, biases };
}

function assertGlorotUniform(model: tf.LayersModel): void {
  const { kernels, biases } = kernelsAndBiases(model);
  assert.equal(kernels.length, 2 + 2 * 8 + 4, "2 Conv2D, 8 SeparableConv2D (depthwise + pointwise), 4 Dense");
  for (const { type, w } of kernels) {
    const values = w.read().dataSync(), limit = glorotLimit(w.shape as number[]);
    let max = 0, sq = 0;
    for (const v of values) { max = Math.max(max, Math.abs(v)); sq += v * v; }
    // Uniform(-l, l): every value inside, standard deviation l / sqrt(3). tfjs' glorotNormal
    // (its Conv2D/Dense default) reaches 1.3 l and fails the first check on any large kernel.
    assert.ok(max <= limit * (1 + 1e-6), `${type} ${w.originalName}: |w| = ${max} > limit ${limit}`);
    if (values.length >= 2000) {
      const std = Math.sqrt(sq / values.length);
      assert.ok(Math.abs(std / (limit / Math.sqrt(3)) - 1) < 0.05, `${type} ${w.originalName}: std ${std}, uniform ${limit / Math.sqrt(3)}`);
    }
  }
  for (const b of biases) assert.ok(b.read().dataSync().every((v) => v === 0), `${b.originalName} is not zero`);
  for (const layer of model.layers) {
    const c = layer.getConfig() as Config, type = layer.getClassName();
    if (type === "Conv2D" || type === "Dense") {
      assertGlorotUniformConfig(c.kernelInitializer, `${type} kernelInitializer`);
      assert.equal(className(c.biasInitializer), "Zeros", `${type} biasInitializer`);
    }
    if (type === "SeparableConv2D") {
      assertGlorotUniformConfig(c.depthwiseInitializer, "SeparableConv2D depthwiseInitializer");
      assertGlorotUniformConfig(c.pointwiseInitializer, "SeparableConv2D pointwiseInitializer");
    }
  }
}

/** Images whose label follows brightness, for a one-epoch fit. */
function tinyXrays(count: number, size: number, seed: number): ImageBatch {
  const rng = seededRandom(seed), px = size * size * 3;
  const images = new Uint8Array(count * px), labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = rng() < 0.7 ? 1 : 0;
    for (let k = 0; k < px; k++) images[i * px + k] = Math.round((labels[i] ? 140 : 110) + (rng() - 0.5) * 200);
  }
  return { images, labels, size, count, files: Array.from({ length: count }, (_, i) => `x${i}.jpeg`), skipped: [], fromCache: false };
}

describe("Keras defaults of the pneumonia training", function () {
  this.timeout(120_000);
  before(async () => { await initEngine({ quiet: true }); });

  it("initializes Conv2D, SeparableConv2D and Dense kernels glorot-uniform and biases at zero", () => {
    const model = buildModel(64, { seed: 3 });
    assertGlorotUniform(model);
    model.dispose();
  });

  it("does the same for blocks written without initializers (the student's, as in the Keras example)", () => {
    const studentDense = (units: number, rate: number, inputs: SymbolicTensor): SymbolicTensor => {
      let x = tf.layers.dense({ units, activation: "relu" }).apply(inputs) as SymbolicTensor;
      x = tf.layers.batchNormalization().apply(x) as SymbolicTensor;
      return tf.layers.dropout({ rate }).apply(x) as SymbolicTensor;
    };
    const model = buildModel(64, { seed: 4, convBlock, denseBlock: studentDense });
    assertGlorotUniform(model);
    model.dispose();
  });

  it("uses BatchNormalization momentum 0.99 and epsilon 1e-3, in the config and in the arithmetic", () => {
    const model = buildModel(64, { seed: 5 });
    const bns = model.layers.filter((l) => l.getClassName() === "BatchNormalization");
    assert.equal(bns.length, 7);
    for (const bn of bns) {
      const c = bn.getConfig() as Config;
      assert.equal(c.momentum, 0.99);
      assert.equal(c.epsilon, 1e-3);
    }
    // The last one (after Dense(64)): fresh moving mean 0, variance 1, gamma 1, beta 0.
    const bn = bns[bns.length - 1];
    const x = tf.fill([4, 64], 5);
    const inference = (bn.apply(x, { training: false }) as tf.Tensor).dataSync()[0];
    assert.ok(Math.abs(inference - 5 / Math.sqrt(1 + 1e-3)) < 1e-5, `inference ${inference}`);
    tf.dispose(bn.apply(x, { training: true }) as tf.Tensor);
    const [mean, variance] = bn.getWeights().slice(2).map((w) => w.dataSync()[0]);
    assert.ok(Math.abs(mean - 0.01 * 5) < 1e-6, `moving mean ${mean}: (1 - momentum) x batch mean`);
    assert.ok(Math.abs(variance - 0.99) < 1e-6, `moving variance ${variance}: momentum x 1 + 0.01 x 0`);
    x.dispose();
    model.dispose();
  });

  it("trains with the Adam trainModel creates: beta1 0.9, beta2 0.999, epsilon 1e-7, the full preset's staircase schedule", async () => {
    const model = buildModel(32, { seed: 6 });
    const data = tinyXrays(12, 32, 1);
    const preset = PRESETS.full;
    const result = await trainModel(model, data, data, { ...trainOptionsFor(preset, data), epochs: 1, batchSize: 6, showProgress: false });
    const c = result.optimizer.getConfig();
    assert.deepEqual([c.beta1, c.beta2, c.epsilon, c.learningRate], [0.9, 0.999, 1e-7, 0.015]);
    assert.equal(result.optimizer.iterations, 2);
    // The schedule the full preset passes: ExponentialDecay(0.015, 100000, 0.96, staircase=True).
    const lr = exponentialDecay(preset.schedule);
    assert.deepEqual([lr(0), lr(99_999), lr(150_000)], [0.015, 0.015, 0.015 * 0.96]);
    assert.ok(Math.abs(lr(200_000) - 0.015 * 0.96 ** 2) < 1e-15);
    assert.equal(preset.schedule.warmupSteps ?? 0, 0);
    result.optimizer.dispose();
    model.dispose();
  });

  it("takes Keras' Adam step: lr sqrt(1 - beta2^t) / (1 - beta1^t) x m / (sqrt(v) + epsilon)", () => {
    // A gradient of 1e-7, the size of epsilon, tells the two epsilon placements apart:
    // Keras moves 0.1 x 1e-7 / (1e-7 + 1e-7 / sqrt(0.001)) = 0.00306 at step 1; tfjs' own Adam 0.05.
    const opt = new ScheduledAdam({ initialLearningRate: 0.1, decaySteps: 1e9, decayRate: 1, staircase: true });
    const v = tf.variable(tf.scalar(0));
    const g = 1e-7, moves: number[] = [];
    let m = 0, s = 0;
    for (let t = 1; t <= 3; t++) {
      const before = v.dataSync()[0];
      opt.minimize(() => tf.mul(v, g) as tf.Scalar, false, [v]);
      moves.push(before - v.dataSync()[0]);
      m = 0.9 * m + 0.1 * g;
      s = 0.999 * s + 0.001 * g * g;
      const keras = 0.1 * Math.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t) * m / (Math.sqrt(s) + 1e-7);
      assert.ok(Math.abs(moves[t - 1] - keras) < 1e-3 * keras, `step ${t}: moved ${moves[t - 1]}, Keras ${keras}`);
    }
    opt.dispose();
    v.dispose();
  });

  it("clips binary cross-entropy at 1e-7 on both sides", () => {
    const loss = (y: number, p: number): number => weightedBinaryCrossentropy(tf.tensor2d([y], [1, 1]), tf.tensor2d([p], [1, 1])).dataSync()[0];
    assert.ok(Math.abs(loss(1, 0) - -Math.log(1e-7)) < 1e-3, `loss(1, 0) = ${loss(1, 0)}, -log(1e-7) = ${-Math.log(1e-7)}`);
    assert.ok(Math.abs(loss(0, 1) - -Math.log(1 - Math.fround(1 - 1e-7))) < 1e-3);
    assert.equal(tf.backend().epsilon(), 1e-7);
  });

  it("weights the loss as Keras' class_weight: (1/N_class) x total/2, summed and divided by the batch size", () => {
    const data = tinyXrays(40, 32, 2);
    const w = trainOptionsFor(PRESETS.classroom, data).classWeights!;
    const n1 = data.labels.reduce((a, b) => a + b, 0), n0 = data.count - n1;
    assert.deepEqual(w, classWeights(data.labels));
    assert.ok(Math.abs(w[0] - data.count / 2 / n0) < 1e-12 && Math.abs(w[1] - data.count / 2 / n1) < 1e-12);
    const labels = [1, 1, 1, 0], probs = [0.8, 0.6, 0.3, 0.4];
    const bce = labels.map((y, i) => -(y ? Math.log(probs[i]) : Math.log(1 - probs[i])));
    const weights = labels.map((y) => (y ? w[1] : w[0]));
    const keras = bce.reduce((a, b, i) => a + b * weights[i], 0) / labels.length;
    const normalized = keras * labels.length / weights.reduce((a, b) => a + b, 0);
    const got = weightedBinaryCrossentropy(tf.tensor2d(labels, [4, 1]), tf.tensor2d(probs, [4, 1]), w).dataSync()[0];
    assert.ok(Math.abs(got - keras) < 1e-6, `${got} vs Keras ${keras}`);
    assert.ok(Math.abs(got - normalized) > 1e-3, "would also pass for a sum over the weights");
  });

  it("reports precision and recall at threshold 0.5 over the whole validation split, not per batch", async () => {
    const model = buildModel(32, { seed: 8 });
    const train = tinyXrays(10, 32, 3), val = tinyXrays(23, 32, 4);
    const result = await trainModel(model, train, val, { epochs: 1, batchSize: 5, evalBatchSize: 4, showProgress: false, seed: 2 });
    const probs = (model.predict(tf.tensor4d(Float32Array.from(val.images), [val.count, 32, 32, 3])) as tf.Tensor).dataSync();
    const pooled = metricsFromCounts(accumulateCounts(emptyCounts(), val.labels, probs, 0.5));
    const logs = result.history[0];
    assert.ok(Math.abs(logs.valPrecision - pooled.precision) < 1e-9 && Math.abs(logs.valRecall - pooled.recall) < 1e-9,
      `history ${logs.valPrecision}/${logs.valRecall}, pooled ${pooled.precision}/${pooled.recall}`);
    // 0.5 itself is negative (Keras: y_pred > threshold).
    assert.deepEqual(accumulateCounts(emptyCounts(), [1, 0], [0.5, 0.5]), { tp: 0, fp: 0, tn: 1, fn: 1 });
    result.optimizer.dispose();
    model.dispose();
  });
});
