// The lecture's figures: panels with equal cells, and the step-by-step convolution
// driven by a window function (the student's in the notebooks).
import { strict as assert } from "assert";
import { relu } from "../../lib/lecture/activation";
import { conv2d, windowProductSum } from "../../lib/lecture/convolution";
import { convolutionSteps, convolutionStepsFigure, IMAGE_COLORS, MAP_COLORS, panels } from "../../lib/lecture/figures";
import { heatmap } from "../../lib/view/plots";
import { CIRCLE_FILTER, EYE, NINE, rotateImage, scaleImage } from "../../lib/lecture/images";

interface Axis { domain: [number, number] }

describe("lecture figures", () => {
  it("convolutionSteps visits every output cell in reading order with the sum of products", () => {
    const { padded, steps } = convolutionSteps(NINE, CIRCLE_FILTER, 2, 1);
    assert.deepEqual([padded.length, padded[0].length], [9, 7]);
    const map = conv2d(NINE, CIRCLE_FILTER, 2, 1);
    assert.equal(steps.length, map.length * map[0].length);
    steps.forEach((s) => {
      assert.equal(s.sum, map[s.row][s.col]);
      assert.equal(s.value, s.sum);
      assert.deepEqual([s.top, s.left], [s.row * 2, s.col * 2]);
    });
  });

  it("the step figure shows one products trace and one map trace per step, and flags wrong values", () => {
    const wrong = (img: number[][], k: number[][], r: number, c: number): number => windowProductSum(img, k, r, c) + (r === 1 && c === 0 ? 2 : 0);
    const fig = convolutionStepsFigure(NINE, CIRCLE_FILTER, { windowValue: wrong, divisor: 9 });
    assert.equal(fig.data.length, 1 + 2 * 15);
    const sliders = fig.layout.sliders as { steps: { args: [{ visible: boolean[] }, { "title.text": string }] }[] }[];
    assert.equal(sliders[0].steps.length, 15);
    const titles = sliders[0].steps.map((s) => s.args[1]["title.text"]);
    assert.match(titles[1], /saída \[0\]\[1\] = 9 \/ 9 = 1(\.00)?$/);
    assert.equal(titles.filter((t) => t.includes("⚠")).length, 1);
    assert.match(titles[3], /⚠ a soma dos produtos é -5/);
    // The last map trace holds the whole map (divided by 9), the wrong value included.
    const lastMap = fig.data[fig.data.length - 1].z as number[][];
    assert.deepEqual(lastMap.map((r) => r.map((v) => Math.round(v * 9))), conv2d(NINE, CIRCLE_FILTER).map((r, i) => r.map((v, j) => v + (i === 1 && j === 0 ? 2 : 0))));
    sliders[0].steps.forEach((s, k) => assert.equal(s.args[0].visible.filter(Boolean).length, 3, `step ${k}`));
  });

  it("panels give every cell the same size in pixels", () => {
    const fig = panels([{ z: NINE, title: "9" }, { z: CIRCLE_FILTER, title: "filtro" }], { cellSize: 20 });
    const width = fig.layout.width as number, margin = fig.layout.margin as { l: number; r: number };
    const plotW = width - margin.l - margin.r;
    const xa = fig.layout.xaxis as Axis, xb = fig.layout.xaxis2 as Axis;
    assert.ok(Math.abs((xa.domain[1] - xa.domain[0]) * plotW - 5 * 20) < 1e-6);
    assert.ok(Math.abs((xb.domain[1] - xb.domain[0]) * plotW - 3 * 20) < 1e-6);
    assert.throws(() => panels([]), /ao menos um painel/);
  });

  it("panels and heatmap share one default colour: signed values blue-white-red centred on 0, others the image greys", () => {
    const signed = [[-1, 0], [3, 1]], plain = [[0, 2], [1, 4]];
    const fig = panels([{ z: signed, title: "com sinal" }, { z: plain, title: "sem sinal" }]);
    assert.deepEqual([fig.data[0].colorscale, fig.data[0].zmin, fig.data[0].zmax], [MAP_COLORS, -3, 3]);
    assert.deepEqual([fig.data[1].colorscale, fig.data[1].zmin, fig.data[1].zmax], [IMAGE_COLORS, 0, 4]);
    assert.deepEqual([heatmap(signed).data[0].colorscale, heatmap(signed).data[0].zmid], [MAP_COLORS, 0]);
    assert.deepEqual(heatmap(plain).data[0].colorscale, IMAGE_COLORS);
    // Explicit colours and range win.
    const given = panels([{ z: plain, title: "p", colors: MAP_COLORS, zmin: -1, zmax: 5 }]).data[0];
    assert.deepEqual([given.colorscale, given.zmin, given.zmax], [MAP_COLORS, -1, 5]);
  });

  it("scales, rotates and applies ReLU at any nesting depth", () => {
    assert.deepEqual(scaleImage([[1, -1]], 2), [[1, 1, -1, -1], [1, 1, -1, -1]]);
    const r = rotateImage(EYE);
    assert.deepEqual([r.length, r[0].length], [5, 3]);
    assert.deepEqual(rotateImage(rotateImage(rotateImage(rotateImage(EYE)))), EYE);
    assert.deepEqual(relu([[[-1, 2]], [[3, -4]]]), [[[0, 2]], [[3, 0]]]);
    assert.equal(relu(-0.5), 0);
  });
});
