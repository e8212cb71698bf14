// CS231n's two sanity checks in notebook 09 (lib/pneumonia/training/sanity-checks.ts): the
// untrained model's loss is log 2 times the batch's mean class weight, and a fresh model with
// the dense blocks' dropout off memorises a tiny balanced subset.
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import { balancedSubset, initialLoss, overfitTinySubset, subset } from "../../lib/pneumonia/training/sanity-checks";
import type { LabeledImages } from "../../lib/pneumonia/training/batches";
import { buildModel, MIN_IMAGE_SIZE } from "../../lib/pneumonia/model/build";
import { denseBlock } from "../../lib/pneumonia/model/blocks";
import { seededRandom } from "../../lib/common/random";

/** `count` images of side `size`: label 1 bright on the left half, label 0 on the right, plus noise. */
function stripes(count: number, size: number, seed: number): LabeledImages {
  const rng = seededRandom(seed), px = size * size * 3;
  const labels = Uint8Array.from({ length: count }, (_, i) => (i % 3 === 0 ? 0 : 1));
  const images = new Uint8Array(count * px);
  labels.forEach((label, n) => {
    for (let p = 0; p < size * size; p++) {
      const left = p % size < size / 2;
      const v = (left === (label === 1) ? 200 : 40) + Math.floor(40 * rng());
      for (let c = 0; c < 3; c++) images[n * px + p * 3 + c] = v;
    }
  });
  return { images, labels, size, count };
}

describe("lesson 09: CS231n's sanity checks", () => {
  before(async () => { await tf.setBackend("cpu"); });

  it("balancedSubset takes the first images of each class, NORMAL first, and says when a class is short", () => {
    const data = stripes(12, 4, 1); // labels 0 at 0, 3, 6, 9
    const b = balancedSubset(data, 2);
    assert.deepEqual(Array.from(b.labels), [0, 0, 1, 1]);
    assert.deepEqual(Array.from(b.images.subarray(0, 48)), Array.from(data.images.subarray(0, 48)));
    assert.deepEqual(Array.from(b.images.subarray(48, 96)), Array.from(data.images.subarray(3 * 48, 4 * 48)));
    assert.throws(() => balancedSubset(data, 5), /5 imagens de cada classe e há 4 NORMAL/);
  });

  it("the untrained model's loss: log 2 without weights, log 2 times the mean class weight with them", () => {
    const model = buildModel(MIN_IMAGE_SIZE, { seed: 3 });
    const data = stripes(12, MIN_IMAGE_SIZE, 2);
    const r = initialLoss(model, subset(data, [0, 1, 2, 3, 4, 5]), { 0: 2, 1: 0.5 });
    assert.equal(r.pneumonia, 4);
    assert.ok(Math.abs(r.meanProbability - 0.5) < 0.05, String(r.meanProbability));
    assert.ok(Math.abs(r.unweighted - Math.log(2)) < 0.02, String(r.unweighted));
    assert.ok(Math.abs(r.meanWeight - (2 * 2 + 4 * 0.5) / 6) < 1e-12);
    assert.ok(Math.abs(r.weighted - r.meanWeight * Math.log(2)) < 0.03, JSON.stringify(r));
    model.dispose();
  });

  it("a fresh model with the dense dropout off memorises 8 images: loss falls below a tenth of its start, all 8 right", async function () {
    this.timeout(300000);
    const model = buildModel(MIN_IMAGE_SIZE, { seed: 4, denseBlock: (units, _rate, x) => denseBlock(units, 0, x) });
    const tiny = balancedSubset(stripes(12, MIN_IMAGE_SIZE, 5), 4);
    const r = await overfitTinySubset(model, tiny, 30, { schedule: { initialLearningRate: 0.001, decaySteps: 100000, decayRate: 0.96, staircase: true }, seed: 4, recomputeBatchNormImages: 100 });
    assert.equal(r.losses.length, 30);
    assert.equal(r.accuracy, 1, JSON.stringify(r));
    assert.ok(r.loss < r.losses[0] / 10, JSON.stringify(r));
    model.dispose();
  });
});
