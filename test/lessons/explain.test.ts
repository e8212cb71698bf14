// Notebook 10's teaching code on an untrained pneumonia CNN and synthetic scores:
// the cut model reproduces model.predict, batched Grad-CAM equals the plain-array formulas
// image by image, NORMAL's gradient is PNEUMONIA's negated, nothing leaks tensors; the
// ROC AUC equals the pairwise (Mann-Whitney) probability, the threshold search equals a
// brute force, reliability bins count every image, regions and masks do what they say.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { seededRandom } from "../../lib/common/random";
import { buildModel } from "../../lib/pneumonia/model/build";
import { LabeledImages } from "../../lib/pneumonia/training/batches";
import {
  areaFraction, chestRegions, channelWeights, chooseThreshold, combineMaps, countsAt, featureMapLayers, gradCam, gradientsAt,
  lastConvLayer, layerGradients, massFraction, maskImages, outcomeExamples, outside, predictScores, prCurve, reliability, rocCurve,
  saliencyMaps, xrayFeatureMaps,
} from "../../lib/pneumonia/explain";
import { metricsFromCounts } from "../../lib/pneumonia/training/metrics";
import { saveCheckpoint } from "../../lib/pneumonia/training/checkpoint";
import { PRESETS } from "../../lib/pneumonia/training/presets";
import { checkpointSources, loadBestCheckpoint } from "../../lib/pneumonia/explain/trained-model";
import { syntheticScores } from "../../lib/exercises/10-o-que-o-modelo-ve";

function randomImages(count: number, size: number, seed: number): LabeledImages {
  const rng = seededRandom(seed);
  const images = new Uint8Array(count * size * size * 3);
  for (let p = 0; p < count * size * size; p++) images[3 * p] = images[3 * p + 1] = images[3 * p + 2] = Math.floor(256 * rng());
  return { images, labels: Uint8Array.from({ length: count }, (_, i) => i % 2), size, count };
}

describe("notebook 10: what the model looks at (lib/pneumonia/explain)", () => {
  let model: tf.LayersModel;
  const data = randomImages(5, 40, 7);
  before(() => { model = buildModel(40, { seed: 3 }); });
  after(() => model.dispose());

  it("finds the two Conv2D and the last convolution of each block, Grad-CAM's layer last", () => {
    const layers = featureMapLayers(model);
    assert.deepEqual(layers.map((l) => `${l.label} ${l.shape.join("x")}`),
      ["conv 1 40x40x16", "conv 2 40x40x16", "bloco 1 20x20x32", "bloco 2 10x10x64", "bloco 3 5x5x128", "bloco 4 2x2x256"]);
    assert.equal(lastConvLayer(model).label, "bloco 4");
  });

  it("computes the probability from the cut model's logit as model.predict does", () => {
    const scores = predictScores(model, data, 2);
    const x = tf.tensor4d(Float32Array.from(data.images), [data.count, 40, 40, 3]);
    const predicted = (model.predict(x) as tf.Tensor).dataSync();
    x.dispose();
    scores.probabilities.forEach((p, i) => assert.ok(Math.abs(p - predicted[i]) < 1e-5, `${p} vs ${predicted[i]}`));
  });

  it("batched Grad-CAM equals channelWeights + combineMaps on each image, whatever the batch size", () => {
    const all = [0, 1, 2, 3, 4];
    const big = gradCam(model, data, all, { layer: "bloco 3" }), small = gradCam(model, data, all, { layer: "bloco 3", batchSize: 2 });
    for (const i of all) {
      const one = gradientsAt(model, data, i, "bloco 3");
      const map = combineMaps(one.maps, channelWeights(one.grads));
      map.flat().forEach((v, j) => assert.ok(Math.abs(v - big.maps[i].flat()[j]) < 1e-4 * Math.max(1, Math.abs(v)), `image ${i} cell ${j}`));
      assert.ok(small.maps[i].flat().every((v, j) => Math.abs(v - big.maps[i].flat()[j]) < 1e-5));
      assert.equal(big.heat[i].length, 40 * 40);
      assert.ok(Math.max(...big.heat[i]) <= 1 + 1e-6);
    }
  });

  it("gives NORMAL the opposite gradient of PNEUMONIA (score -z vs z)", () => {
    const layer = lastConvLayer(model);
    const x = tf.tensor4d(Float32Array.from(data.images.subarray(0, 2 * 40 * 40 * 3)), [2, 40, 40, 3]);
    const asPneumonia = layerGradients(model, x, layer, [1, 1]), asNormal = layerGradients(model, x, layer, [0, 0]);
    const a = asPneumonia.grads.dataSync(), b = asNormal.grads.dataSync();
    assert.ok(a.some((v) => v !== 0));
    a.forEach((v, i) => assert.ok(Math.abs(v + b[i]) < 1e-6));
    tf.dispose([x, asPneumonia.maps, asPneumonia.grads, asNormal.maps, asNormal.grads]);
  });

  it("leaks no tensor in feature maps, Grad-CAM, saliency and scores", () => {
    const before = tf.memory().numTensors;
    const maps = xrayFeatureMaps(model, data, [0, 1]);
    gradCam(model, data, [0, 1, 2]);
    const sal = saliencyMaps(model, data, [0, 1, 2], { batchSize: 2 });
    predictScores(model, data);
    assert.equal(tf.memory().numTensors, before);
    assert.equal(maps.length, 6);
    assert.equal(maps[0].values[1].length, 40 * 40 * 16);
    assert.equal(sal.maps.length, 3);
    assert.ok(sal.maps.every((m) => Math.abs(Math.max(...m) - 1) < 1e-6));
  });
});

