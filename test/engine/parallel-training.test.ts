// Data-parallel training (engine/src/parallel/): a step on two threads
// equals the one-thread step where the math says it must (no BatchNorm or dropout; and, in sync
// mode, with whole-batch BatchNorm and dropout masks), per-replica BatchNorm keeps the moving
// statistics at the slice-weighted mean, same seed + same threads repeat exactly, no tensors leak
// in the main thread or the workers, a replica that fails names itself, a model the workers cannot
// rebuild falls back to one thread, Ctrl-C stops every worker, and on the real X-rays 2 threads
// stay within float rounding of 1 thread (one step) and within the chaos of training (3 epochs).
import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { createTrainStepper, initEngine } from "cnn-course-engine";
import { seededRandom } from "../../lib/common/random";
import { withSeededMathRandom } from "cnn-course-engine";
import { batchTensors, classWeightedLossSpec, imageBatch, LabeledImages, trainModel, TrainOptions } from "../../lib/pneumonia/training";
import { ReplicaPool } from "cnn-course-engine/dist/parallel/pool";
import { REPLICA_ROLE } from "cnn-course-engine/dist/parallel/replica";
import { layoutFor } from "cnn-course-engine/dist/parallel/layout";
import { buildModel } from "../../lib/pneumonia/model";
import { loadXrayData, trainOptionsFor } from "../../lib/pneumonia/training/pipeline";
import { PRESETS } from "../../lib/pneumonia/training/presets";
import { describeWithXrayData } from "../helpers/data";
import { tinyModel, TINY_SIZE } from "../helpers/tiny-model";

const SIZE = TINY_SIZE;

function images(count: number, seed: number): LabeledImages {
  const rng = seededRandom(seed), px = SIZE * SIZE * 3;
  const data = new Uint8Array(count * px), labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = rng() < 0.6 ? 1 : 0;
    for (let k = 0; k < px; k++) data[i * px + k] = Math.round((labels[i] ? 150 : 100) + (rng() - 0.5) * 160);
  }
  return { images: data, labels, size: SIZE, count };
}

const model = (seed: number, opts: { batchNorm: boolean; dropout: boolean }): tf.LayersModel => tinyModel(seed, opts);

/** BatchNorm and dropout on conv maps (4D) and on dense features (2D), as in the pneumonia model. */
function batchNormDropoutModel(seed: number): tf.LayersModel {
  return withSeededMathRandom(seed, () => tf.sequential({ layers: [
    tf.layers.rescaling({ scale: 1 / 255, inputShape: [SIZE, SIZE, 3] }),
    tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same", activation: "relu" }),
    tf.layers.batchNormalization(),
    tf.layers.dropout({ rate: 0.2 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 8, activation: "relu" }),
    tf.layers.batchNormalization(),
    tf.layers.dropout({ rate: 0.5 }),
    tf.layers.dense({ units: 1, activation: "sigmoid" }),
  ] }));
}

