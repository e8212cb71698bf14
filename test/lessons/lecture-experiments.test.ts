// The small experiments of notebooks 05-07 on real digits: the digit CNN learns, its
// feature maps are the convolution the course teaches, pooling makes maps less sensitive
// to shifts, and dropout narrows the train/validation gap in the notebook's configuration.
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import { relu } from "../../lib/lecture/activation";
import { conv2d } from "../../lib/lecture/convolution";
import { digitImage, loadMnist } from "../../lib/digits/mnist";
import { initEngine } from "cnn-course-engine";
import { compareDropout, withWrongLabels } from "../../lib/digits/dropout-comparison";
import { featureMaps, learnedFilters, predictDigits, scaleToPeak, trainDigitCnn } from "../../lib/digits/digit-cnn";
import { historyRecord } from "../../lib/digits/digit-training";
import { measureShiftRobustness, VERTICAL_EDGE_FILTER } from "../../lib/digits/shift-robustness";
import { maxPool2d } from "../../lib/lecture/pooling";

describe("lecture experiments (notebooks 05-07)", () => {
  before(async () => { await initEngine({ quiet: true }); });

  it("pooling makes a feature map change less when the digit moves by 1 or 2 pixels", () => {
    const r = measureShiftRobustness(loadMnist(60, 11), VERTICAL_EDGE_FILTER, [0, 1, 2]);
    const [none, max, avg] = r.changes;
    assert.deepEqual(r.changes.map((c) => c.values[0]), [0, 0, 0]);
    for (const k of [1, 2]) {
      assert.ok(max.values[k] < 0.9 * none.values[k], `max ${max.values[k]} vs none ${none.values[k]}`);
      assert.ok(avg.values[k] < none.values[k], `avg ${avg.values[k]} vs none ${none.values[k]}`);
    }
    assert.ok(none.values[1] > 0.3, "without pooling a 1-pixel shift changes the map a lot");
  });

  it("trains the digit CNN to well above chance; its maps are ReLU(conv2d + bias) and pooling of them", async () => {
    const { model, history, validation } = await trainDigitCnn({ trainCount: 800, validationCount: 300, epochs: 2, seed: 4 });
    try {
      const last = history.epochs[history.epochs.length - 1];
      assert.ok(last.valAccuracy > 0.75, `validation accuracy ${last.valAccuracy}`);
      assert.ok(history.epochs[1].loss < history.epochs[0].loss);
      const filters = learnedFilters(model);
      assert.deepEqual([filters.length, filters[0].length, filters[0][0].length], [8, 3, 3]);
      const bias = (model.getLayer("conv").getWeights()[1].arraySync() as number[]);
      const image = digitImage(validation, 0);
      const maps = featureMaps(model, image), pooled = featureMaps(model, image, "pool");
      assert.deepEqual([maps.length, maps[0].length, pooled[0].length], [8, 26, 13]);
      maps.forEach((map, f) => {
        const ours = relu(conv2d(image, filters[f]).map((row) => row.map((v) => v + bias[f])));
        map.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - ours[i][j]) < 1e-4, `filter ${f} [${i}][${j}]`)));
        assert.deepEqual(pooled[f].map((r) => r.map((v) => v.toFixed(4))), maxPool2d(map, 2, 2).map((r) => r.map((v) => v.toFixed(4))));
      });
      const record = historyRecord(history);
      assert.deepEqual(Object.keys(record).sort(), ["accuracy", "loss", "val_accuracy", "val_loss"]);
      assert.deepEqual(record.val_accuracy, history.epochs.map((e) => e.valAccuracy));
      const scaled = scaleToPeak(maps[0]);
      assert.ok(Math.max(...scaled.flat()) === 1 || scaled.flat().every((v) => v === 0));
      const predictions = predictDigits(model, [image]);
      assert.equal(predictions[0].probabilities.length, 10);
      assert.ok(Math.abs(predictions[0].probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-4);
    } finally {
      model.dispose();
    }
  });

  it("replaces exactly the asked fraction of labels by other digits", () => {
    const set = loadMnist(200, 2);
    const noisy = withWrongLabels(set, 0.25, 9);
    const changed = set.labels.filter((l, i) => l !== noisy.labels[i]).length;
    assert.equal(changed, 50);
    assert.ok(noisy.labels.every((l) => l >= 0 && l <= 9));
    assert.throws(() => withWrongLabels(set, 1.5, 1), /labelNoise deve estar entre 0 e 1/);
  });

  it("with dropout, the notebook's network memorises less: smaller train/validation gap, better validation", async function () {
    const tensorsBefore = tf.memory().numTensors;
    const r = await compareDropout();
    console.log(`      gap without dropout ${r.gapWithout.accuracyGap.toFixed(3)} (train ${r.gapWithout.trainAccuracy.toFixed(3)}, val ${r.gapWithout.valAccuracy.toFixed(3)}), ` +
      `with dropout ${r.gapWith.accuracyGap.toFixed(3)} (train ${r.gapWith.trainAccuracy.toFixed(3)}, val ${r.gapWith.valAccuracy.toFixed(3)}); ` +
      `${r.withoutDropout.seconds.toFixed(1)} s + ${r.withDropout.seconds.toFixed(1)} s on ${r.withDropout.backend}`);
    assert.ok(r.gapWith.accuracyGap < r.gapWithout.accuracyGap - 0.08, "dropout should narrow the accuracy gap clearly");
    assert.ok(r.gapWith.valAccuracy > r.gapWithout.valAccuracy, "dropout should validate better here");
    assert.ok(r.gapWith.lossGap < r.gapWithout.lossGap);
    // Without dropout the network fits the wrong labels too: above the 75% of right labels.
    assert.ok(r.gapWithout.trainAccuracy > 0.85);
    assert.equal(tf.memory().numTensors, tensorsBefore, "the comparison leaks no tensors");
  });
});
