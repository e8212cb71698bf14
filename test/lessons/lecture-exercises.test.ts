// The exercises of notebooks 01-04: the lib reference passes every public and hidden case,
// each plausible mistake fails with a message, and an untouched stub reports "not done yet"
// (or, for an exercise that calls an unfinished helper, names that helper).
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import { relu } from "../../lib/lecture/activation";
import { convParams, denseParams } from "../../lib/lecture/parameters";
import { conv2d, outputSize, windowProductSum, zeroPad, Matrix } from "../../lib/lecture/convolution";
import { findPeaks } from "../../lib/lecture/detection";
import { evaluate } from "../../lib/check/check";
import { studentOrReference } from "../../lib/check/fallback";
import { todo } from "../../lib/check/todo";
import { maxMismatches } from "../../lib/exercises/04-outros-filtros-olhos";
import { describeExerciseTrials, ExerciseTrial } from "../helpers/exercise-trials";

const flip = (k: Matrix): Matrix => k.slice().reverse().map((r) => r.slice().reverse());

/** A conv2d written for k x k filters: it reads the filter's size from its number of rows only. */
function squareKernelConv2d(image: Matrix, kernel: Matrix, stride: number, padding: number): Matrix {
  const k = kernel.length;
  const padded = zeroPad(image, padding);
  const rows = outputSize(image.length, k, stride, padding), cols = outputSize(image[0].length, k, stride, padding);
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => {
    let sum = 0;
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) sum += padded[i * stride + a][j * stride + b] * kernel[a][b];
    return sum;
  }));
}

const trials: ExerciseTrial[] = [
  { id: "dense-params", notebook: "01-conectividade", reference: denseParams, mistake: (i: number, u: number) => i * u },
  { id: "conv-params", notebook: "01-conectividade", reference: convParams, mistake: (k: number, _c: number, f: number) => k * k * f + f },
  { id: "apply-filter-at", notebook: "02-filtros-convolucao", reference: windowProductSum,
    mistake: (img: Matrix, k: Matrix, r: number, c: number) => windowProductSum(img, flip(k), r, c) },
  { id: "convolve", notebook: "02-filtros-convolucao", reference: (img: Matrix, k: Matrix) => conv2d(img, k), mistake: (img: Matrix, k: Matrix) => conv2d(img, flip(k)),
    moreMistakes: { "assumes a square filter": (img: Matrix, k: Matrix) => squareKernelConv2d(img, k, 1, 0) } },
  { id: "output-size", notebook: "03-passo-preenchimento-relu", reference: outputSize,
    mistake: (n: number, k: number, s: number, p: number) => Math.ceil((n + 2 * p - k) / s) + 1 },
  { id: "zero-pad", notebook: "03-passo-preenchimento-relu", reference: zeroPad, mistake: (img: Matrix, p: number) => zeroPad(img, [0, p, 0, p]) },
  { id: "conv2d", notebook: "03-passo-preenchimento-relu", reference: conv2d, mistake: (img: Matrix, k: Matrix, _s: number, p: number) => conv2d(img, k, 1, p),
    moreMistakes: { "assumes a square filter (kRows x kRows)": squareKernelConv2d } },
  { id: "relu", notebook: "03-passo-preenchimento-relu", reference: relu, mistake: (m: Matrix) => m.map((r) => r.map(Math.abs)) },
  { id: "find-peaks", notebook: "04-outros-filtros-olhos", reference: findPeaks,
    mistake: (m: Matrix, t: number) => findPeaks(m, t).map(([r, c]) => [c, r]) },
  { id: "max-mismatches", notebook: "04-outros-filtros-olhos", reference: maxMismatches,
    // The formula solved for m, floored: n (1 - t) / 2 lands just under an integer when t is a map value (13/15, 5/9).
    mistake: (f: Matrix, t: number) => Math.max(-1, Math.min(f.length * f[0].length, Math.floor(f.length * f[0].length * (1 - t) / 2))),
    moreMistakes: {
      "a disagreeing pixel costs 1 instead of 2": (f: Matrix, t: number) => {
        const n = f.length * f[0].length;
        for (let m = n; m >= 0; m--) if ((n - m) / n >= t) return m;
        return -1;
      },
      "strictly above the threshold (> instead of >=)": (f: Matrix, t: number) => {
        const n = f.length * f[0].length;
        for (let m = n; m >= 0; m--) if ((n - 2 * m) / n > t) return m;
        return -1;
      },
      "never -1 (a threshold above 1 still tolerates 0)": (f: Matrix, t: number) => {
        const n = f.length * f[0].length;
        for (let m = n; m >= 0; m--) if ((n - 2 * m) / n >= t) return m;
        return 0;
      },
      "rounds up (ceil)": (f: Matrix, t: number) => Math.min(f.length * f[0].length, Math.ceil(f.length * f[0].length * (1 - t) / 2)),
    } },
];

describe("lecture exercises (notebooks 01-04)", () => {
  before(async () => { await tf.ready(); });
  describeExerciseTrials(trials, { message: /esperado/ });

  describe("an exercise that calls an unfinished helper names it", () => {
    it("conv2d written, zeroPad still todo(): the check says zeroPad is missing", async () => {
      function zeroPad(_image: Matrix, _p: number): Matrix { return todo(); }
      const conv = (image: Matrix, kernel: Matrix, stride: number, padding: number): Matrix => conv2d(zeroPad(image, padding), kernel, stride, 0);
      const report = await evaluate("conv2d", conv);
      assert.equal(report.status, "not-done");
      assert.match(report.summary, /chama `zeroPad`, que ainda é `todo\(\)`/);
    });

    it("convolve written, applyFilterAt still todo(): the check says applyFilterAt is missing", async () => {
      function applyFilterAt(_i: Matrix, _k: Matrix, _r: number, _c: number): number { return todo(); }
      function convolve(image: Matrix, kernel: Matrix): Matrix { return [[applyFilterAt(image, kernel, 0, 0)]]; }
      const report = await evaluate("convolve", convolve);
      assert.match(report.summary, /`convolve` chama `applyFilterAt`/);
    });

    it("a teaching cell's fallback finds the reference by exercise id and names the unfinished helper", () => {
      function applyFilterAt(_i: Matrix, _k: Matrix, _r: number, _c: number): number { return todo(); }
      function convolve(image: Matrix, kernel: Matrix): Matrix { return [[applyFilterAt(image, kernel, 0, 0)]]; }
      const lines: string[] = [];
      const log = console.log;
      console.log = (line: string) => { lines.push(line); };
      try {
        const mine = studentOrReference(convolve, "convolve");
        assert.deepEqual(mine([[1, 2], [3, 4]], [[1, 0], [0, 1]]), conv2d([[1, 2], [3, 4]], [[1, 0], [0, 1]]));
      } finally {
        console.log = log;
      }
      assert.match(lines.join("\n"), /convolve chama applyFilterAt, que ainda não foi feito/);
      assert.throws(() => studentOrReference(convolve, "no-such-exercise"), /Exercício desconhecido/);
      // Real errors are not hidden behind the reference.
      assert.throws(() => studentOrReference((): Matrix => { throw new RangeError("bug"); }, "convolve")(), /bug/);
    });

    it("the exercise's own stub still says not done", async () => {
      function conv2d(_i: Matrix, _k: Matrix, _s: number, _p: number): Matrix { return todo(); }
      const report = await evaluate("conv2d", conv2d);
      assert.match(report.summary, /ainda não feito/);
    });
  });
});