const flatWeights = (m: tf.LayersModel): number[] => m.getWeights().flatMap((w) => Array.from(w.dataSync()));
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe("data-parallel training on worker threads", function () {
  const data = images(40, 3);
  before(async () => { await initEngine({ backend: "wasm", quiet: true }); });

  it("takes the same SGD step on 2 threads as on 1 when nothing depends on the slicing", async () => {
    const results = [];
    for (const threads of [1, 2]) {
      const m = model(4, { batchNorm: false, dropout: false });
      const opt = tf.train.sgd(0.5);
      const stepper = await createTrainStepper(m, opt, { loss: classWeightedLossSpec({ 0: 1.5, 1: 0.7 }), threads, maxBatch: 11 });
      assert.equal(stepper.threads, threads);
      const losses = [];
      for (let s = 0; s < 3; s++) losses.push((await stepper.step(imageBatch(data, range(11).map((i) => i + 11 * s)), s + 1)).loss);
      await stepper.close();
      results.push({ losses, weights: flatWeights(m) });
      m.dispose();
      opt.dispose();
    }
    const [one, two] = results;
    one.losses.forEach((l, i) => assert.ok(Math.abs(l - two.losses[i]) < 1e-6, `loss ${i}: ${l} vs ${two.losses[i]}`));
    const worst = one.weights.reduce((w, v, i) => Math.max(w, Math.abs(v - two.weights[i]) / Math.max(1e-3, Math.abs(v))), 0);
    assert.ok(worst < 1e-4, `max relative weight difference ${worst}`);
  });

  it("in sync mode (the default: whole-batch BatchNorm and dropout masks), takes the same SGD steps on 2 threads as on 1, up to float rounding", async () => {
    const run = async (threads: number, eps: number): Promise<{ losses: number[]; weights: number[] }> => {
      const m = perturbed(batchNormDropoutModel(8), eps);
      const opt = tf.train.sgd(0.1); // Adam's first steps are ~lr * sign(g): float noise in a tiny gradient flips a whole step
      const stepper = await createTrainStepper(m, opt, { loss: classWeightedLossSpec({ 0: 1.5, 1: 0.7 }), threads, maxBatch: 11 });
      const losses = [];
      // 11 images: slices of 6 and 5; the last step has 3 images (slices of 2 and 1).
      for (let s = 0; s < 4; s++) losses.push((await stepper.step(imageBatch(data, range(s === 3 ? 3 : 11).map((i) => i + 11 * s)), s + 1)).loss);
      await stepper.close();
      // Closing gives the model back its own layers: training it again on one thread must not wait for a replica.
      assert.deepEqual(m.layers.filter((l) => Object.prototype.hasOwnProperty.call(l, "call")).map((l) => l.name), []);
      const weights = flatWeights(m);
      m.dispose();
      opt.dispose();
      return { losses, weights };
    };
    // The yardstick is float rounding itself: one thread again, from weights x (1 + 1e-7).
    const one = await run(1, 0), two = await run(2, 0), nudged = await run(1, 1e-7);
    const distance = (a: number[], b: number[]): number => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0));
    const threads = distance(one.weights, two.weights), rounding = distance(one.weights, nudged.weights);
    console.log(`      4 SGD steps, distance to 1 thread: 2 threads ${threads.toExponential(2)}, 1 thread with weights x (1 + 1e-7) ${rounding.toExponential(2)} ` +
      `(measured with per-replica BatchNorm and dropout instead: 2.7)`);
    one.losses.forEach((l, i) => {
      const floor = Math.max(1e-6, 3 * Math.abs(nudged.losses[i] - l));
      assert.ok(Math.abs(l - two.losses[i]) <= floor, `loss ${i}: ${l} vs ${two.losses[i]} (rounding allows ${floor.toExponential(2)})`);
    });
    assert.ok(threads <= 3 * rounding, `2 threads end ${threads} away from 1 thread; a 1e-7 nudge ends ${rounding} away (BatchNorm moving statistics included)`);
  });

  it("predicts on every thread what the model predicts on one, in rounds of any size, with the weights of the last step", async () => {
    const m = batchNormDropoutModel(3), opt = tf.train.sgd(0.1);
    const stepper = await createTrainStepper(m, opt, { loss: classWeightedLossSpec(), threads: 2, maxBatch: 10, predictBatch: 8 });
    await stepper.step(imageBatch(data, range(10)), 1); // the workers must predict with the updated weights
    const indices = range(37).map((i) => 39 - i); // 5 rounds of 8 (4 + 4 per replica), the last one short
    const parallel = await stepper.predict(imageBatch(data, indices));
    await stepper.close();
    const here = tf.tidy(() => (m.predict(batchTensors(data, indices).x) as tf.Tensor).dataSync());
    assert.equal(parallel.length, 37);
    parallel.forEach((p, i) => assert.ok(Math.abs(p - here[i]) < 1e-5, `image ${indices[i]}: ${p} vs ${here[i]}`));
    assert.ok(new Set(Array.from(parallel, (p) => p.toFixed(3))).size > 5, "predictions should differ between images");
    m.dispose();
    opt.dispose();
  });

  it("with per-replica BatchNorm, keeps the moving statistics at the slice-weighted mean of the replicas'", async () => {
    const m = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [SIZE, SIZE, 3] }), tf.layers.batchNormalization(), tf.layers.dense({ units: 1, activation: "sigmoid" })] });
    const opt = tf.train.sgd(0.1);
    const stepper = await createTrainStepper(m, opt, { loss: classWeightedLossSpec(), threads: 2, maxBatch: 9, replicaMode: "replica" });
    await stepper.step(imageBatch(data, range(9)), 1); // slices of 5 (main) and 4 (worker)
    await stepper.close();
    const px = SIZE * SIZE * 3, feature = (img: number, k: number): number => data.images[img * px + k];
    const stats = (imgs: number[], k: number): [number, number] => {
      const mean = imgs.reduce((s, i) => s + feature(i, k), 0) / imgs.length;
      return [mean, imgs.reduce((s, i) => s + (feature(i, k) - mean) ** 2, 0) / imgs.length];
    };
    const [movingMean, movingVar] = m.nonTrainableWeights.map((w) => w.read().dataSync());
    for (const k of [0, 7, 100, px - 1]) {
      const a = stats(range(5), k), b = stats([5, 6, 7, 8], k);
      const mean = 0.01 * (5 * a[0] + 4 * b[0]) / 9, variance = 0.99 + 0.01 * (5 * a[1] + 4 * b[1]) / 9;
      assert.ok(Math.abs(movingMean[k] - mean) < 1e-4 * Math.abs(mean) + 1e-5, `moving mean ${k}: ${movingMean[k]} vs ${mean}`);
      assert.ok(Math.abs(movingVar[k] - variance) < 1e-4 * variance, `moving variance ${k}: ${movingVar[k]} vs ${variance}`);
    }
    m.dispose();
    opt.dispose();
  });

  it("repeats exactly with the same seed and thread count, and leaks no tensors in any thread", async () => {
    const val = images(12, 9);
    const opts: TrainOptions = { epochs: 3, batchSize: 10, seed: 7, threads: 2, showProgress: false, classWeights: { 0: 1.2, 1: 0.8 } };
    const runs = [];
    for (let r = 0; r < 2; r++) {
      const m = model(5, { batchNorm: true, dropout: true });
      const before = tf.memory().numTensors;
      const result = await trainModel(m, data, val, opts);
      result.optimizer.dispose();
      assert.equal(tf.memory().numTensors, before, "tensors left behind on the main thread");
      runs.push(result.history.map((h) => h.loss));
      m.dispose();
    }
    assert.deepEqual(runs[0], runs[1]);
    const m = model(6, { batchNorm: true, dropout: true }), opt = tf.train.adam(1e-2);
    const stepper = await createTrainStepper(m, opt, { loss: classWeightedLossSpec(), threads: 2, maxBatch: 10 });
    const counts: number[][] = [];
    for (let s = 0; s < 12; s++) {
      await stepper.step(imageBatch(data, range(10).map((i) => (i + 10 * s) % 40)), s);
      if (s >= 2) counts.push([tf.memory().numTensors, ...stepper.workerTensors()]);
    }
    await stepper.close();
    assert.equal(new Set(counts.map((c) => c.join())).size, 1, `tensors per step (main, worker): ${JSON.stringify(counts)}`);
    m.dispose();
    opt.dispose();
  });
});

