// Dense vs convolutional layers: parameter counts (against tf.layers), the connection
// picture, the forward timing and the position-sensitivity demonstration.
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import { relu } from "../../lib/lecture/activation";
import {
  connectionDiagram, convLayer, randomDenseLayer, shiftMismatch, shiftScores, timeForward,
} from "../../lib/lecture/connectivity";
import { convParams, denseParams } from "../../lib/lecture/parameters";
import { tfConvParams, tfDenseParams } from "../../lib/exercises/tf-reference";
import { studentOrReference } from "../../lib/check/fallback";
import { todo } from "../../lib/check/todo";
import { blankImage, CIRCLE_FILTER, drawPattern, NINE } from "../../lib/lecture/images";

describe("connectivity: dense vs convolutional", () => {
  before(async () => { await tf.ready(); });

  it("counts parameters like tf.layers", () => {
    for (const [i, u] of [[4, 3], [97, 5], [1, 1]]) assert.equal(denseParams(i, u), tfDenseParams(i, u));
    for (const [k, c, f] of [[3, 1, 1], [3, 3, 16], [5, 2, 7]]) assert.equal(convParams(k, c, f), tfConvParams(k, c, f));
    assert.equal(denseParams(180 * 180 * 3, 128), 12_441_728);
    assert.equal(convParams(3, 3, 16), 448);
    assert.equal(convParams([3, 5], 2, 4, false), 120);
    assert.throws(() => denseParams(0, 3), /inteiro >= 1/);
  });

  it("draws every dense connection and kernel-wide conv connections", () => {
    const fig = connectionDiagram(8, 3);
    const denseLines = fig.data[0] as { x: (number | null)[] };
    assert.equal(denseLines.x.length / 3, 8 * 6);
    const convTraces = fig.data.filter((t) => String(t.name ?? "").startsWith("peso"));
    assert.equal(convTraces.length, 3);
    assert.ok(convTraces.every((t) => (t.x as unknown[]).length / 3 === 6));
    assert.throws(() => connectionDiagram(2, 3), /maior que a entrada/);
  });

  it("times both layers with equal outputs and refuses absurd dense layers", async () => {
    const t = await timeForward(16, 1, 1, undefined, 2);
    assert.equal(t.convOutputs, 256);
    assert.equal(t.denseOutputs, 256);
    assert.equal(t.denseParams, 256 * 256 + 256);
    assert.equal(t.convParams, 10);
    assert.ok(t.denseMs > 0 && t.convMs > 0);
    await assert.rejects(timeForward(180, 3, 16), /GiB/);
  });

  it("a dense detector loses a shifted 9, the convolution finds it", () => {
    const { scores, images } = shiftScores(NINE, 12, 12, 1, 1, 3);
    assert.equal(images.length, 4);
    assert.ok(Math.abs(scores[0].dense - 1) < 1e-12);
    assert.ok(scores.every((s) => Math.abs(s.conv - 1) < 1e-12));
    assert.ok(scores.slice(1).every((s) => s.dense < 0.5), JSON.stringify(scores));
  });

  it("the convolution's output moves with the image; a dense layer's does not", () => {
    const img = drawPattern(blankImage(12, 12), NINE, 2, 2);
    assert.equal(shiftMismatch(convLayer(CIRCLE_FILTER), img, 2, 2, 1), 0);
    assert.ok(shiftMismatch(randomDenseLayer(12, 12, 5), img, 2, 2, 1) > 0.5);
  });

  it("studentOrReference falls back only for unfinished stubs", () => {
    const stub = (_x: number[][]): number[][] => todo();
    const reference = (m: number[][]): number[][] => relu(m);
    const wrapped = studentOrReference(stub, reference, "relu");
    assert.deepEqual(wrapped([[-1, 2]]), [[0, 2]]);
    const broken = studentOrReference((_m: number[][]): number[][] => { throw new RangeError("bug"); }, reference, "relu");
    assert.throws(() => broken([[1]]), /bug/);
  });
});
