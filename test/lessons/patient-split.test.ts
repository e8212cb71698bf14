// The split by patient (issue 25): Kermany's file names give the child; no child ends up on both
// sides; the GAP head's parameter count; the screening threshold chosen on validation.
import * as assert from "assert";
import { patientId, sharedPatients, splitTrainVal, splitTrainValBy, splitTrainValByPatient } from "../../lib/pneumonia/data/split";
import { XrayFile } from "../../lib/pneumonia/data/xray-files";
import { buildModel } from "../../lib/pneumonia/model/build";
import { withOverrides, PRESETS, deviationsFromKeras } from "../../lib/pneumonia/training/presets";
import { screeningReport } from "../../lib/pneumonia/training/pipeline";
import { Evaluation } from "../../lib/pneumonia/training/evaluate";

/** 60 patients with 1 to 4 X-rays each, in the Kaggle layout's names. */
function kermanyLikeFiles(): XrayFile[] {
  const files: XrayFile[] = [];
  for (let p = 1; p <= 30; p++) {
    for (let k = 0; k < 1 + (p % 4); k++) files.push({ path: `/d/train/PNEUMONIA/person${p}_bacteria_${10 * p + k}.jpeg`, split: "train", label: 1 });
    files.push({ path: `/d/train/NORMAL/NORMAL2-IM-${String(p).padStart(4, "0")}-0001${p % 2 ? "-0002" : ""}.jpeg`, split: "train", label: 0 });
    if (p % 2) files.push({ path: `/d/train/NORMAL/NORMAL2-IM-${String(p).padStart(4, "0")}-0001-0001.jpeg`, split: "train", label: 0 });
  }
  files.push({ path: "/d/test/NORMAL/IM-0001-0001.jpeg", split: "test", label: 0 });
  return files;
}

describe("split by patient", () => {
  it("reads the child from Kermany's names", () => {
    assert.strictEqual(patientId("/x/train/PNEUMONIA/person1372_bacteria_3502.jpeg"), "person1372");
    assert.strictEqual(patientId("person447_virus_921_1.jpeg"), "person447");
    assert.strictEqual(patientId("IM-0629-0001-0002.jpeg"), "IM-0629");
    assert.strictEqual(patientId("NORMAL2-IM-0173-0001-0002.jpeg"), "NORMAL2-IM-0173");
    assert.notStrictEqual(patientId("IM-0173-0001.jpeg"), patientId("NORMAL2-IM-0173-0001.jpeg"));
    assert.strictEqual(patientId("scan.png"), null);
  });

  it("puts no child on both sides, where the image split does", () => {
    const files = kermanyLikeFiles();
    const byImage = splitTrainVal(files, { seed: 3 }), byPatient = splitTrainValByPatient(files, { seed: 3 });
    assert.ok(sharedPatients(byImage.train, byImage.val) > 0);
    assert.strictEqual(sharedPatients(byPatient.train, byPatient.val), 0);
    const pool = files.length - 1;
    assert.strictEqual(byPatient.train.length + byPatient.val.length, pool);
    assert.ok(Math.abs(byPatient.val.length - 0.2 * pool) <= 4, `val ${byPatient.val.length} of ${pool}`);
    assert.deepStrictEqual(byPatient.test.map((f) => f.path), ["/d/test/NORMAL/IM-0001-0001.jpeg"]);
    assert.deepStrictEqual(splitTrainValByPatient([...files].reverse(), { seed: 3 }), byPatient, "the order of the files does not matter");
    assert.notDeepStrictEqual(splitTrainValByPatient(files, { seed: 4 }).val, byPatient.val);
    assert.throws(() => splitTrainValBy("person" as "image", files, { seed: 1 }), /use "image".*"patient"/);
  });

  it("is a named deviation of the preset", () => {
    const p = withOverrides(PRESETS.classroom, { split: "patient", head: "gap" });
    assert.strictEqual(p.split, "patient");
    const d = deviationsFromKeras(p).join(" | ");
    assert.match(d, /por paciente/);
    assert.match(d, /GlobalAveragePooling2D/);
    assert.strictEqual(withOverrides(PRESETS.classroom, {}).split, undefined);
  });
});

describe("global average pooling head", () => {
  it("drops the dense head's weights, at any size", () => {
    const keras40 = buildModel(40).countParams(), keras180 = buildModel(180).countParams();
    const gap40 = buildModel(40, { head: "gap" }), gap180 = buildModel(180, { head: "gap" });
    assert.strictEqual(keras180, 3496801);
    assert.strictEqual(gap40.countParams(), gap180.countParams());
    assert.strictEqual(keras180 - gap180.countParams(), 6400 * 512 + 512 + 4 * 512 + 512 * 128 + 128 + 4 * 128 + 128 * 64 + 64 + 4 * 64 + 64 + 1 - 257);
    assert.ok(keras40 > gap40.countParams());
    assert.deepStrictEqual(gap180.outputs[0].shape, [null, 1]);
  });
});

describe("screening threshold", () => {
  const evaluation = (probabilities: number[], accuracy: number): Evaluation =>
    ({ probabilities: Float32Array.from(probabilities), accuracy } as unknown as Evaluation);
  it("is chosen on validation and measured, unchanged, on test", () => {
    const val = { e: evaluation([0.1, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9], 0.7), labels: Uint8Array.from([0, 0, 1, 0, 1, 1, 1]) };
    const test = { e: evaluation([0.2, 0.35, 0.45, 0.5, 0.95], 0.6), labels: Uint8Array.from([0, 1, 0, 1, 1]) };
    const r = screeningReport(val, test, 0.95);
    assert.ok(Math.abs(r.threshold - 0.4) < 1e-6);
    assert.deepStrictEqual([r.validation.recall, r.validation.precision], [1, 0.8]);
    assert.deepStrictEqual([r.test.recall, r.test.precision], [2 / 3, 2 / 3]);
    assert.strictEqual(r.validation.auc, 11 / 12);
    assert.strictEqual(r.test.accuracy, 0.6);
  });
});