interface Child { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; seconds: number }

/** Runs the fixture; sends SIGINT once it printed "epoch 1"; records how long the child took to end after it. */
function interruptedChild(mode: "plain" | "listener"): Promise<Child> {
  const script = path.join(__dirname, "..", "fixtures", "parallel-sigint.ts");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--require", require.resolve("tsx/cjs"), script, mode], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "", sentAt = 0;
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (!sentAt && /epoch 1\n/.test(stdout)) { sentAt = Date.now(); child.kill("SIGINT"); }
    });
    child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr, seconds: (Date.now() - sentAt) / 1000 }));
  });
}

describe("data-parallel training: failures and interruptions", function () {
  before(async () => { await initEngine({ backend: "wasm", quiet: true }); });

  it("names the replica and the cause when a worker fails", async () => {
    const m = model(1, { batchNorm: false, dropout: false });
    const layout = layoutFor(m, 2, 4);
    const pool = ReplicaPool.start(1, (replica) => ({
      role: REPLICA_ROLE, replica, backend: "wasm", topology: { class_name: "NoSuchModel", config: {} }, layout,
      buffer: new SharedArrayBuffer(4), control: new SharedArrayBuffer(4), loss: classWeightedLossSpec(), sync: null,
    }));
    await assert.rejects(pool, /o worker de treino 1 falhou: não iniciou: .*NoSuchModel/);
    m.dispose();
  });

  it("falls back to one thread, saying why, when the workers cannot rebuild the model", async () => {
    class Doubling extends tf.layers.Layer {
      static className = "DoublingNotRegistered";
      override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor { return tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, 2); }
    }
    const inputs = tf.input({ shape: [SIZE, SIZE, 3] });
    const x = tf.layers.flatten().apply(new Doubling({}).apply(inputs)) as tf.SymbolicTensor;
    const m = tf.model({ inputs, outputs: tf.layers.dense({ units: 1, activation: "sigmoid" }).apply(x) as tf.SymbolicTensor });
    const warnings: string[] = [], warn = console.warn;
    console.warn = (msg: string) => { warnings.push(msg); };
    const opt = tf.train.sgd(0.1);
    try {
      const stepper = await createTrainStepper(m, opt, { loss: classWeightedLossSpec(), threads: 2, maxBatch: 8 });
      assert.equal(stepper.threads, 1);
      assert.ok(Number.isFinite((await stepper.step(imageBatch(images(8, 1), range(8)), 1)).loss));
      await stepper.close();
    } finally {
      console.warn = warn;
    }
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /Treino em 1 thread: os workers de treino não iniciaram \(o worker de treino 1 falhou: não iniciou: .*DoublingNotRegistered/);
    m.dispose();
    opt.dispose();
  });

  it("ends a script on Ctrl-C while training on workers", async () => {
    const run = await interruptedChild("plain");
    assert.equal(run.signal, "SIGINT", `exit ${run.code}; stderr: ${run.stderr}`);
    assert.ok(run.seconds < 30, `took ${run.seconds} s to exit`);
  });

  it("stops training and every worker on a kernel interrupt (SIGINT with a listener)", async () => {
    const run = await interruptedChild("listener");
    assert.equal(run.code, 0, run.stderr);
    const last = JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as { interrupted: boolean; threadsBefore: number; threadsAfter: number };
    assert.equal(last.interrupted, true);
    assert.ok(last.threadsAfter <= last.threadsBefore, `threads before ${last.threadsBefore}, after ${last.threadsAfter}`);
  });
});

