// Recomputed BatchNorm statistics (lib/pneumonia/training/recompute-batchnorm.ts): the moving mean and
// variance become the statistics of the measured images (exactly, when they are one batch), so the
// moving-statistics evaluation then equals the batch-statistics one; the training steps are unchanged
// (same losses with and without), and on two threads the workers validate with the recomputed values.
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import { initEngine } from "cnn-course-engine";
import { seededRandom } from "../../lib/common/random";
import { buildModel } from "../../lib/pneumonia/model";
import {
  compareBatchNormStatistics, evaluateModel, LabeledImages, recomputeBatchNormStatistics, trainModel, TrainOptions,
} from "../../lib/pneumonia/training";

function xrayLike(count: number, seed: number, size = 32): LabeledImages {
  const rng = seededRandom(seed), px = size * size * 3;
  const images = new Uint8Array(count * px), labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = rng() < 0.7 ? 1 : 0;
    for (let k = 0; k < px; k++) images[i * px + k] = Math.round((labels[i] ? 140 : 110) + (rng() - 0.5) * 200);
  }
  return { images, labels, size, count };
}

const movingStats = (m: tf.LayersModel): number[][] =>
  m.layers.filter((l) => l.getClassName() === "BatchNormalization").map((l) => l.getWeights().slice(2).flatMap((w) => Array.from(w.dataSync())));

describe("recomputed BatchNorm statistics (recompute-batchnorm.ts)", function () {
  this.timeout(300_000);
  before(async () => { await initEngine({ quiet: true }); });

  it("sets the first layer's moving mean and variance to its input's over the images, and then moving = batch statistics", async () => {
    const model = buildModel(32, { seed: 3 }), data = xrayLike(30, 5);
    const all = Array.from({ length: 30 }, (_, i) => i);
    const r = recomputeBatchNormStatistics(model, data, { images: 30, batchSize: 30, seed: 1 });
    assert.deepEqual(r, { layers: 7, images: 30 });
    // The input of the first BatchNormalization: the layers before it, in inference mode.
    const firstBn = model.layers.findIndex((l) => l.getClassName() === "BatchNormalization");
    const { mean, variance } = tf.tidy(() => {
      let h: tf.Tensor = tf.tensor4d(Float32Array.from(all.flatMap((i) => Array.from(data.images.subarray(i * 3072, (i + 1) * 3072)))), [30, 32, 32, 3]);
      for (const layer of model.layers.slice(0, firstBn)) if (layer.getClassName() !== "InputLayer") h = layer.apply(h, { training: false }) as tf.Tensor;
      const m = tf.moments(h, [0, 1, 2]);
      return { mean: Array.from(m.mean.dataSync()), variance: Array.from(m.variance.dataSync()) };
    });
    const [movingMean, movingVariance] = model.layers[firstBn].getWeights().slice(2).map((w) => Array.from(w.dataSync()));
    mean.forEach((v, c) => assert.ok(Math.abs(movingMean[c] - v) <= 1e-4 * (1 + Math.abs(v)), `mean[${c}] ${movingMean[c]} vs ${v}`));
    variance.forEach((v, c) => assert.ok(Math.abs(movingVariance[c] - v) <= 1e-3 * v + 1e-6, `variance[${c}] ${movingVariance[c]} vs ${v}`));
    // Every layer now normalizes the 30 images as training would: the two evaluations agree (they differed before).
    const c = compareBatchNormStatistics(model, data, 30);
    assert.ok(Math.abs(c.moving.loss - c.batch.loss) < 1e-4, `${c.moving.loss} vs ${c.batch.loss}`);
    for (const layer of c.layers) assert.ok(layer.meanShift < 1e-3, `${layer.name}: mean shift ${layer.meanShift}`);
    model.dispose();
  });

  it("measures a seeded sample: same seed, same statistics; another seed, other images", () => {
    const data = xrayLike(40, 6);
    const stats = (seed: number): number[][] => {
      const model = buildModel(32, { seed: 3 });
      recomputeBatchNormStatistics(model, data, { images: 20, batchSize: 10, seed });
      const s = movingStats(model);
      model.dispose();
      return s;
    };
    assert.deepEqual(stats(7), stats(7));
    assert.notDeepEqual(stats(7), stats(8));
    assert.throws(() => recomputeBatchNormStatistics(buildModel(32, { seed: 3 }), data, { images: 0, seed: 1 }), /images deve ser >= 1/);
  });

  for (const threads of [1, 2]) {
    it(`leaves the training steps unchanged and validates with the recomputed statistics (${threads} thread${threads > 1 ? "s" : ""})`, async () => {
      const train = xrayLike(40, 7), val = xrayLike(20, 8);
      const opts: TrainOptions = { epochs: 2, batchSize: 10, seed: 4, threads, showProgress: false, restoreBestWeights: false, classWeights: { 0: 1.5, 1: 0.75 } };
      const plain = buildModel(32, { seed: 9 }), recomputed = buildModel(32, { seed: 9 });
      const a = await trainModel(plain, train, val, opts);
      const b = await trainModel(recomputed, train, val, { ...opts, recomputeBatchNormImages: 20 });
      assert.deepEqual(b.history.map((e) => e.loss), a.history.map((e) => e.loss), "training losses");
      assert.deepEqual(recomputed.trainableWeights.map((w) => Array.from(w.read().dataSync())), plain.trainableWeights.map((w) => Array.from(w.read().dataSync())));
      assert.notDeepEqual(movingStats(recomputed), movingStats(plain));
      // Epoch 1's validation before the recompute is what Keras logs (the same moving averages as the plain run).
      assert.ok(Math.abs((b.history[0].valLossMovingAverages ?? NaN) - a.history[0].valLoss) < 1e-6, `${b.history[0].valLossMovingAverages} vs ${a.history[0].valLoss}`);
      assert.equal(a.history[0].valLossMovingAverages, undefined);
      // The last validation ran on every replica with the statistics now on the main model.
      const e = await evaluateModel(recomputed, val, { batchSize: 50, progressLabel: null });
      assert.ok(Math.abs(e.loss - b.history[1].valLoss) < 1e-5, `${e.loss} vs ${b.history[1].valLoss}`);
      assert.ok(Math.abs(b.history[1].valLoss - a.history[1].valLoss) > 1e-4);
      plain.dispose();
      recomputed.dispose();
    });
  }
});
