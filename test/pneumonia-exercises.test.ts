// The exercises of notebook 08: reference answers pass, typical mistakes fail with a
// Portuguese hint that points at the wrong layer without giving the answer away, and the
// hidden cases load as valid JSON cases.
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import { loadHiddenCases } from "../tools/grader/hidden-cases";
import { evaluate } from "../lib/check";
import { architectureOf, dropoutsOf } from "../lib/exercises/09-pneumonia";
import { convBlock, denseBlock, SymbolicTensor } from "../lib/pneumonia/model";
import { classWeights } from "../lib/pneumonia/data/split";

describe("pneumonia exercises (notebook 08)", () => {
  it("accepts the reference blocks and rejects a conv block without batch normalization", async () => {
    assert.equal((await evaluate("pneumonia-conv-block", convBlock, undefined, { watchReferences: false })).status, "passed");
    assert.equal((await evaluate("pneumonia-dense-block", denseBlock, undefined, { watchReferences: false })).status, "passed");
    const noBatchNorm = (filters: number, inputs: SymbolicTensor): SymbolicTensor => {
      const x = tf.layers.separableConv2d({ filters, kernelSize: 3, activation: "relu", padding: "same" }).apply(inputs) as SymbolicTensor;
      const y = tf.layers.separableConv2d({ filters, kernelSize: 3, activation: "relu", padding: "same" }).apply(x) as SymbolicTensor;
      return tf.layers.maxPooling2d({ poolSize: 2 }).apply(y) as SymbolicTensor;
    };
    const report = await evaluate("pneumonia-conv-block", noBatchNorm);
    assert.equal(report.status, "failed");
    assert.equal(report.passed, 0);
    const forgotReturn = (filters: number, inputs: SymbolicTensor): void => { convBlock(filters, inputs); };
    const r2 = await evaluate("pneumonia-conv-block", forgotReturn, undefined, { watchReferences: false });
    assert.match(r2.cases[0].message, /faltou o return/);
  });

  it("checks class weights against the Keras formula", async () => {
    assert.equal((await evaluate("pneumonia-class-weights", (n: number, p: number) => classWeights([...Array(n).fill(0), ...Array(p).fill(1)]), undefined, { watchReferences: false })).status, "passed");
    const swapped = await evaluate("pneumonia-class-weights", (n: number, p: number) => ({ 0: (n + p) / (2 * p), 1: (n + p) / (2 * n) }));
    assert.equal(swapped.status, "failed");
  });

  it("points at the wrong rows of the architecture table with a hint, not the answer", async () => {
    const right = architectureOf(180);
    assert.equal(right.length, 34);
    assert.equal(right.reduce((s, r) => s + r.params, 0), 3496801);
    assert.equal((await evaluate("pneumonia-architecture", () => right)).status, "passed");
    // Lower-case types and the MaxPool2D alias are accepted.
    const relaxed = right.map((r) => ({ ...r, type: r.type === "MaxPooling2D" ? "MaxPool2D" : r.type.toLowerCase() }));
    assert.equal((await evaluate("pneumonia-architecture", () => relaxed)).status, "passed");
    // A classic mistake: a SeparableConv2D counted as a Conv2D (3*3*16*32 + 32 = 4640).
    const wrong = right.map((r, i) => (i === 5 ? { ...r, params: 4640 } : r));
    const report = await evaluate("pneumonia-architecture", () => wrong);
    assert.equal(report.status, "failed");
    assert.match(report.cases[0].message, /camada 5: 4640 parâmetros está errado \(SeparableConv2D: k·k·C_entrada \(depthwise\)/);
    assert.doesNotMatch(report.cases[0].message, /688/);
    const withBatch = right.map((r) => ({ ...r, outputShape: [-1, ...r.outputShape] }));
    assert.match((await evaluate("pneumonia-architecture", () => withBatch)).cases[0].message, /não inclua a dimensão do lote/);
    assert.match((await evaluate("pneumonia-architecture", () => right.slice(1))).cases[0].message, /o modelo tem 34 camadas/);
  });

  it("knows the five dropout rates and where they sit", async () => {
    const d = dropoutsOf(180);
    assert.deepEqual(d.map((x) => x.rate), [0.2, 0.2, 0.7, 0.5, 0.3]);
    assert.deepEqual(d.map((x) => x.after), ["MaxPooling2D", "MaxPooling2D", "BatchNormalization", "BatchNormalization", "BatchNormalization"]);
    assert.equal((await evaluate("pneumonia-dropouts", () => d)).status, "passed");
    const swapped = d.map((x, i) => ({ ...x, rate: i === 2 ? 0.5 : i === 3 ? 0.7 : x.rate }));
    const report = await evaluate("pneumonia-dropouts", () => swapped);
    assert.match(report.cases[0].message, /dropout 3: taxa 0.5 errada\n\s+dropout 4: taxa 0.7 errada/);
  });

  it("has hidden cases for every exercise, valid as JSON cases", () => {
    const hidden = loadHiddenCases("09-pneumonia");
    assert.deepEqual(Object.keys(hidden).sort(), [
      "pneumonia-architecture", "pneumonia-class-weights", "pneumonia-conv-block", "pneumonia-count-classes", "pneumonia-dense-block",
      "pneumonia-dropouts", "pneumonia-metric-meaning", "pneumonia-pooled-sizes", "pneumonia-precision-recall",
    ]);
    assert.deepEqual(hidden["pneumonia-pooled-sizes"].map((c) => c.expected), [[112, 56, 28, 14, 7], [16, 8, 4, 2, 1]]);
  });
});