// In sync mode (the default) a step on 2 threads computes what one thread computes, up to float
// rounding: the first step's loss is the same and one SGD update differs by ~5e-4 of its size
// (BatchNorm's gradient subtracts nearly equal sums; tfjs' own kernel is no closer to a float64
// reference). Over epochs that rounding does not stay small: Adam at 0.015 moves every weight by
// ~lr x sign(gradient), also weights whose gradient is rounding noise (a conv bias before
// BatchNorm). Measured (smoke preset, 3 epochs, 1 thread): initial weights scaled by 1 +/- 1e-6
// moved the losses from 0.982, 0.589, 0.559 to 1.033, 0.770, 0.654 and 1.020, 0.863, 0.665; two
// threads gave 1.040, 0.785, 0.730. So the epoch test measures that spread in the same run and
// asks the 2-thread run to stay within twice it.
const perturbed = (m: tf.LayersModel, eps: number): tf.LayersModel => {
  m.setWeights(m.getWeights().map((w) => tf.mul(w, 1 + eps)));
  return m;
};

describeWithXrayData("data-parallel training on the real X-rays (smoke preset, 48x48)", () => {
  it("takes the first step of the real model on 2 threads as on 1, up to float rounding", async () => {
    await initEngine({ backend: "wasm", quiet: true });
    const preset = PRESETS.smoke;
    const data = await loadXrayData(preset);
    const opts = trainOptionsFor(preset, data.train);
    const step = async (threads: number, eps: number): Promise<{ loss: number; update: Float32Array }> => {
      const m = perturbed(buildModel(preset.imageSize, { seed: preset.seed }), eps), opt = tf.train.sgd(0.01);
      const before = flatWeights(m);
      const stepper = await createTrainStepper(m, opt, { loss: classWeightedLossSpec(opts.classWeights), threads, maxBatch: 25 });
      const loss = (await stepper.step(imageBatch(data.train, range(25)), 7)).loss;
      await stepper.close();
      const update = Float32Array.from(flatWeights(m), (v, i) => v - before[i]);
      m.dispose();
      opt.dispose();
      return { loss, update };
    };
    const relative = (a: Float32Array, b: Float32Array): number => {
      let num = 0, den = 0;
      a.forEach((u, i) => { num += (u - b[i]) ** 2; den += u * u; });
      return Math.sqrt(num / den);
    };
    const one = await step(1, 0), two = await step(2, 0), nudged = await step(1, 1e-7);
    const threads = relative(one.update, two.update), rounding = relative(one.update, nudged.update);
    // Measured: 1.99e-6 on 2 threads, 3.70e-6 for the nudge (per-replica BatchNorm and dropout: 1.19).
    console.log(`      one SGD update vs 1 thread: 2 threads ${threads.toExponential(2)}, 1 thread with weights x (1 + 1e-7) ${rounding.toExponential(2)}`);
    assert.ok(Math.abs(one.loss - two.loss) < 1e-5, `first loss: ${one.loss} vs ${two.loss}`);
    assert.ok(threads <= 3 * rounding, `2 threads move the weights ${threads} away from 1 thread; a 1e-7 nudge moves them ${rounding}`);
  });

  it("agrees with one thread over 3 epochs within twice the spread a 1e-6 change of the initial weights causes", async () => {
    await initEngine({ backend: "wasm", quiet: true });
    const preset = PRESETS.smoke;
    const data = await loadXrayData(preset);
    const run = async (threads: number, eps: number): Promise<number[]> => {
      const m = perturbed(buildModel(preset.imageSize, { seed: preset.seed }), eps);
      const result = await trainModel(m, data.train, data.val, trainOptionsFor(preset, data.train, { epochs: 3, threads, showProgress: false }));
      result.optimizer.dispose();
      m.dispose();
      return result.history.map((h) => h.loss);
    };
    const one = await run(1, 0), up = await run(1, 1e-6), down = await run(1, -1e-6), two = await run(2, 0);
    const f = (ls: number[]): string => ls.map((l) => l.toFixed(4)).join(", ");
    console.log(`      losses, 1 thread: ${f(one)}; weights x (1 +/- 1e-6): ${f(up)} / ${f(down)}; 2 threads: ${f(two)}`);
    one.forEach((l, i) => {
      const spread = Math.max(Math.abs(up[i] - l), Math.abs(down[i] - l));
      assert.ok(Math.abs(two[i] - l) <= 2 * spread, `epoch ${i + 1}: ${l} vs ${two[i]} (1e-6 spread ${spread.toFixed(4)})`);
    });
    assert.ok(two[2] < two[0], `2 threads did not learn: ${two}`);
  });
});
