// Notebook 11 (backpropagation by hand): the from-scratch backward passes agree with tf.grad
// and with centered differences, the tie rule matches tfjs' cpu backend, the teaching-cell
// checks report small errors for the references and large ones for a mistake, and each
// exercise's cases catch the plausible mistakes (test/lessons/lesson11-mistakes.ts).
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { batchNormBackward, convBackward, dropoutBackward, gradientCheck, maxPoolBackward, numericGradient } from "../../lib/lecture/backward";
import {
  checkBatchNormBackward, checkConvBackward, checkDropoutBackward, checkMaxPoolBackward, flatNumbers, maxPoolTieGradient,
} from "../../lib/lecture/gradient-checks";
import { tfMaxPoolGradient } from "../../lib/exercises/tf-gradients";
import { RELU_MAP, TIE_MAP } from "../../lib/exercises/11-retropropagacao";
import { describeExerciseTrials } from "../helpers/exercise-trials";
import { bnNoMeanVarianceTerms, lesson11Trials, poolSpreadWholeWindow } from "./lesson11-mistakes";

describe("lesson 11: backward passes from scratch", () => {
  before(async () => { await tf.setBackend("cpu"); });

  it("each layer's gradients agree with tf.grad within 1e-5 and with centered differences within 1e-7", () => {
    const rows = [
      ...checkConvBackward(convBackward, gradientCheck),
      ...checkMaxPoolBackward(maxPoolBackward, gradientCheck),
      ...checkDropoutBackward(dropoutBackward, gradientCheck),
      ...checkBatchNormBackward(batchNormBackward, gradientCheck),
    ];
    assert.equal(rows.length, 9);
    for (const r of rows) {
      assert.ok(r.tfMaxDiff < 1e-5, `${r.layer} ${r.gradient}: tf.grad differs by ${r.tfMaxDiff}`);
      assert.ok(r.relativeError < 1e-7, `${r.layer} ${r.gradient}: relative error ${r.relativeError}`);
    }
  });

  it("the checks flag a wrong backward pass: BN without the mean and variance terms, max pool spread over the window", () => {
    const bn = checkBatchNormBackward(bnNoMeanVarianceTerms, gradientCheck).find((r) => r.gradient === "dx");
    assert.ok(bn && bn.relativeError > 1e-2 && bn.tfMaxDiff > 1e-2, JSON.stringify(bn));
    const pool = checkMaxPoolBackward(poolSpreadWholeWindow, gradientCheck);
    assert.ok(pool.every((r) => r.relativeError > 0.5 && r.tfMaxDiff > 0.1), JSON.stringify(pool));
  });

  it("on ties tfjs' cpu backend gives the whole gradient to the first maximum in reading order, like the reference", () => {
    const tie = maxPoolTieGradient();
    assert.deepEqual(tie.gradient, [[0, 1], [0, 0]]);
    assert.match(tie.rule, /primeiro máximo/);
    for (const [x, stride] of [[TIE_MAP, 2], [TIE_MAP, 1], [RELU_MAP, 1]] as const) {
      const rows = Math.floor((x.length - 2) / stride) + 1, cols = Math.floor((x[0].length - 2) / stride) + 1;
      const dout = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => 1 + i * cols + j));
      assert.deepEqual(maxPoolBackward(dout, x.map((r) => r.slice()), 2, stride), tfMaxPoolGradient(dout, x.map((r) => r.slice()), 2, stride));
    }
  });

  it("on ties tfjs' own wasm kernel gives it to the LAST maximum, the course's wasm engine to the first (fresh processes)", function () {
    this.timeout(120000);
    const tieIn = (setup: string): number[][] => {
      const script = `${setup}.then(() => console.error("TIE " + JSON.stringify(require("./lib/lecture/gradient-checks").maxPoolTieGradient().gradient)))`;
      const run = spawnSync(process.execPath, ["--require", "tsx/cjs", "-e", script], { cwd: path.join(__dirname, "..", ".."), encoding: "utf8" });
      const line = run.stderr.split("\n").find((l) => l.startsWith("TIE "));
      assert.ok(line, run.stderr);
      return JSON.parse(line.slice(4)) as number[][];
    };
    const plainWasm = 'require("@tensorflow/tfjs-backend-wasm"); const tf = require("@tensorflow/tfjs"); tf.setBackend("wasm")';
    assert.deepEqual(tieIn(plainWasm), [[0, 0], [1, 0]]);
    assert.deepEqual(tieIn('require("cnn-course-engine").initEngine({ backend: "wasm", quiet: true })'), [[0, 1], [0, 0]]);
  });

  it("centered differences are O(h^2): on x^3 the error at h = 1e-3 is h^2 = 1e-6, one-sided would be 3e-3", () => {
    const numeric = numericGradient((x) => x[0] ** 3, [1], 1e-3)[0];
    assert.ok(Math.abs(numeric - 3 - 1e-6) < 1e-9, String(numeric - 3));
  });

  it("the numeric check leaves x as it found it", () => {
    const x = [0.3, -0.2, 1.7];
    numericGradient((v) => v.reduce((s, e) => s + e * e, 0), x, 1e-5);
    assert.deepEqual(x, [0.3, -0.2, 1.7]);
    assert.deepEqual(flatNumbers([[1, [2]], [3]]), [1, 2, 3]);
  });
});

describe("lesson 11: exercise trials", () => {
  before(async () => { await tf.setBackend("cpu"); });
  describeExerciseTrials(lesson11Trials, { minPublic: 3, minHidden: 2 });
});
