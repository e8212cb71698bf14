// The training loop of the pneumonia example (lib/pneumonia/training) on a tiny model and seeded
// synthetic images: epoch metrics and the weighted loss against hand counts, the learning-rate
// schedule, checkpoints (round trip, atomic under SIGKILL), early stopping that restores the
// best weights, resume that continues exactly where an interrupted run stopped, no tensor leaks.
import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { initEngine } from "cnn-course-engine";
import { seededRandom } from "../../lib/common/random";
import { tinyModel, TINY_SIZE } from "../helpers/tiny-model";
import {
  accumulateCounts, bestCheckpointDir, confusionMatrix, emptyCounts, evaluateModel, exponentialDecay, findCheckpoint,
  formatPrediction, KERAS_EXAMPLE_SCHEDULE, LabeledImages, lastCheckpointDir, loadCheckpoint, metricsFromCounts,
  predictImage, saveCheckpoint, ScheduledAdam, trainModel, TrainOptions, TrainResult, weightedBinaryCrossentropy, writeDirAtomic,
} from "../../lib/pneumonia/training";

const SIZE = TINY_SIZE;


/** Brighter images are PNEUMONIA (1), darker NORMAL (0), with overlapping noise. */
function syntheticImages(count: number, seed: number, invertLabels = false): LabeledImages {
  const rng = seededRandom(seed), px = SIZE * SIZE * 3;
  const images = new Uint8Array(count * px), labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = rng() < 0.65 ? 1 : 0;
    labels[i] = invertLabels ? 1 - label : label;
    for (let k = 0; k < px; k++) images[i * px + k] = Math.max(0, Math.min(255, Math.round((label ? 150 : 100) + (rng() - 0.5) * 160)));
  }
  return { images, labels, size: SIZE, count };
}

function tmpDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `pneumonia-${name}-`));
}

function weightsOf(model: tf.LayersModel): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}

const BASE: TrainOptions = { epochs: 4, batchSize: 16, seed: 5, classWeights: { 0: 1.4, 1: 0.75 }, showProgress: false };

