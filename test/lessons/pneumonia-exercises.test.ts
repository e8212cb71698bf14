// The exercises of notebook 09: reference answers pass, typical mistakes fail with a
// Portuguese hint that points at the wrong layer (or cell) without giving the answer away,
// and the hidden cases load as valid JSON cases that differ from the public ones.
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import { loadHiddenCases } from "../../tools/grader/hidden-cases";
import { evaluate } from "../../lib/check";
import { getExercise } from "../../lib/check/registry";
import { architectureOf, convBlockParams, dropoutsOf, matrixFromMetrics } from "../../lib/exercises/09-pneumonia";
import { convBlock, denseBlock, SymbolicTensor } from "../../lib/pneumonia/model";
import { classWeights } from "../../lib/pneumonia/data/split";

/** The course's own functions (and answers built from them) as submissions: the reference watch off. */
const unwatched = (id: string, submission: unknown) => evaluate(id, submission, undefined, { watchReferences: false });

describe("pneumonia exercises (notebook 09)", () => {
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
    assert.equal((await unwatched("pneumonia-architecture", architectureOf)).status, "passed");
    // Lower-case types and the MaxPool2D alias are accepted.
    const relaxed = (size: number) => architectureOf(size).map((r) => ({ ...r, type: r.type === "MaxPooling2D" ? "MaxPool2D" : r.type.toLowerCase() }));
    assert.equal((await unwatched("pneumonia-architecture", relaxed)).status, "passed");
    // The 180x180 table typed in, whatever the image size: the 64x64 case catches it.
    const typedIn = await unwatched("pneumonia-architecture", () => right);
    assert.equal(typedIn.status, "failed");
    assert.deepEqual(typedIn.cases.map((c) => c.passed), [true, false]);
    // Halving with rounding up (ceil) instead of down: right at 64, wrong at 180 (45 -> 23).
    const ceilSizes = (size: number) => architectureOf(size).map((r) => (r.outputShape.length === 3 && size === 180 && r.outputShape[0] === 22 ? { ...r, outputShape: [23, 23, r.outputShape[2]] } : r));
    assert.equal((await unwatched("pneumonia-architecture", ceilSizes)).status, "failed");
    // A classic mistake: a SeparableConv2D counted as a Conv2D (3*3*16*32 + 32 = 4640).
    const wrong = (size: number) => architectureOf(size).map((r, i) => (i === 5 ? { ...r, params: 4640 } : r));
    const report = await unwatched("pneumonia-architecture", wrong);
    assert.equal(report.status, "failed");
    assert.match(report.cases[0].message, /camada 5: 4640 parâmetros está errado \(SeparableConv2D: k·k·C_entrada \(depthwise\)/);
    assert.doesNotMatch(report.cases[0].message, /688/);
    const withBatch = (size: number) => architectureOf(size).map((r) => ({ ...r, outputShape: [-1, ...r.outputShape] }));
    assert.match((await unwatched("pneumonia-architecture", withBatch)).cases[0].message, /não inclua a dimensão do lote/);
    assert.match((await unwatched("pneumonia-architecture", (size: number) => architectureOf(size).slice(1))).cases[0].message, /o modelo tem 34 camadas/);
  });

  it("knows the five dropout rates and where they sit", async () => {
    const d = dropoutsOf(180);
    assert.deepEqual(d.map((x) => x.rate), [0.2, 0.2, 0.7, 0.5, 0.3]);
    assert.deepEqual(d.map((x) => x.after), ["MaxPooling2D", "MaxPooling2D", "BatchNormalization", "BatchNormalization", "BatchNormalization"]);
    assert.deepEqual(d.map((x) => x.shape), [[11, 11, 128], [5, 5, 256], [512], [128], [64]]);
    assert.equal((await unwatched("pneumonia-dropouts", dropoutsOf)).status, "passed");
    const swapped = d.map((x, i) => ({ ...x, rate: i === 2 ? 0.5 : i === 3 ? 0.7 : x.rate }));
    const report = await unwatched("pneumonia-dropouts", () => swapped);
    assert.match(report.cases[0].message, /dropout 3: taxa 0.5 errada\n\s+dropout 4: taxa 0.7 errada/);
  });

  it("the separable block count catches the second convolution counted on the input channels, and a forgotten BatchNormalization", async () => {
    assert.equal(convBlockParams(16, 32, true), 688 + 1344 + 128);
    assert.equal((await unwatched("pneumonia-separable-params", convBlockParams)).status, "passed");
    const secondOnInput = (c: number, f: number, sep: boolean) => 2 * (sep ? 9 * c + c * f + f : 9 * c * f + f) + 4 * f;
    assert.equal((await unwatched("pneumonia-separable-params", secondOnInput)).status, "failed");
    const noBatchNorm = (c: number, f: number, sep: boolean) => convBlockParams(c, f, sep) - 4 * f;
    assert.equal((await unwatched("pneumonia-separable-params", noBatchNorm)).status, "failed");
    const bnTrainableOnly = (c: number, f: number, sep: boolean) => convBlockParams(c, f, sep) - 2 * f;
    assert.equal((await unwatched("pneumonia-separable-params", bnTrainableOnly)).status, "failed");
  });

  it("the matrix from precision and recall names the wrong cells, never the right numbers", async () => {
    assert.equal((await unwatched("pneumonia-metric-meaning", matrixFromMetrics)).status, "passed");
    // Precision and recall swapped.
    const swapped = (p: number, r: number, pos: number, total: number) => matrixFromMetrics(r, p, pos, total);
    const report = await unwatched("pneumonia-metric-meaning", swapped);
    assert.equal(report.status, "failed");
    const keras = report.cases[0];
    assert.match(keras.message, /^VN, FP, FN, VP estão errados/);
    // The right Keras matrix is [[120, 114], [9, 381]]: none of its numbers appears in the message.
    for (const right of ["114", "381", "120"]) assert.ok(!keras.message.includes(right), keras.message);
    // FP taken as (1 - precision) of the positives, a plausible confusion.
    const fpFromPositives = (p: number, r: number, pos: number, total: number) => {
      const tp = Math.round(r * pos), fp = Math.round((1 - p) * pos);
      return [[total - pos - fp, fp], [pos - tp, tp]];
    };
    assert.equal((await unwatched("pneumonia-metric-meaning", fpFromPositives)).status, "failed");
    const unrounded = (p: number, r: number, pos: number, total: number) => matrixFromMetrics(p, r, pos, total).map((row) => row.map((v) => v + 0.4));
    assert.match((await unwatched("pneumonia-metric-meaning", unrounded)).cases[0].message, /arredonde com Math.round/);
  });

  it("has hidden cases for every exercise, valid as JSON cases, none repeating a public case", () => {
    const hidden = loadHiddenCases("09-pneumonia");
    assert.deepEqual(Object.keys(hidden).sort(), [
      "pneumonia-architecture", "pneumonia-class-weights", "pneumonia-conv-block", "pneumonia-count-classes", "pneumonia-dense-block",
      "pneumonia-dropouts", "pneumonia-metric-meaning", "pneumonia-precision-recall", "pneumonia-separable-params",
    ]);
    for (const [id, cases] of Object.entries(hidden)) {
      const key = (c: { args?: unknown; input?: unknown }) => JSON.stringify(c.args ?? c.input);
      const publicKeys = new Set(getExercise(id).cases().map(key));
      for (const c of cases) assert.ok(!publicKeys.has(key(c)), `${id}: hidden case "${c.name}" repeats a public case`);
    }
  });
});
