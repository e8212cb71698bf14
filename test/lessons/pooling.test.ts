// Pooling from scratch against TensorFlow.js, on the lecture's "9" and on seeded random maps.
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import { relu } from "../../lib/lecture/activation";
import { featureMap } from "../../lib/lecture/detection";
import { CIRCLE_FILTER, NINE } from "../../lib/lecture/images";
import { avgPool2d, describePoolingWindows, maxPool2d, maxPoolSources, pool2d, pool2dChannels } from "../../lib/lecture/pooling";
import { randomMatrix, seededRandom } from "../../lib/common/random";
import { Matrix, Volume } from "../../lib/lecture/convolution";
import { tfPool2d, tfPoolVolume } from "../../lib/exercises/tf-reference";

function assertClose(actual: Matrix, expected: Matrix, tol = 1e-5): void {
  assert.deepEqual([actual.length, actual[0]?.length], [expected.length, expected[0]?.length], "shape");
  actual.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - expected[i][j]) <= tol, `[${i}][${j}]: ${v} vs ${expected[i][j]}`)));
}

describe("pooling", () => {
  before(async () => { await tf.setBackend("cpu"); });

  it("pools the ReLU'd map of the 9 as the slides: 2x2 step 1 gives 4x2, step 2 gives 2x1", () => {
    const map = relu(featureMap(NINE, CIRCLE_FILTER));
    // Rows 0-1 of the map hold the loop of the 9: 1 (perfect match) and 1/9.
    assert.deepEqual(map[0].map((v) => Number(v.toFixed(4))), [0, 1, 0]);
    const step1 = maxPool2d(map, 2, 1);
    assert.deepEqual([step1.length, step1[0].length], [4, 2]);
    assert.deepEqual(step1[0], [1, 1]);
    const step2 = maxPool2d(map, 2, 2);
    assert.deepEqual([step2.length, step2[0].length], [2, 1]);
    assert.equal(step2[0][0], 1);
    assertClose(step1, tfPool2d(map, 2, 1, "max"));
    assertClose(avgPool2d(map, 2, 2), tfPool2d(map, 2, 2, "average"));
  });

  const shapes: [number, number, number, number][] = [[6, 6, 2, 2], [7, 9, 3, 2], [4, 5, 2, 1], [5, 5, 2, 2], [8, 3, 3, 1], [10, 10, 4, 3], [3, 3, 1, 1]];
  for (const [rows, cols, size, stride] of shapes) {
    it(`max and average pooling equal tf.maxPool / tf.avgPool on a random ${rows}x${cols} map, window ${size}, step ${stride}`, () => {
      const map = randomMatrix(rows, cols, seededRandom(rows * 100 + cols * 10 + size + stride), -5, 5);
      assertClose(maxPool2d(map, size, stride), tfPool2d(map, size, stride, "max"));
      assertClose(avgPool2d(map, size, stride), tfPool2d(map, size, stride, "average"));
    });
  }

  it("uses the window size as the default step (no overlap)", () => {
    const map = randomMatrix(6, 4, seededRandom(3));
    assert.deepEqual(maxPool2d(map), maxPool2d(map, 2, 2));
    assert.deepEqual(pool2d(map, 3, 3, "average"), avgPool2d(map, 3));
  });

  it("says where each max came from", () => {
    const map = [[1, 5, 2, 0], [3, 4, 9, 1], [0, 0, 0, 0], [7, 0, 0, 8]];
    assert.deepEqual(maxPoolSources(map, 2, 2), [[[0, 1], [1, 2]], [[3, 0], [3, 3]]]);
  });

  it("describes each window in words (what the notebook prints)", () => {
    const lines = describePoolingWindows([[0, 1, 5], [0, 0.25, 2], [3, 4, 9]], 2, 1, "average");
    assert.equal(lines.length, 4);
    assert.equal(lines[0], "janela na linha 0, coluna 0: [0; 1; 0; 0,25] → média 0,31");
    assert.equal(describePoolingWindows([[0, 1], [2, 3]], 2, 2, "max")[0], "janela na linha 0, coluna 0: [0; 1; 2; 3] → máximo 3");
  });

  it("pools each channel of a volume on its own, like tf.maxPool on a multi-channel tensor", () => {
    const rng = seededRandom(12);
    const volume: Volume = Array.from({ length: 6 }, () => Array.from({ length: 5 }, () => [rng(), rng() - 1, 2 * rng()]));
    const expected = tfPoolVolume(volume, 2, 2, "max");
    const pooled = pool2dChannels(volume, 2, 2, "max");
    assert.deepEqual([pooled.length, pooled[0].length, pooled[0][0].length], [3, 2, 3]);
    pooled.forEach((row, r) => row.forEach((px, c) => px.forEach((v, ch) => assert.ok(Math.abs(v - expected[r][c][ch]) < 1e-6))));
  });

  it("rejects bad input with a message that says what to fix", () => {
    assert.throws(() => maxPool2d([[1, 2], [3, 4]], 3, 1), /janela 3x3 não cabe no mapa 2x2/);
    assert.throws(() => maxPool2d([[1, 2], [3, 4]], 2, 0), /passo \(stride\) deve ser um inteiro >= 1/);
    assert.throws(() => avgPool2d([[1, 2], [3]], 1, 1), /linha 1 tem 1 colunas/);
    assert.throws(() => avgPool2d([], 1, 1), /matriz não vazia/);
    assert.throws(() => maxPool2d([[1]], 1.5, 1), /janela de pooling deve ser um inteiro/);
  });
});
