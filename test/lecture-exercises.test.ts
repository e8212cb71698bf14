// The exercises of notebooks 01-04: the lib reference passes every public and hidden case,
// a typical mistake fails with a message, and an untouched stub reports "not done yet".
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import { relu } from "../lib/activation";
import { convParams, denseParams } from "../lib/connectivity";
import { conv2d, outputSize, windowAt, windowProductSum, zeroPad, Matrix } from "../lib/convolution";
import { findPeaks } from "../lib/detection";
import { evaluate } from "../lib/grading/check";
import { getExercise } from "../lib/grading/registry";
import { todo } from "../lib/grading/todo";
import { CIRCLE_FILTER, NINE } from "../lib/lecture-images";
import { loadHiddenCases } from "../grading/hidden-cases";

const flip = (k: Matrix): Matrix => k.slice().reverse().map((r) => r.slice().reverse());

interface Trial { id: string; notebook: string; reference: unknown; mistake: unknown }

const trials: Trial[] = [
  { id: "dense-params", notebook: "01-conectividade", reference: denseParams, mistake: (i: number, u: number) => i * u },
  { id: "conv-params", notebook: "01-conectividade", reference: convParams, mistake: (k: number, _c: number, f: number) => k * k * f + f },
  { id: "apply-filter-at", notebook: "02-filtros-convolucao", reference: windowProductSum,
    mistake: (img: Matrix, k: Matrix, r: number, c: number) => windowProductSum(img, flip(k), r, c) },
  { id: "convolve", notebook: "02-filtros-convolucao", reference: (img: Matrix, k: Matrix) => conv2d(img, k), mistake: (img: Matrix, k: Matrix) => conv2d(img, flip(k)) },
  { id: "output-size", notebook: "03-passo-preenchimento-relu", reference: outputSize,
    mistake: (n: number, k: number, s: number, p: number) => Math.ceil((n + 2 * p - k) / s) + 1 },
  { id: "zero-pad", notebook: "03-passo-preenchimento-relu", reference: zeroPad, mistake: (img: Matrix, p: number) => zeroPad(img, [0, p, 0, p]) },
  { id: "conv2d", notebook: "03-passo-preenchimento-relu", reference: conv2d, mistake: (img: Matrix, k: Matrix, _s: number, p: number) => conv2d(img, k, 1, p) },
  { id: "relu", notebook: "03-passo-preenchimento-relu", reference: relu, mistake: (m: Matrix) => m.map((r) => r.map(Math.abs)) },
  { id: "find-peaks", notebook: "04-outros-filtros-olhos", reference: findPeaks,
    mistake: (m: Matrix, t: number) => findPeaks(m, t).map(([r, c]) => [c, r]) },
  { id: "corner-filter", notebook: "04-outros-filtros-olhos", reference: () => windowAt(NINE, 0, 0, 3, 3), mistake: () => CIRCLE_FILTER },
];

describe("lecture exercises (notebooks 01-04)", () => {
  before(async () => { await tf.ready(); });

  for (const t of trials) {
    describe(t.id, () => {
      it("the lib reference passes every public case", async () => {
        const report = await evaluate(t.id, t.reference);
        assert.equal(report.status, "passed", JSON.stringify(report.cases.filter((c) => !c.passed)));
        assert.ok(report.total >= 1);
        assert.equal(getExercise(t.id).notebook, t.notebook);
      });

      it("the lib reference passes every hidden case", async () => {
        const hidden = loadHiddenCases(t.notebook)[t.id];
        assert.ok(hidden && hidden.length >= 1, `hidden cases for ${t.id}`);
        const report = await evaluate(t.id, t.reference, hidden);
        assert.equal(report.status, "passed", JSON.stringify(report.cases.filter((c) => !c.passed)));
      });

      it("a typical mistake fails with a Portuguese message", async () => {
        const report = await evaluate(t.id, t.mistake);
        assert.equal(report.status, "failed");
        const failed = report.cases.filter((c) => !c.passed);
        assert.ok(failed.length >= 1 && failed.every((c) => /esperado|queremos|esperava|use só/.test(c.message)), JSON.stringify(failed));
      });

      it("an untouched stub reports not done", async () => {
        const report = await evaluate(t.id, () => todo());
        assert.equal(report.status, "not-done");
      });
    });
  }
});
