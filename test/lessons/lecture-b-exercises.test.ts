// The exercises of notebooks 05-07: the lib reference passes every public and hidden case,
// a typical mistake fails with a Portuguese message, and an untouched stub reports "not done";
// and the dropout exercise's property checks catch each kind of wrong mask.
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import { conv2dChannels, Matrix, Volume } from "../../lib/lecture/convolution";
import { dropoutForward } from "../../lib/lecture/dropout";
import { evaluate } from "../../lib/check/check";
import { avgPool2d, maxPool2d } from "../../lib/lecture/pooling";
import { cnnParams, denseParamsAfterPooling } from "../../lib/lecture/parameters";
import { Rng, shuffled } from "../../lib/common/random";
import { dropoutCase } from "../../lib/exercises/07-dropout";
import { unflatten } from "../../lib/exercises/06-filtros-3d-cnn";
import { describeExerciseTrials, ExerciseTrial } from "../helpers/exercise-trials";

/** A dropout that draws with Math.random() instead of the given generator. */
const mathRandomDropout = (x: number[], rate: number): { output: number[]; mask: number[] } => {
  const mask = x.map(() => (Math.random() < rate ? 0 : 1));
  return { output: x.map((v, i) => (mask[i] ? v / (1 - rate) : 0)), mask };
};

/** A dropout that drops exactly round(rate * n) neurons, chosen by shuffling with the given generator. */
const shuffledDropout = (x: number[], rate: number, random: Rng): { output: number[]; mask: number[] } => {
  const dropped = new Set(shuffled(x.map((_, i) => i), random).slice(0, Math.round(rate * x.length)));
  const mask = x.map((_, i) => (dropped.has(i) ? 0 : 1));
  return { output: x.map((v, i) => (mask[i] ? v / (1 - rate) : 0)), mask };
};

/** References written the way a student would, from the lib's pieces. */
const conv2dMultiChannel = (input: Volume, filter: Volume, stride: number): Matrix =>
  conv2dChannels(input, [filter], stride).map((row) => row.map((px) => px[0]));
// Plausible wrong ways back from Flatten (written without the course's reference).
const byIndex = (rows: number, cols: number, channels: number, at: (r: number, c: number, ch: number) => number): Volume =>
  Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => Array.from({ length: channels }, (_, ch) => at(r, c, ch))));

const trials: ExerciseTrial[] = [
  { id: "max-pool", notebook: "05-pooling", reference: maxPool2d,
    // Forgets the step: always moves one cell.
    mistake: (m: Matrix, size: number) => maxPool2d(m, size, 1) },
  { id: "avg-pool", notebook: "05-pooling", reference: avgPool2d,
    // Divides by the window side instead of the number of cells.
    mistake: (m: Matrix, size: number, stride: number) => avgPool2d(m, size, stride).map((r) => r.map((v) => v * size)) },
  { id: "pooled-dense-params", notebook: "05-pooling", reference: denseParamsAfterPooling,
    // Forgets the biases.
    mistake: (r: number, c: number, ch: number, p: number, s: number, u: number) => denseParamsAfterPooling(r, c, ch, p, s, u) - u },
  { id: "conv-multichannel", notebook: "06-filtros-3d-cnn", reference: conv2dMultiChannel,
    // Uses only the first channel.
    mistake: (input: Volume, filter: Volume, stride: number) =>
      conv2dMultiChannel(input.map((r) => r.map((px) => [px[0]])), filter.map((r) => r.map((px) => [px[0]])), stride) },
  { id: "unflatten", notebook: "06-filtros-3d-cnn", reference: unflatten,
    // Channels first (PyTorch's order for N x C x H x W): map by map instead of pixel by pixel.
    mistake: (v: number[], rows: number, cols: number, channels: number) => byIndex(rows, cols, channels, (r, c, ch) => v[(ch * rows + r) * cols + c]),
    moreMistakes: {
      "column by column (column-major pixels)": (v: number[], rows: number, cols: number, channels: number) =>
        byIndex(rows, cols, channels, (r, c, ch) => v[(c * rows + r) * channels + ch]),
      "rows and columns swapped (cols x rows)": (v: number[], rows: number, cols: number, channels: number) =>
        byIndex(cols, rows, channels, (r, c, ch) => v[(r * rows + c) * channels + ch]),
    } },
  { id: "cnn-params", notebook: "06-filtros-3d-cnn", reference: cnnParams,
    // Counts the Dense layer on the map before pooling.
    mistake: (size: number, channels: number, filters: number, k: number, _pool: number, classes: number) =>
      cnnParams(size, channels, filters, k, 1, classes) },
  { id: "dropout-forward", notebook: "07-dropout", reference: dropoutForward,
    // Forgets to divide by (1 - rate).
    mistake: (x: number[], rate: number, random: Rng) => dropoutForward(x, rate, random, "classic"),
    moreMistakes: { "draws with Math.random()": mathRandomDropout, "drops exactly round(rate * n) by shuffling": shuffledDropout } },
];

