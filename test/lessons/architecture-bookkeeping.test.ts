// Parte 2 of notebook 09 asks for the architecture by hand: a table read from a model built with
// tf.layers is refused (issue 25), while the same rows computed by bookkeeping pass.
import * as assert from "assert";
import * as tf from "@tensorflow/tfjs";
import { evaluate } from "../../lib/check";
import "../../lib/exercises";

interface Row { type: string; outputShape: number[]; params: number }

/** The bookkeeping: sides halved by each pooling, parameters from the formulas. */
function byHand(imageSize: number): Row[] {
  const rows: Row[] = [], add = (type: string, outputShape: number[], params = 0): void => { rows.push({ type, outputShape, params }); };
  let side = imageSize, channels = 3;
  add("InputLayer", [side, side, 3]);
  add("Rescaling", [side, side, 3]);
  for (let i = 0; i < 2; i++) { add("Conv2D", [side, side, 16], 9 * channels * 16 + 16); channels = 16; }
  side = Math.floor(side / 2);
  add("MaxPooling2D", [side, side, channels]);
  for (const f of [32, 64, 128, 256]) {
    add("SeparableConv2D", [side, side, f], 9 * channels + channels * f + f);
    add("SeparableConv2D", [side, side, f], 9 * f + f * f + f);
    add("BatchNormalization", [side, side, f], 4 * f);
    side = Math.floor(side / 2);
    channels = f;
    add("MaxPooling2D", [side, side, channels]);
    if (f >= 128) add("Dropout", [side, side, channels]);
  }
  let inputs = side * side * channels;
  add("Flatten", [inputs]);
  for (const u of [512, 128, 64]) { add("Dense", [u], inputs * u + u); add("BatchNormalization", [u], 4 * u); add("Dropout", [u]); inputs = u; }
  add("Dense", [1], inputs + 1);
  return rows;
}

describe("notebook 09, Parte 2: the architecture by hand", () => {
  it("passes with the bookkeeping and is refused when read from tf.layers", async () => {
    assert.strictEqual((await evaluate("pneumonia-architecture", byHand)).status, "passed");
    const fromLayers = (imageSize: number): Row[] => {
      tf.layers.dense({ units: 1 }); // any layer built while the cases run
      return byHand(imageSize);
    };
    const report = await evaluate("pneumonia-architecture", fromLayers);
    assert.strictEqual(report.status, "reference");
    assert.match(report.summary + report.cases.map((c) => c.message).join(" "), /tf\.layers/);
    assert.strictEqual(typeof tf.layers.dense({ units: 1 }).apply, "function", "tf.layers works again after the check");
  });
});