describe("notebook 10: threshold, curves, calibration, regions", () => {
  const val = syntheticScores(400, 0.7, 1.5, 21, 2), test = syntheticScores(300, 0.6, 1.0, 22);

  it("ROC AUC is the chance a PNEUMONIA image outscores a NORMAL one (ties count half)", () => {
    let wins = 0, pairs = 0;
    val.probabilities.forEach((p, i) => {
      if (val.labels[i] !== 1) return;
      val.probabilities.forEach((q, j) => {
        if (val.labels[j] !== 0) return;
        pairs++;
        wins += p > q ? 1 : p === q ? 0.5 : 0;
      });
    });
    assert.ok(Math.abs(rocCurve(val).auc - wins / pairs) < 1e-12, `${rocCurve(val).auc} vs ${wins / pairs}`);
    const pr = prCurve(val);
    assert.ok(pr.averagePrecision > pr.baseline && pr.averagePrecision <= 1);
  });

  it("chooses the threshold a brute force over every probability chooses, and measures it on test", () => {
    for (const minRecall of [0.8, 0.95, 0.98, 1]) {
      let best = { t: NaN, precision: -1 };
      for (const t of val.probabilities) {
        const m = metricsFromCounts(countsAt(val, t));
        if (m.recall >= minRecall && (m.precision > best.precision || (m.precision === best.precision && t > best.t))) best = { t, precision: m.precision };
      }
      const c = chooseThreshold({ validation: val, test }, minRecall);
      assert.equal(c.threshold, best.t);
      assert.ok(c.validation.recall >= minRecall);
      assert.equal(c.test.recall, metricsFromCounts(countsAt(test, c.threshold)).recall);
    }
  });

  it("puts every probability in one of 10 bins, and a calibrated model has a small ECE", () => {
    const rng = seededRandom(5);
    const probabilities = Array.from({ length: 20000 }, () => rng());
    const labels = probabilities.map((p) => (rng() < p ? 1 : 0));
    const rel = reliability({ probabilities, labels }, 10);
    assert.equal(rel.bins.reduce((s, b) => s + b.count, 0), 20000);
    assert.ok(rel.ece < 0.02, `ECE ${rel.ece}`);
    const overconfident = reliability({ probabilities: probabilities.map((p) => (p > 0.5 ? 0.99 : 0.01)), labels }, 10);
    assert.ok(overconfident.ece > 0.2, `ECE ${overconfident.ece}`);
  });

  it("picks the most confident hits and mistakes of each kind", () => {
    const ex = outcomeExamples(test, 0.5, 2);
    assert.deepEqual([...new Set(ex.map((e) => e.kind))], ["VP", "VN", "FP", "FN"]);
    const fp = ex.filter((e) => e.kind === "FP");
    assert.ok(fp[0].probability >= fp[1].probability && fp.every((e) => e.label === 0 && e.probability >= 0.5));
  });

  it("builds disjoint lung and border regions and masks only outside the kept region", () => {
    const r = chestRegions(40);
    assert.equal(r.borderWidth, 4);
    assert.equal(areaFraction(r.border), 1 - (32 * 32) / 1600);
    assert.ok(r.lungs.every((v, i) => !(v && r.border[i])));
    assert.equal(massFraction(r.lungs, r.lungs), 1);
    const imgs = randomImages(2, 40, 9);
    const masked = maskImages(imgs, outside(r.border));
    for (let p = 0; p < 1600; p++) {
      const o = 3 * (1600 + p);
      assert.equal(masked.images[o], r.border[p] ? 0 : imgs.images[o]);
    }
  });
});

describe("notebook 10: the trained model", () => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "cnn-explain-"));
  const saved = process.env.CNN_COURSE_CACHE;
  before(() => { process.env.CNN_COURSE_CACHE = cache; });
  after(() => {
    if (saved === undefined) delete process.env.CNN_COURSE_CACHE; else process.env.CNN_COURSE_CACHE = saved;
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it("skips a checkpoint for another image size and loads the next one, saying which", async () => {
    const preset = PRESETS.smoke;
    const [notebook09, trainCommand] = checkpointSources(preset);
    assert.equal(notebook09.dir, path.join(cache, "runs", "notebook-smoke"));
    assert.equal(await loadBestCheckpoint(preset), null);
    const wrong = buildModel(40), right = buildModel(preset.imageSize, { seed: 5 });
    const state = { bestEpoch: 2, epochsDone: 2, bestValLoss: 0.5 };
    await saveCheckpoint(path.join(notebook09.dir, "best"), { model: wrong, state });
    await saveCheckpoint(path.join(trainCommand.dir, "best"), { model: right, state });
    const found = await loadBestCheckpoint(preset);
    assert.ok(found);
    assert.match(found!.description, /npm run train -- --preset smoke: melhor época 2 de 2 \(val_loss 0.5000\)/);
    assert.deepEqual(found!.model.inputs[0].shape, [null, 48, 48, 3]);
    const a = right.getWeights()[0].dataSync(), b = found!.model.getWeights()[0].dataSync();
    assert.ok(a.every((v, i) => v === b[i]));
    [wrong, right, found!.model].forEach((m) => m.dispose());
  });
});
