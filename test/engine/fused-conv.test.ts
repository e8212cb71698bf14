// engine/src/fused-conv.ts: a Conv2D layer's convolution, bias and ReLU as one FusedConv2D kernel while
// training gives the same loss and gradients, bit for bit, as tfjs' own Conv2D + Add + Relu.
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import { initEngine } from "cnn-course-engine";
import { fuseConvLayers, unfuseConvLayers } from "cnn-course-engine/dist/fused-conv";
import { watchKernelRuns } from "cnn-course-engine/dist/internals";
import { setRelaxedSimd, setWinograd } from "cnn-course-engine/dist/winograd";
import { seededRandom } from "../../lib/common/random";
import { withSeededMathRandom } from "../../lib/pneumonia/model";

/** RGB -> 8 -> 8 channels, both 3x3 with bias and ReLU (the second one's input gradient is needed), then a dense head. */
function model(): tf.LayersModel {
  return withSeededMathRandom(3, () => {
    const inputs = tf.input({ shape: [12, 10, 3] });
    let x = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: "same", activation: "relu", biasInitializer: "randomNormal" }).apply(inputs) as tf.SymbolicTensor;
    x = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: "valid", activation: "relu", biasInitializer: "randomNormal" }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
    return tf.model({ inputs, outputs: tf.layers.dense({ units: 1, activation: "sigmoid" }).apply(x) as tf.SymbolicTensor });
  });
}

describe("engine: convolution, bias and ReLU fused while training (fused-conv.ts)", function () {
  this.timeout(60_000);

  for (const relaxed of [true, false]) {
    it(`gives tfjs' loss and gradients bit for bit, and runs one FusedConv2D per layer instead of Conv2D, Add and Relu (${relaxed ? "relaxed" : "plain"} SIMD)`, async () => {
      await initEngine({ backend: "wasm", quiet: true });
      const winograd = setWinograd(true), relaxedWas = setRelaxedSimd(relaxed);
      const rng = seededRandom(21);
      const m = model();
      const x = tf.tensor4d(Float32Array.from({ length: 4 * 12 * 10 * 3 }, () => rng() - 0.3), [4, 12, 10, 3]);
      const y = tf.tensor2d([1, 0, 1, 1], [4, 1]);
      const step = () => {
        const kernels: string[] = [];
        const stop = watchKernelRuns((k) => kernels.push(k));
        const { value, grads } = tf.variableGrads(() => tf.losses.sigmoidCrossEntropy(y, m.apply(x, { training: true }) as tf.Tensor));
        stop();
        const flat = m.trainableWeights.map((w) => Array.from(grads[w.originalName ?? w.name].dataSync()));
        const result = { loss: value.dataSync()[0], flat, kernels };
        tf.dispose([value, ...Object.values(grads)]);
        return result;
      };
      const plain = step();
      const fused = fuseConvLayers(m);
      assert.equal(fused.length, 2);
      const ours = step();
      unfuseConvLayers(fused);
      assert.equal(ours.loss, plain.loss);
      ours.flat.forEach((g, i) => {
        const differ = g.findIndex((e, k) => !Object.is(e, plain.flat[i][k]));
        assert.equal(differ, -1, `weight ${i}, element ${differ}: ${g[differ]} vs ${plain.flat[i][differ]}`);
      });
      assert.ok(ours.flat.every((g) => g.some((e) => e !== 0)), "every gradient has non-zero values");
      const count = (ks: string[], k: string) => ks.filter((n) => n === k).length;
      assert.equal(count(ours.kernels, "FusedConv2D"), 2);
      assert.equal(count(plain.kernels, "FusedConv2D"), 0);
      assert.equal(count(plain.kernels, "Relu") - count(ours.kernels, "Relu"), 2, "the loss's own Relu stays");
      assert.equal(count(ours.kernels, "Conv2DBackpropInput"), 1, "the first layer's input gradient is not computed");
      assert.deepEqual(step().flat, plain.flat, "unfuseConvLayers gives the layers back");
      tf.dispose([x, y]);
      m.dispose();
      setWinograd(winograd);
      setRelaxedSimd(relaxedWas);
    });
  }
});
