// The Keras pneumonia CNN in tfjs: same layers in the same order, same parameter counts,
// repeatable initial weights, and a clear error for an impossible input size.
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import { buildModel, convBlock, denseBlock, describeLayers, formatSummary, modelSummaryRows, paramCounts } from "../../lib/pneumonia/model";

describe("pneumonia model (lib/pneumonia/model)", () => {
  let model: tf.LayersModel;
  before(() => { model = buildModel(180); });
  after(() => model.dispose());

  it("has Keras' 3,496,801 parameters at 180x180, 3,494,433 trainable, printed in pt-BR (3.496.801)", () => {
    assert.deepEqual(paramCounts(model), { total: 3496801, trainable: 3494433, nonTrainable: 2368 });
    const text = formatSummary(model);
    assert.match(text, /Total de parâmetros: 3\.496\.801\nTreináveis: 3\.494\.433\nNão treináveis: 2\.368/);
    // Keras' layer names, whatever tfjs numbered them in this session.
    assert.match(text, /\nseparable_conv2d_7 \(SeparableConv2D\) +\(None, 11, 11, 256\) +68\.096\n/);
    assert.match(text, /\ndense_3 \(Dense\) +\(None, 1\) +65\n/);
  });

  it("has the example's layers in order, Rescaling(1/255) first, a sigmoid unit last", () => {
    const rows = modelSummaryRows(model);
    const conv = ["SeparableConv2D", "SeparableConv2D", "BatchNormalization", "MaxPooling2D"];
    const dense = ["Dense", "BatchNormalization", "Dropout"];
    assert.deepEqual(rows.map((r) => r.type), [
      "InputLayer", "Rescaling", "Conv2D", "Conv2D", "MaxPooling2D", ...conv, ...conv, ...conv, "Dropout", ...conv, "Dropout",
      "Flatten", ...dense, ...dense, ...dense, "Dense",
    ]);
    assert.equal(model.layers[1].getConfig().scale, 1 / 255);
    assert.deepEqual(rows.filter((r) => r.type === "MaxPooling2D").map((r) => r.outputShape), [[90, 90, 16], [45, 45, 32], [22, 22, 64], [11, 11, 128], [5, 5, 256]]);
    assert.deepEqual(rows.find((r) => r.type === "Flatten")?.outputShape, [6400]);
    const layers = describeLayers(model);
    assert.deepEqual(layers.filter((l) => l.type === "Dropout").map((l) => l.rate), [0.2, 0.2, 0.7, 0.5, 0.3]);
    assert.deepEqual(layers[layers.length - 1], { type: "Dense", outputShape: [1], params: 65, activation: "sigmoid" });
    assert.ok(layers.filter((l) => l.type.endsWith("Conv2D")).every((l) => l.activation === "relu" && l.padding === "same"));
  });

  it("counts parameters per layer as Keras (separable = depthwise + pointwise + bias)", () => {
    const rows = modelSummaryRows(model);
    const firstSeparable = rows.find((r) => r.type === "SeparableConv2D")!;
    assert.equal(firstSeparable.params, 3 * 3 * 16 + 16 * 32 + 32);
    const bn = rows.find((r) => r.type === "BatchNormalization")!;
    assert.deepEqual([bn.params, bn.trainableParams], [4 * 32, 2 * 32]);
    assert.equal(rows.find((r) => r.type === "Dense")!.params, 6400 * 512 + 512);
  });

  it("starts from the same weights for the same seed and from others for another seed", () => {
    const a = buildModel(40, { seed: 7 }), b = buildModel(40, { seed: 7 }), c = buildModel(40, { seed: 8 });
    const first = (m: tf.LayersModel): number[] => Array.from(m.getWeights()[0].dataSync());
    assert.deepEqual(first(a), first(b));
    assert.notDeepEqual(first(a), first(c));
    [a, b, c].forEach((m) => m.dispose());
  });

  it("builds with replacement blocks (the student's) and rejects a too small image", () => {
    const calls: string[] = [];
    const m = buildModel(64, {
      convBlock: (f, x) => { calls.push(`conv${f}`); return convBlock(f, x); },
      denseBlock: (u, r, x) => { calls.push(`dense${u}@${r}`); return denseBlock(u, r, x); },
    });
    assert.deepEqual(calls, ["conv32", "conv64", "conv128", "conv256", "dense512@0.7", "dense128@0.5", "dense64@0.3"]);
    assert.deepEqual(m.outputs[0].shape, [null, 1]);
    m.dispose();
    assert.throws(() => buildModel(31), /imageSize deve ser um inteiro >= 32/);
  });
});