describe("pneumonia training (lib/pneumonia/training)", function () {
  const train = syntheticImages(80, 11), val = syntheticImages(30, 12);
  before(async () => { await initEngine({ quiet: true }); });

  describe("metrics over an epoch", () => {
    it("accumulates TP/FP/TN/FN over batches as Keras, not averaging batch ratios", () => {
      // Batch 1: labels 1,1,0,0 / predictions 0.9 (TP), 0.4 (FN), 0.6 (FP), 0.5 (TN: not > 0.5).
      // Batch 2: labels 1,0 / predictions 0.7 (TP), 0.8 (FP). Batch 3: label 1 / 0.99 (TP).
      const counts = emptyCounts();
      accumulateCounts(counts, [1, 1, 0, 0], [0.9, 0.4, 0.6, 0.5]);
      accumulateCounts(counts, [1, 0], [0.7, 0.8]);
      accumulateCounts(counts, [1], [0.99]);
      assert.deepEqual(counts, { tp: 3, fp: 2, tn: 1, fn: 1 });
      const m = metricsFromCounts(counts);
      assert.equal(m.accuracy, 4 / 7);
      assert.equal(m.precision, 3 / 5);
      assert.equal(m.recall, 3 / 4);
      // The mean of the three batch precisions (1/2, 1/2, 1) would be 2/3, not 3/5.
      assert.notEqual(m.precision, (1 / 2 + 1 / 2 + 1) / 3);
      assert.deepEqual(confusionMatrix(counts), [[1, 2], [1, 3]]);
      assert.deepEqual(metricsFromCounts(emptyCounts()), { accuracy: 0, precision: 0, recall: 0 });
      assert.throws(() => accumulateCounts(emptyCounts(), [1, 0], [0.5]), /2 rótulos mas 1 previsões/);
    });
  });

  describe("class-weighted binary cross-entropy", () => {
    it("equals the hand computation: sum of weight x BCE over the batch size", () => {
      const labels = tf.tensor2d([1, 0, 1, 0], [4, 1]), probs = tf.tensor2d([0.9, 0.2, 0.4, 0.7], [4, 1]);
      const w = { 0: 2.0, 1: 0.5 };
      const hand = (0.5 * -Math.log(0.9) + 2 * -Math.log(0.8) + 0.5 * -Math.log(0.4) + 2 * -Math.log(0.3)) / 4;
      assert.ok(Math.abs(weightedBinaryCrossentropy(labels, probs, w).dataSync()[0] - hand) < 1e-6);
      const plain = (-Math.log(0.9) - Math.log(0.8) - Math.log(0.4) - Math.log(0.3)) / 4;
      assert.ok(Math.abs(weightedBinaryCrossentropy(labels, probs).dataSync()[0] - plain) < 1e-6);
      // A certain wrong answer is clipped to 1 - 1e-7 in float32, as Keras: -log(1 - fround(1 - 1e-7)) = 15.942.
      const clipped = weightedBinaryCrossentropy(tf.tensor2d([0], [1, 1]), tf.tensor2d([1], [1, 1])).dataSync()[0];
      assert.ok(Math.abs(clipped - -Math.log(1 - Math.fround(1 - 1e-7))) < 1e-4, `clipped loss ${clipped}`);
      tf.dispose([labels, probs]);
    });
  });

  describe("learning-rate schedule", () => {
    it("is Keras' ExponentialDecay(0.015, 100000, 0.96, staircase)", () => {
      const lr = exponentialDecay(KERAS_EXAMPLE_SCHEDULE);
      assert.equal(lr(0), 0.015);
      assert.equal(lr(99999), 0.015);
      assert.ok(Math.abs(lr(100000) - 0.015 * 0.96) < 1e-15);
      assert.ok(Math.abs(lr(250000) - 0.015 * 0.96 ** 2) < 1e-15);
      const smooth = exponentialDecay({ ...KERAS_EXAMPLE_SCHEDULE, staircase: false });
      assert.ok(Math.abs(smooth(50000) - 0.015 * Math.sqrt(0.96)) < 1e-15);
    });

    it("sets Adam's rate before every step (first Adam step moves a weight by exactly the rate)", () => {
      const opt = new ScheduledAdam({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5, staircase: true });
      const v = tf.variable(tf.scalar(3));
      const rates: number[] = [], moves: number[] = [];
      for (let i = 0; i < 5; i++) {
        const before = v.dataSync()[0];
        opt.minimize(() => tf.square(v) as tf.Scalar, false, [v]);
        rates.push(opt.currentLearningRate);
        moves.push(before - v.dataSync()[0]);
      }
      assert.deepEqual(rates, [0.1, 0.1, 0.05, 0.05, 0.025]);
      assert.ok(Math.abs(moves[0] - 0.1) < 1e-6, `first move ${moves[0]}`);
      opt.dispose();
      v.dispose();
    });
  });

  describe("checkpoints", () => {
    it("round-trips the model, Adam's state and the counters", async () => {
      const dir = tmpDir("roundtrip");
      const model = tinyModel(3);
      const opt = new ScheduledAdam();
      const x = tf.tensor4d(train.images.slice(0, 4 * SIZE * SIZE * 3), [4, SIZE, SIZE, 3]).cast("float32") as tf.Tensor4D;
      const y = tf.tensor2d([1, 0, 1, 1], [4, 1]);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      for (let i = 0; i < 3; i++) opt.minimize(() => weightedBinaryCrossentropy(y, model.apply(x, { training: true }) as tf.Tensor), false, vars);
      await saveCheckpoint(path.join(dir, "ck"), { model, optimizer: opt, state: { epochsDone: 3, history: [{ loss: 0.5 }] } });
      assert.deepEqual(fs.readdirSync(dir), ["ck"]);
      const modelJson = JSON.parse(fs.readFileSync(path.join(dir, "ck", "model.json"), "utf8"));
      assert.equal(modelJson.format, "layers-model");
      assert.deepEqual(modelJson.weightsManifest[0].paths, ["weights.bin"]);

      const loaded = await loadCheckpoint<{ epochsDone: number; history: { loss: number }[] }>(path.join(dir, "ck"));
      assert.deepEqual(loaded.state, { epochsDone: 3, history: [{ loss: 0.5 }] });
      assert.deepEqual(weightsOf(loaded.model), weightsOf(model));
      assert.deepEqual(Array.from((loaded.model.predict(x) as tf.Tensor).dataSync()), Array.from((model.predict(x) as tf.Tensor).dataSync()));
      const saved = await opt.getWeights();
      assert.equal(loaded.optimizerWeights!.length, saved.length);
      assert.equal(saved[0].name, "iter");
      assert.equal(loaded.optimizerWeights![0].tensor.dataSync()[0], 3);
      saved.forEach((w, i) => assert.deepEqual(Array.from(loaded.optimizerWeights![i].tensor.dataSync()), Array.from(w.tensor.dataSync())));
      tf.dispose([x, y]);
      [model, loaded.model].forEach((m) => m.dispose());
      opt.dispose();
    });

    it("keeps the previous checkpoint when writing fails halfway, and recovers from an interrupted swap", async () => {
      const dir = tmpDir("atomic"), target = path.join(dir, "last");
      const model = tinyModel(4);
      await saveCheckpoint(target, { model, state: { epochsDone: 1 } });
      assert.throws(() => writeDirAtomic(target, (tmp) => {
        fs.writeFileSync(path.join(tmp, "weights.bin"), "half");
        throw new Error("disk full");
      }), /disk full/);
      assert.deepEqual(fs.readdirSync(dir), ["last"]);
      assert.equal((await loadCheckpoint<{ epochsDone: number }>(target)).state.epochsDone, 1);
      // A crash right after `last` was moved aside and before the new folder took its place:
      fs.renameSync(target, `${target}.old`);
      assert.equal(findCheckpoint(target), `${target}.old`);
      assert.equal((await loadCheckpoint<{ epochsDone: number }>(target)).state.epochsDone, 1);
      // A temporary folder left by a killed writer (a pid that no longer exists) is never read and gets cleaned.
      fs.mkdirSync(`${target}.tmp-999999999-1`);
      await saveCheckpoint(target, { model, state: { epochsDone: 2 } });
      assert.deepEqual(fs.readdirSync(dir), ["last"]);
      assert.equal((await loadCheckpoint<{ epochsDone: number }>(target)).state.epochsDone, 2);
      await assert.rejects(loadCheckpoint(path.join(dir, "nothing")), /Nenhum checkpoint completo em .*nothing/);
      model.dispose();
    });

    it("is never half-written when the writing process is killed (SIGKILL at random moments)", async function () {
      const dir = tmpDir("kill"), target = path.join(dir, "ck");
      const writer = path.join(__dirname, "..", "fixtures", "pneumonia-checkpoint-writer.ts");
      for (const delayMs of [0, 173]) {
        const child = spawn(process.execPath, ["--require", require.resolve("tsx/cjs"), writer, target], { stdio: ["ignore", "pipe", "inherit"] });
        let out = "";
        await new Promise<void>((resolve, reject) => {
          child.stdout.on("data", (d: Buffer) => {
            out += d.toString();
            if ((out.match(/saved/g) ?? []).length >= 2) setTimeout(() => child.kill("SIGKILL"), delayMs);
          });
          child.on("exit", () => resolve());
          child.on("error", reject);
        });
        const ck = await loadCheckpoint<{ n: number }>(target);
        // The writer fills every weight with n before saving checkpoint n: weights and state must agree.
        const values = new Set(weightsOf(ck.model).flat());
        assert.deepEqual([...values], [ck.state.n], `weights ${[...values].slice(0, 3)} vs state n=${ck.state.n} (kill after ${delayMs} ms)`);
        assert.ok(ck.state.n >= 2);
        ck.model.dispose();
      }
    });
  });

  describe("fit loop", () => {
    it("stops early after `patience` epochs without a better val loss and restores the best weights", async () => {
      const dir = tmpDir("early");
      // Validation labels inverted: the better the model fits the training set, the worse val gets.
      const badVal = syntheticImages(30, 12, true);
      const model = tinyModel(6);
      const result = await trainModel(model, train, badVal, { ...BASE, epochs: 20, patience: 2, checkpointDir: dir });
      assert.equal(result.stoppedEarly, true);
      assert.equal(result.history.length, result.bestEpoch + 2);
      const losses = result.history.map((h) => h.valLoss);
      assert.equal(Math.min(...losses), result.bestValLoss);
      assert.equal(losses[result.bestEpoch - 1], result.bestValLoss);
      const best = await loadCheckpoint<{ bestEpoch: number }>(bestCheckpointDir(dir));
      const last = await loadCheckpoint<{ epochsDone: number }>(lastCheckpointDir(dir));
      assert.equal(last.state.epochsDone, result.history.length);
      assert.deepEqual(weightsOf(model), weightsOf(best.model), "restored weights = best checkpoint (batch-norm statistics included)");
      assert.notDeepEqual(weightsOf(model), weightsOf(last.model));
      const again = await evaluateModel(model, badVal, { progressLabel: null });
      assert.ok(Math.abs(again.loss - result.bestValLoss) < 1e-5, `${again.loss} vs ${result.bestValLoss}`);
      // Resuming a run that already stopped early trains no more epochs and ends on the best weights.
      const fresh = tinyModel(77);
      const resumed = await trainModel(fresh, train, badVal, { ...BASE, epochs: 20, patience: 2, checkpointDir: dir, resume: true });
      assert.deepEqual([resumed.history.length, resumed.stoppedEarly, resumed.bestEpoch], [result.history.length, true, result.bestEpoch]);
      assert.deepEqual(weightsOf(fresh), weightsOf(best.model));
      [model, fresh, best.model, last.model].forEach((m) => m.dispose());
      [result, resumed].forEach((r) => r.optimizer.dispose());
    });

    it("resumes an interrupted run from its last checkpoint and ends exactly as an uninterrupted run", async () => {
      const straightModel = tinyModel(9);
      const straight = await trainModel(straightModel, train, val, { ...BASE, checkpointDir: tmpDir("straight") });
      assert.equal(straight.history.length, 4);

      const dir = tmpDir("resume");
      let steps = 0;
      const first = tinyModel(9);
      // 80 images in batches of 16 = 5 steps per epoch: stop in the middle of epoch 3.
      const cut = await trainModel(first, train, val, { ...BASE, checkpointDir: dir, shouldStop: () => ++steps > 12 });
      assert.equal(cut.interrupted, true);
      assert.equal(cut.history.length, 2);
      assert.equal((await loadCheckpoint<{ epochsDone: number }>(lastCheckpointDir(dir))).state.epochsDone, 2);

      const fresh = tinyModel(123); // a new process: other initial weights, overwritten by the checkpoint
      const resumed = await trainModel(fresh, train, val, { ...BASE, checkpointDir: dir, resume: true });
      assert.equal(resumed.resumedFromEpoch, 2);
      assert.deepEqual(resumed.history.map((h) => h.epoch), [1, 2, 3, 4]);
      const numbers = (r: TrainResult): number[][] => r.history.map((h) => [h.loss, h.binaryAccuracy, h.precision, h.recall, h.valLoss, h.valBinaryAccuracy, h.valPrecision, h.valRecall]);
      const a = numbers(straight).flat(), b = numbers(resumed).flat();
      a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-5, `history differs at ${i}: ${v} vs ${b[i]}`));
      assert.equal(resumed.bestEpoch, straight.bestEpoch);
      const wa = weightsOf(straightModel).flat(), wb = weightsOf(fresh).flat();
      wa.forEach((v, i) => assert.ok(Math.abs(v - wb[i]) < 1e-4, `weight ${i}: ${v} vs ${wb[i]}`));
      [straightModel, first, fresh].forEach((m) => m.dispose());
      [straight, cut, resumed].forEach((r) => r.optimizer.dispose());
    });

    it("refuses to resume on other data or another batch size, and leaves the checkpoint as it was", async () => {
      const dir = tmpDir("resume-other-data");
      const model = tinyModel(11);
      const first = await trainModel(model, train, val, { ...BASE, epochs: 1, checkpointDir: dir });
      const stateFile = path.join(lastCheckpointDir(dir), "state.json");
      const before = fs.readFileSync(stateFile, "utf8");
      const fewer = { ...train, count: 40, images: train.images.slice(0, 40 * SIZE * SIZE * 3), labels: train.labels.slice(0, 40) };
      const other = tinyModel(12);
      await assert.rejects(trainModel(other, fewer, val, { ...BASE, epochs: 3, checkpointDir: dir, resume: true }),
        /Não dá para continuar .*train: 80 no checkpoint, 40 agora.*Nada foi alterado/s);
      await assert.rejects(trainModel(other, train, val, { ...BASE, batchSize: 8, epochs: 3, checkpointDir: dir, resume: true }),
        /lotes de 16 no checkpoint, 8 agora/);
      assert.equal(fs.readFileSync(stateFile, "utf8"), before);
      const resumed = await trainModel(other, train, val, { ...BASE, epochs: 2, checkpointDir: dir, resume: true });
      assert.equal(resumed.resumedFromEpoch, 1);
      [model, other].forEach((m) => m.dispose());
      [first, resumed].forEach((r) => r.optimizer.dispose());
    });

    it("keeps the number of tensors stable across epochs and leaves none behind", async () => {
      const model = tinyModel(10);
      const before = tf.memory().numTensors;
      const atEpochEnd: number[] = [];
      const result = await trainModel(model, train, val, { ...BASE, onEpochEnd: () => { atEpochEnd.push(tf.memory().numTensors); } });
      assert.equal(new Set(atEpochEnd.slice(1)).size, 1, `tensors at epoch ends: ${atEpochEnd}`);
      result.optimizer.dispose();
      assert.equal(tf.memory().numTensors, before);
      model.dispose();
    });

    it("refuses data that does not fit the model, saying what to do", async () => {
      const model = tinyModel(1);
      const wrong = { ...train, size: 16, images: new Uint8Array(80 * 16 * 16 * 3) };
      await assert.rejects(trainModel(model, wrong, val, BASE), /O modelo espera imagens 8x8x3, mas os dados têm 16x16x3.*buildModel\(16\)/);
      await assert.rejects(trainModel(model, { ...train, count: 81 }, val, BASE), /treino: images tem .* bytes, esperava/);
      model.dispose();
    });
  });

  describe("evaluation and prediction", () => {
    it("counts the confusion matrix of the model's own predictions and reports the unweighted loss", async () => {
      const model = tinyModel(12);
      const e = await evaluateModel(model, val, { batchSize: 7, progressLabel: null });
      const x = tf.tensor4d(Float32Array.from(val.images), [val.count, SIZE, SIZE, 3]);
      const p = Array.from((model.predict(x) as tf.Tensor).dataSync());
      const hand = emptyCounts();
      p.forEach((v, i) => { const pos = v > 0.5, y = val.labels[i]; if (y && pos) hand.tp++; else if (y) hand.fn++; else if (pos) hand.fp++; else hand.tn++; });
      assert.deepEqual(e.counts, hand);
      const bce = p.reduce((s, v, i) => s - (val.labels[i] ? Math.log(v) : Math.log(1 - v)), 0) / p.length;
      assert.ok(Math.abs(e.loss - bce) < 1e-5);
      const one = predictImage(model, val.images.subarray(0, SIZE * SIZE * 3), SIZE);
      assert.ok(Math.abs(one.pneumonia - p[0]) < 1e-6 && Math.abs(one.normal + one.pneumonia - 1) < 1e-12);
      assert.equal(formatPrediction({ normal: 0.0325, pneumonia: 0.9675 }), "3,25% NORMAL / 96,75% PNEUMONIA");
      x.dispose();
      model.dispose();
    });
  });
});
