// The drawn CNN diagram: shapes come from the real tf.layers model, each stage gets its
// label and its shape written, and the static SVG renders it.
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import { cnnDiagram, modelStages, typicalCnnStages } from "../../lib/lecture/cnn-diagram";
import { buildDigitCnn } from "../../lib/digits";
import { figureToSvg } from "../../lib/view/chart/svg";

describe("CNN diagram (notebook 06)", () => {
  before(async () => { await tf.setBackend("cpu"); });

  it("reads each stage's shape from the model", () => {
    assert.deepEqual(typicalCnnStages().map((s) => s.shape), [[28, 28, 1], [26, 26, 8], [13, 13, 8], [11, 11, 16], [5, 5, 16], [400], [64], [10]]);
    const model = buildDigitCnn();
    const stages = modelStages(model);
    model.dispose();
    assert.equal(stages[0].label, "entrada");
    assert.deepEqual(stages.map((s) => s.shape.reduce((a, b) => a * b, 1)).slice(-1), [10]);
  });

  it("writes every stage's shape under it and draws in SVG", () => {
    const stages = typicalCnnStages();
    const fig = cnnDiagram(stages);
    const texts = (fig.layout.annotations as { text: string }[]).map((a) => a.text);
    for (const s of stages) assert.ok(texts.includes(`<b>${s.shape.join("×")}</b>`), s.shape.join("×"));
    const svg = figureToSvg(fig);
    assert.match(svg, /13×13×8/);
    assert.ok((svg.match(/<rect /g) ?? []).length > stages.length);
    assert.throws(() => cnnDiagram([]), /lista de etapas/);
  });
});
