// The exercises of notebooks 01-04: the lib reference passes every public and hidden case,
// a typical mistake fails with a message, and an untouched stub reports "not done yet".
import * as tf from "@tensorflow/tfjs";
import { relu } from "../lib/lecture/activation";
import { convParams, denseParams } from "../lib/lecture/parameters";
import { conv2d, outputSize, windowAt, windowProductSum, zeroPad, Matrix } from "../lib/lecture/convolution";
import { findPeaks } from "../lib/lecture/detection";
import { CIRCLE_FILTER, NINE } from "../lib/lecture/images";
import { describeExerciseTrials, ExerciseTrial } from "./exercise-trials";

const flip = (k: Matrix): Matrix => k.slice().reverse().map((r) => r.slice().reverse());

const trials: ExerciseTrial[] = [
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
  describeExerciseTrials(trials, { message: /esperado|queremos|esperava|use só/ });
});