describe("lecture exercises (notebooks 05-07)", () => {
  before(async () => { await tf.setBackend("cpu"); });

  describeExerciseTrials(trials, { message: /esperado|deveria|deve|varia/, minPublic: 3, minHidden: 2 });

  describe("dropout-forward catches each wrong mask", () => {
    const failures = async (fn: unknown): Promise<string> =>
      (await evaluate("dropout-forward", fn, undefined, { watchReferences: false })).cases.filter((c) => !c.passed).map((c) => c.message).join("\n");

    it("Math.random() instead of the given random: the same seed gives another mask", async () => {
      assert.match(await failures(mathRandomDropout), /mesma semente, a máscara deveria ser a mesma/);
    });

    it("exactly round(rate * n) dropped: the count never varies", async () => {
      const message = await failures(shuffledDropout);
      assert.match(message, /variância 0,00/);
      // Only the spread case catches it: the rate, the mean and fresh masks all look right.
      const report = await evaluate("dropout-forward", shuffledDropout);
      assert.deepEqual(report.cases.filter((c) => !c.passed).map((c) => c.name), [report.cases[report.cases.length - 1].name]);
    });

    it("the spread check passes the reference on other seeds too", async () => {
      for (const seed of [1, 2, 3, 4, 5]) {
        const spread = dropoutCase(`semente ${seed}`, 20, 0.5, seed, { rateTolerance: 0, meanTolerance: 0, masksDiffer: true }, 300);
        const report = await evaluate("dropout-forward", (x: number[], rate: number, random: Rng) => dropoutForward(x, rate, random), [spread], { watchReferences: false });
        assert.equal(report.status, "passed", JSON.stringify(report.cases));
      }
    });

    it("the same neurons dropped at every iteration", async () => {
      const fixed = (x: number[], rate: number) => {
        const mask = x.map((_, i) => ((i * 7919) % 100 < rate * 100 ? 0 : 1));
        return { output: x.map((v, i) => (mask[i] ? v / (1 - rate) : 0)), mask };
      };
      assert.match(await failures(fixed), /mesmos neurônios/);
    });

    it("a mask that keeps neurons with probability `rate` instead of 1 - rate", async () => {
      const inverted = (x: number[], rate: number, random: Rng) => {
        const mask = x.map(() => (random() < rate ? 1 : 0));
        return { output: x.map((v, i) => (mask[i] ? v / (1 - rate) : 0)), mask };
      };
      assert.match(await failures(inverted), /fração de neurônios desligados deveria ficar perto da taxa/);
    });

    it("a mask reported but not applied to the right neurons", async () => {
      const shifted = (x: number[], rate: number, random: Rng) => {
        const { output, mask } = dropoutForward(x, rate, random);
        return { output, mask: [...mask.slice(1), mask[0]] };
      };
      assert.match(await failures(shifted), /o neurônio \d+ foi (desligado|mantido)/);
    });
  });
});
