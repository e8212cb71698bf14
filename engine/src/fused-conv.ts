// A Conv2D layer's convolution, bias and ReLU as ONE kernel (FusedConv2D, the Winograd kernel with the
// bias added last and ReLU in its output transform) while training. tfjs-core's fused.conv2d does not
// fuse an activation under a gradient tape: it runs Conv2D, then Add (the bias), then Relu, two more
// passes over the layer's output (6-9 ms of a 13-image step at 180x180). Here the layer calls the
// kernel itself, and FusedConv2D gets the gradient of those three ops, the same ops in the same order:
// dz = ReLU's gradient (by y = relu(z), whose sign is z's), db = sum(dz) over the leading axes, and the
// convolution's input and filter gradients of dz. The forward gives the same bits as conv2d + add + relu
// (the kernel adds the bias after the transform, as Add did); test/engine/same-step.test.ts checks a
// whole step against tfjs' own path bit for bit. Only where the Winograd kernel runs (winogradApplies);
// elsewhere the layer keeps tfjs' call.
import * as tf from "@tensorflow/tfjs";
import { reluGradFused } from "./fused-relu-grad";
import { overrideCall, restoreCall } from "./internals";
import { winogradApplies } from "./winograd";

interface ConvLayerInternals {
  kernel: tf.LayerVariable; bias: tf.LayerVariable | null; strides: number[]; dilationRate: number[];
  padding: string; dataFormat: string; kernelSize: number[]; activation: { getClassName(): string } | null; rank: number;
}

let registered = false;

/** FusedConv2D's gradient for the relu and linear activations (tfjs-core registers none: its op wraps the kernel in customGrad). */
export function registerFusedConvGradient(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: "FusedConv2D",
    inputsToSave: ["x", "filter"],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, y] = saved;
      const a = attrs as unknown as { strides: number; pad: "same" | "valid"; dataFormat: string; dimRoundingMode?: string; activation: string };
      if (a.activation !== "relu" && a.activation !== "linear") throw new Error(`FusedConv2D: no gradient for activation '${a.activation}'`);
      const g = dy as tf.Tensor4D;
      const dz = a.activation === "relu" ? (reluGradFused(g, y) ?? tf.mul(g, tf.cast(tf.step(y), "float32"))) : g;
      const conv = { strides: a.strides, pad: a.pad, dataFormat: a.dataFormat, dimRoundingMode: a.dimRoundingMode };
      const run = (kernel: string, inputs: tf.NamedTensorMap, extra: Record<string, number[]>) =>
        tf.engine().runKernel(kernel, inputs, { ...conv, ...extra } as unknown as tf.NamedAttrMap) as tf.Tensor;
      return {
        x: () => run("Conv2DBackpropInput", { dy: dz, filter }, { inputShape: x.shape }),
        filter: () => run("Conv2DBackpropFilter", { x, dy: dz }, { filterShape: filter.shape }),
        bias: () => tf.reshape(tf.sum(dz, [0, 1, 2]), [dz.shape[dz.shape.length - 1]]),
      };
    },
  });
}

/** Whether the layer is a 2D convolution this module fuses: channels-last, ReLU, with a bias. */
function fusible(layer: tf.layers.Layer): boolean {
  const l = layer as unknown as ConvLayerInternals;
  return layer.getClassName() === "Conv2D" && l.rank === 2 && l.bias != null && l.activation?.getClassName() === "relu" &&
    l.dataFormat === "channelsLast" && (l.padding === "same" || l.padding === "valid");
}

/** Makes the model's fusible Conv2D layers run FusedConv2D where Winograd applies; returns the layers changed (for unfuseConvLayers). */
export function fuseConvLayers(model: tf.LayersModel): tf.layers.Layer[] {
  registerFusedConvGradient();
  const changed = model.layers.filter(fusible);
  for (const layer of changed) {
    const l = layer as unknown as ConvLayerInternals;
    overrideCall(layer, (original) => (inputs, kwargs) => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const filter = l.kernel.read();
      const attrs = { strides: l.strides as [number, number], pad: l.padding as "same" | "valid", dataFormat: "NHWC", dilations: l.dilationRate as [number, number], activation: "relu" };
      if (!winogradApplies(x, filter, attrs)) return original(inputs, kwargs);
      return tf.engine().runKernel("FusedConv2D", { x, filter, bias: (l.bias as tf.LayerVariable).read() }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
    });
  }
  return changed;
}

/** Gives the layers back their own call. */
export function unfuseConvLayers(layers: tf.layers.Layer[]): void {
  for (const layer of layers) restoreCall(layer);
}
