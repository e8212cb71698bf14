// The lecture's "9", its filters and the feature maps the notebooks show.
import { strict as assert } from "assert";
import { relu } from "../../lib/lecture/activation";
import { conv2d } from "../../lib/lecture/convolution";
import { detectPattern, featureMap, findPeaks } from "../../lib/lecture/detection";
import {
  CIRCLE_FILTER, DIAGONAL_FILTER, EYE_FILTER, eyeScene, LECTURE_FILTERS, NINE, SLIDE_PRINTED_MAP, shiftImage, VERTICAL_LINE_FILTER,
} from "../../lib/lecture/images";

const round2 = (m: number[][]): number[][] => m.map((r) => r.map((v) => Math.round(v * 100) / 100));

describe("lecture images and the feature map of the 9", () => {
  it("the circle filter with stride 1 and sum / 9 gives the exact 5x3 map", () => {
    const map = featureMap(NINE, CIRCLE_FILTER);
    // Sums of the 9 products (integers), then / 9.
    assert.deepEqual(conv2d(NINE, CIRCLE_FILTER), [[-1, 9, -1], [-5, 1, -3], [-3, 3, -3], [-5, -1, -5], [-3, -5, -3]]);
    assert.deepEqual(round2(map), [[-0.11, 1, -0.11], [-0.56, 0.11, -0.33], [-0.33, 0.33, -0.33], [-0.56, -0.11, -0.56], [-0.33, -0.56, -0.33]]);
  });

  it("the slide's printed map agrees on rows 0-2 except -0.55 and disagrees on rows 3-4", () => {
    const computed = round2(featureMap(NINE, CIRCLE_FILTER));
    const differing: string[] = [];
    computed.forEach((row, i) => row.forEach((v, j) => { if (v !== SLIDE_PRINTED_MAP[i][j]) differing.push(`${i},${j}`); }));
    assert.deepEqual(differing, ["1,0", "3,0", "3,2", "4,1"]);
    // -0.55 is -5/9 truncated, not rounded; -0.22 = -2/9 cannot happen: 9 products of ±1 sum to an odd number.
    assert.equal(Math.trunc((-5 / 9) * 100) / 100, -0.55);
    assert.ok(conv2d(NINE, CIRCLE_FILTER).flat().every((s) => Math.abs(s) % 2 === 1));
  });

  it("each lecture filter peaks on its part of the 9", () => {
    assert.equal(LECTURE_FILTERS.length, 3);
    assert.deepEqual(findPeaks(featureMap(NINE, CIRCLE_FILTER), 0.999), [[0, 1]]);
    assert.deepEqual(findPeaks(featureMap(NINE, VERTICAL_LINE_FILTER), 0.7), [[1, 2], [2, 2]]);
    assert.deepEqual(findPeaks(featureMap(NINE, DIAGONAL_FILTER), 0.999), [[4, 1]]);
  });

  it("ReLU keeps only where the circle was found", () => {
    const r = relu(featureMap(NINE, CIRCLE_FILTER));
    assert.deepEqual(round2(r), [[0, 1, 0], [0, 0.11, 0], [0, 0.33, 0], [0, 0, 0], [0, 0, 0]]);
  });

  it("the eye filter finds every eye, wherever it is, and only eyes", () => {
    const scenes: [number, number, [number, number][], boolean][] = [
      [14, 14, [[2, 1], [2, 8]], true], [14, 14, [[4, 3], [4, 9]], true], [16, 24, [[1, 2], [3, 15], [7, 12], [9, 6], [12, 18]], false],
    ];
    for (const [rows, cols, eyes, faces] of scenes) {
      const image = eyeScene(rows, cols, eyes, { faces });
      const found = detectPattern(image, EYE_FILTER);
      assert.deepEqual(found, [...eyes].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
      const others = featureMap(image, EYE_FILTER).flat().filter((v) => v < 0.999);
      assert.ok(Math.max(...others) < 0.5, `second best ${Math.max(...others)}`);
    }
  });

  it("shiftImage moves content and fills with the background", () => {
    assert.deepEqual(shiftImage([[1, 2], [3, 4]], 1, 0), [[-1, -1], [1, 2]]);
    assert.deepEqual(shiftImage([[1, 2], [3, 4]], 0, -1, 0), [[2, 0], [4, 0]]);
    assert.throws(() => eyeScene(5, 5, [[3, 3]]), /não cabe/);
  });
});
