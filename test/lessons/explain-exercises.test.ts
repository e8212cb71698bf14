// The exercises of notebook 10: the lib references pass every public and hidden case, and
// the plausible mistakes fail: Grad-CAM weights averaged over the wrong axis (or summed),
// the combination without its ReLU, a threshold chosen on the test split, ties broken the
// wrong way.
import { strict as assert } from "assert";
import { evaluate } from "../../lib/check";
import { combineMaps, channelWeights } from "../../lib/pneumonia/explain/gradcam";
import { chooseThreshold, countsAt, Scores } from "../../lib/pneumonia/explain/threshold";
import { metricsFromCounts } from "../../lib/pneumonia/training/metrics";
import { tinyNetGradients, tinyNetScore } from "../../lib/exercises/10-o-que-o-modelo-ve";
import { describeExerciseTrials } from "../helpers/exercise-trials";

type Volume = number[][][];
const NOTEBOOK = "10-o-que-o-modelo-ve";

/** Mean over the channels of each position: the wrong axis, gives [h][w] instead of [K]. */
const meanOverChannels = (grads: Volume): number[][] => grads.map((row) => row.map((cell) => cell.reduce((s, v) => s + v, 0) / cell.length));
/** Mean over the rows only: one weight per column and channel, [w][K]. */
const meanOverRows = (grads: Volume): number[][] => grads[0].map((_, c) => grads[0][0].map((__, k) => grads.reduce((s, row) => s + row[c][k], 0) / grads.length));
const noRelu = (maps: Volume, weights: number[]): number[][] => maps.map((row) => row.map((cell) => cell.reduce((s, v, k) => s + v * weights[k], 0)));
const onTest = (splits: { validation: Scores; test: Scores }, minRecall: number) => chooseThreshold({ validation: splits.test, test: splits.test }, minRecall);

describe("notebook 10 exercises (Grad-CAM and the threshold)", () => {
  describeExerciseTrials([
    { id: "gradcam-weights", notebook: NOTEBOOK, reference: channelWeights, mistake: meanOverChannels },
    { id: "gradcam-combine", notebook: NOTEBOOK, reference: combineMaps, mistake: noRelu },
    { id: "threshold-choice", notebook: NOTEBOOK, reference: chooseThreshold, mistake: onTest },
  ], { minPublic: 3, minHidden: 2 });

  it("catches the other wrong axis and a sum instead of a mean", async () => {
    const rows = await evaluate("gradcam-weights", meanOverRows);
    assert.equal(rows.status, "failed");
    assert.ok(rows.cases.every((c) => !c.passed || c.name.includes("1x1")), JSON.stringify(rows.cases));
    const summed = (g: Volume): number[] => channelWeights(g).map((a) => a * g.length * g[0].length);
    // Built on the reference (channelWeights): unwatched, as the trials run mistakes.
    assert.equal((await evaluate("gradcam-weights", summed, undefined, { watchReferences: false })).status, "failed");
  });

  it("has negative weighted sums in every combine case, so the ReLU matters everywhere", async () => {
    const report = await evaluate("gradcam-combine", noRelu);
    assert.equal(report.passed, 0, JSON.stringify(report.cases));
  });

  it("gets its Grad-CAM inputs from tf.grad: the gradient matches a finite difference of the score", () => {
    const [h, w, k, seed] = [4, 3, 2, 1];
    const { maps, grads } = tinyNetGradients(h, w, k, seed);
    assert.deepEqual([maps.length, maps[0].length, maps[0][0].length], [h, w, k]);
    assert.ok(grads.flat(2).some((g) => g > 0) && grads.flat(2).some((g) => g < 0), "gradients of both signs");
    const eps = 1e-3;
    const nudged = (i: number, j: number, c: number, d: number): number[][][] =>
      maps.map((row, r) => row.map((cell, col) => cell.map((v, ch) => (r === i && col === j && ch === c ? v + d : v))));
    for (const [i, j, c] of [[0, 0, 0], [1, 2, 1], [3, 1, 0], [2, 0, 1]]) {
      const numeric = (tinyNetScore(h, w, k, seed, nudged(i, j, c, eps)) - tinyNetScore(h, w, k, seed, nudged(i, j, c, -eps))) / (2 * eps);
      assert.ok(Math.abs(numeric - grads[i][j][c]) < 5e-3, `dA[${i}][${j}][${c}]: tf.grad ${grads[i][j][c]}, finite difference ${numeric}`);
    }
  });

  it("rejects a search that breaks precision ties towards the lower threshold", async () => {
    const lowerOnTies = (splits: { validation: Scores; test: Scores }, minRecall: number) => {
      const candidates = [...new Set(splits.validation.probabilities)].sort((a, b) => a - b);
      let best = { threshold: candidates[0], precision: -1, recall: 0 };
      for (const t of candidates) {
        const m = metricsFromCounts(countsAt(splits.validation, t));
        if (m.recall >= minRecall && m.precision > best.precision) best = { threshold: t, precision: m.precision, recall: m.recall };
      }
      const x = metricsFromCounts(countsAt(splits.test, best.threshold));
      return { threshold: best.threshold, validation: { precision: best.precision, recall: best.recall }, test: { precision: x.precision, recall: x.recall } };
    };
    const report = await evaluate("threshold-choice", lowerOnTies);
    assert.deepEqual(report.cases.filter((c) => !c.passed).map((c) => c.name), ["dois limiares com a mesma precisão: fique com o maior"]);
  });
});
