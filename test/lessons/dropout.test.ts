// Dropout from scratch: masks follow the rate, seeds repeat them, inverted dropout keeps
// the mean, and inverted and classic dropout agree at inference. Also the seeded tfjs layer.
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import {
  checkDropoutRate, dropoutForward, dropoutInference, dropoutMask, dropoutMasks, meanTrainingOutput, zeroFraction,
} from "../../lib/lecture/dropout";
import { SeededDropout } from "../../lib/digits/seeded-dropout";
import { seededRandom } from "../../lib/common/random";

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

describe("dropout", () => {
  before(async () => { await tf.setBackend("cpu"); });

  for (const rate of [0.1, 0.2, 0.5, 0.7]) {
    it(`switches off about ${rate * 100}% of 100000 neurons`, () => {
      const mask = dropoutMask(100_000, rate, seededRandom(1));
      assert.ok(mask.every((m) => m === 0 || m === 1));
      // 5 standard deviations of a binomial proportion: sqrt(r(1-r)/n) <= 0.0016.
      assert.ok(Math.abs(zeroFraction(mask) - rate) < 0.008, `zero fraction ${zeroFraction(mask)}`);
    });
  }

  it("repeats the same masks for the same seed and draws new ones every iteration", () => {
    const a = dropoutMasks(50, 4, 0.5, 42), b = dropoutMasks(50, 4, 0.5, 42), c = dropoutMasks(50, 4, 0.5, 43);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    for (let i = 1; i < a.length; i++) assert.notDeepEqual(a[i], a[0], `iteration ${i} repeats iteration 0`);
  });

  it("inverted dropout zeroes the dropped neurons and scales the kept ones by 1/(1 - rate)", () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8];
    const { output, mask } = dropoutForward(x, 0.25, seededRandom(7));
    output.forEach((v, i) => assert.equal(v, mask[i] === 1 ? x[i] / 0.75 : 0));
    const classic = dropoutForward(x, 0.25, seededRandom(7), "classic");
    assert.deepEqual(classic.mask, mask);
    classic.output.forEach((v, i) => assert.equal(v, x[i] * mask[i]));
  });

  it("keeps the mean of a layer's activations (inverted dropout)", () => {
    const rng = seededRandom(9);
    const x = Array.from({ length: 50_000 }, () => 2 * rng());
    const { output } = dropoutForward(x, 0.5, seededRandom(10));
    assert.ok(Math.abs(mean(output) - mean(x)) / mean(x) < 0.02, `${mean(output)} vs ${mean(x)}`);
  });

  it("inverted (scale in training) and classic (scale at inference) dropout agree on average", () => {
    const x = [0.5, -1, 2, 3, 0, 1.5];
    const rate = 0.2, iterations = 20_000;
    const inverted = meanTrainingOutput(x, rate, iterations, 5, "inverted");
    const classic = meanTrainingOutput(x, rate, iterations, 5, "classic");
    const invertedInference = dropoutInference(x, rate, "inverted");
    const classicInference = dropoutInference(x, rate, "classic");
    assert.deepEqual(invertedInference, x);
    classicInference.forEach((v, i) => assert.ok(Math.abs(v - 0.8 * x[i]) < 1e-12));
    // Training average vs inference output, each way; then the two ways differ by the constant 1/(1 - rate).
    x.forEach((v, i) => {
      assert.ok(Math.abs(inverted[i] - invertedInference[i]) < 0.03 * Math.max(1, Math.abs(v)), `inverted ${i}`);
      assert.ok(Math.abs(classic[i] - classicInference[i]) < 0.03 * Math.max(1, Math.abs(v)), `classic ${i}`);
      assert.ok(Math.abs(classicInference[i] / 0.8 - invertedInference[i]) < 1e-12);
    });
  });

  it("rate 0 leaves everything on", () => {
    const x = [1, -2, 3];
    assert.deepEqual(dropoutForward(x, 0, seededRandom(1)).output, x);
  });

  it("rejects a rate outside [0, 1) with a clear message", () => {
    for (const bad of [1, -0.1, 1.5, Number.NaN]) assert.throws(() => checkDropoutRate(bad), /taxa de dropout deve estar em \[0, 1\)/);
    assert.throws(() => dropoutMask(-1, 0.2, seededRandom(1)), /length deve ser um inteiro >= 0/);
  });

  describe("SeededDropout (tfjs layer)", () => {
    it("draws a new mask at each training call, repeats across runs, and is the identity at inference", () => {
      const x = tf.ones([1, 400]);
      const layerA = new SeededDropout({ rate: 0.5, seed: 3 }), layerB = new SeededDropout({ rate: 0.5, seed: 3 });
      const a1 = (layerA.apply(x, { training: true }) as tf.Tensor).arraySync() as number[][];
      const a2 = (layerA.apply(x, { training: true }) as tf.Tensor).arraySync() as number[][];
      const b1 = (layerB.apply(x, { training: true }) as tf.Tensor).arraySync() as number[][];
      assert.notDeepEqual(a1, a2, "tf.layers.dropout({seed}) would repeat the same mask here");
      assert.deepEqual(a1, b1);
      assert.ok(a1[0].every((v) => v === 0 || Math.abs(v - 2) < 1e-6));
      assert.ok(Math.abs(zeroFraction(a1[0]) - 0.5) < 0.1);
      assert.deepEqual((layerA.apply(x) as tf.Tensor).arraySync(), x.arraySync());
      assert.throws(() => new SeededDropout({ rate: 1, seed: 0 }), /taxa de dropout/);
    });
  });
});
