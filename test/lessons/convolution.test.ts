// The from-scratch convolution against the output size formula, hand-checkable
// cases and TensorFlow.js itself (tf.conv2d) on seeded random inputs.
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import { conv2d, conv2dChannels, outputSize, samePads, zeroPad, windowAt, Padding, Volume } from "../../lib/lecture/convolution";
import { randomMatrix, seededRandom } from "../../lib/common/random";
import { tfConv2d, tfConv2dChannels } from "../../lib/exercises/tf-reference";

function maxAbsDiff(a: number[], b: number[]): number {
  assert.equal(a.length, b.length, "same number of values");
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

describe("convolution", () => {
  before(async () => { await tf.ready(); });

  it("outputSize follows floor((n + 2p - k) / s) + 1", () => {
    assert.equal(outputSize(7, 3), 5);
    assert.equal(outputSize(5, 3), 3);
    assert.equal(outputSize(7, 3, 2), 3);
    assert.equal(outputSize(7, 3, 1, 1), 7);
    assert.equal(outputSize(180, 3, 2, 1), 90);
    assert.equal(outputSize(6, 3, 2), 2);
    assert.throws(() => outputSize(2, 3), /maior que a entrada/);
    assert.throws(() => outputSize(7, 3, 0), /passo/);
    assert.throws(() => outputSize(7, 3, 1, -1), /preenchimento/);
  });

  it("zeroPad surrounds the image with zeros, evenly or per side", () => {
    assert.deepEqual(zeroPad([[1, 2], [3, 4]], 1), [[0, 0, 0, 0], [0, 1, 2, 0], [0, 3, 4, 0], [0, 0, 0, 0]]);
    assert.deepEqual(zeroPad([[5]], [0, 1, 2, 0]), [[0, 0, 5], [0, 0, 0]]);
    assert.throws(() => zeroPad([[1]], -1), /inteiro >= 0/);
  });

  it("conv2d sums elementwise products without flipping the filter", () => {
    const image = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
    assert.deepEqual(conv2d(image, [[1, 0], [0, 0]]), [[1, 2], [4, 5]]);
    assert.deepEqual(conv2d(image, [[0, 1], [-1, 0]]), [[-2, -2], [-2, -2]]);
    assert.deepEqual(conv2d(image, [[1, 1, 1], [1, 1, 1], [1, 1, 1]], 1, 1), [[12, 21, 16], [27, 45, 33], [24, 39, 28]]);
  });

  it("gives the shapes of the formula for strides and paddings", () => {
    const rng = seededRandom(3);
    for (const [n, m, k, s, p] of [[7, 5, 3, 1, 0], [7, 5, 3, 2, 0], [7, 5, 3, 2, 1], [9, 9, 3, 3, 0], [10, 6, 4, 2, 2]]) {
      const out = conv2d(randomMatrix(n, m, rng), randomMatrix(k, k, rng), s, p);
      assert.deepEqual([out.length, out[0].length], [outputSize(n, k, s, p), outputSize(m, k, s, p)], `n=${n} m=${m} k=${k} s=${s} p=${p}`);
    }
    assert.deepEqual(samePads(7, 3, 1), [1, 1]);
    assert.deepEqual(samePads(6, 3, 2), [0, 1]);
    const same = conv2d(randomMatrix(7, 5, rng), randomMatrix(3, 3, rng), 1, "same");
    assert.deepEqual([same.length, same[0].length], [7, 5]);
  });

  it("equals tf.conv2d within 1e-5 on seeded random inputs (valid and same, strides 1-3)", () => {
    const rng = seededRandom(42);
    let cases = 0;
    for (const padding of ["valid", "same"] as const) {
      for (const stride of [1, 2, 3]) {
        for (const [rows, cols, k] of [[7, 5, 3], [12, 9, 3], [11, 11, 5], [8, 13, 2]]) {
          const image = randomMatrix(rows, cols, rng, -2, 2), kernel = randomMatrix(k, k, rng, -1, 1);
          const mine = conv2d(image, kernel, stride, padding), theirs = tfConv2d(image, kernel, stride, padding);
          assert.deepEqual([mine.length, mine[0].length], [theirs.length, theirs[0].length], `${padding} s=${stride} ${rows}x${cols} k=${k}`);
          assert.ok(maxAbsDiff(mine.flat(), theirs.flat()) < 1e-5, `${padding} s=${stride} ${rows}x${cols} k=${k}`);
          cases++;
        }
      }
    }
    assert.equal(cases, 24);
  });

  it("numeric padding equals tf.conv2d on the zero-padded image", () => {
    const rng = seededRandom(9);
    const image = randomMatrix(6, 8, rng), kernel = randomMatrix(3, 3, rng);
    const mine = conv2d(image, kernel, 2, 2 as Padding);
    const theirs = tfConv2d(zeroPad(image, 2), kernel, 2, "valid");
    assert.ok(maxAbsDiff(mine.flat(), theirs.flat()) < 1e-5);
  });

  it("conv2dChannels equals tf.conv2d with a [k, k, C, F] kernel and adds the bias", () => {
    const rng = seededRandom(7);
    const [rows, cols, channels, k, nFilters] = [9, 7, 3, 3, 2];
    const input: Volume = Array.from({ length: rows }, () => Array.from({ length: cols }, () => Array.from({ length: channels }, () => rng() * 2 - 1)));
    const filters: Volume[] = Array.from({ length: nFilters }, () =>
      Array.from({ length: k }, () => Array.from({ length: k }, () => Array.from({ length: channels }, () => rng() * 2 - 1))));
    for (const [stride, padding] of [[1, "valid"], [2, "same"]] as const) {
      const mine = conv2dChannels(input, filters, stride, padding, [0.5, -1]);
      const theirs = tfConv2dChannels(input, filters, stride, padding, [0.5, -1]);
      assert.deepEqual([mine.length, mine[0].length, mine[0][0].length], [theirs.length, theirs[0].length, nFilters]);
      assert.ok(maxAbsDiff(mine.flat(2), theirs.flat(2)) < 1e-5, `stride ${stride} ${padding}`);
    }
    assert.throws(() => conv2dChannels(input, [[[[1, 1]]]]), /2 canais, mas a entrada tem 3/);
  });

  it("rejects bad input with a message that says what to fix", () => {
    assert.throws(() => conv2d([], [[1]]), /matriz não vazia/);
    assert.throws(() => conv2d([[1, 2], [3]], [[1]]), /linha 1 tem 1 colunas/);
    assert.throws(() => conv2d([[1, 2]], [[1, 1], [1, 1]]), /maior que a imagem/);
    assert.throws(() => conv2d([[1, 2]], [[1]], 1.5), /passo/);
    assert.throws(() => windowAt([[1, 2]], 0, 1, 1, 2), /sai da imagem/);
  });
});
