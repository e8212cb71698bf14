// Floating-point work of a training step and of the model's 3x3 convolutions, for the bench's
// GFLOP/s figures: counted as direct convolution and plain products (a multiply and an add each),
// so a Winograd convolution, which does fewer multiplies, shows as a higher rate for the same work.
import * as tf from "@tensorflow/tfjs";

interface LayerConfig { kernelSize?: number | number[]; filters?: number; units?: number }

const spatial = (shape: tf.Shape) => (shape[1] ?? 1) * (shape[2] ?? 1);

/** Forward FLOP of one image through `layer` (conv, separable conv, dense; other layers count 0). */
function forwardFlop(layer: tf.layers.Layer): number {
  const config = layer.getConfig() as LayerConfig;
  const inShape = layer.inputSpec?.[0]?.shape ?? (layer.input as tf.SymbolicTensor).shape;
  const outShape = (layer.output as tf.SymbolicTensor).shape;
  const ci = inShape[inShape.length - 1] ?? 0;
  const co = outShape[outShape.length - 1] ?? 0;
  const k = Array.isArray(config.kernelSize) ? config.kernelSize[0] * config.kernelSize[1] : (config.kernelSize ?? 1) ** 2;
  switch (layer.getClassName()) {
    case "Conv2D": return 2 * spatial(outShape) * k * ci * co;
    case "SeparableConv2D": return 2 * spatial(outShape) * (k * ci + ci * co);
    case "Dense": return 2 * ci * co;
    default: return 0;
  }
}

/** GFLOP of one training step on `batch` images: forward, filter gradient, and the input gradient of every layer but the first. */
export function stepGflop(model: tf.LayersModel, batch: number): number {
  let flop = 0;
  let first = true;
  for (const layer of model.layers) {
    const f = forwardFlop(layer);
    if (f === 0) continue;
    flop += f * (first ? 2 : 3);
    first = false;
  }
  return (flop * batch) / 1e9;
}

/**
 * Median ms (of 5, after one warm-up) of the 16→16 3x3 convolution at `size`x`size` on `images`
 * images, as the model runs it: forward with bias and ReLU, and the input gradient; with GFLOP/s.
 */
export function timeConv16(size: number, images: number): { forwardMs: number; inputGradientMs: number; gflops: number } {
  const gflop = (2 * images * size * size * 16 * 16 * 9) / 1e9;
  const shape: [number, number, number, number] = [images, size, size, 16];
  const x = tf.randomNormal(shape, 0, 1, "float32", 1) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, 16, 16], 0, 0.3, "float32", 2) as tf.Tensor4D;
  const b = tf.zeros([16]) as tf.Tensor1D;
  const time = (fn: () => tf.Tensor): number => {
    const ms: number[] = [];
    for (let i = 0; i < 6; i++) {
      const start = performance.now();
      const y = fn();
      y.dataSync();
      ms.push(performance.now() - start);
      y.dispose();
    }
    return ms.slice(1).sort((p, q) => p - q)[2];
  };
  const forwardMs = time(() => tf.fused.conv2d({ x, filter: w, strides: 1, pad: "same", bias: b, activation: "relu" }));
  const inputGradientMs = time(() => tf.conv2dTranspose(x, w, shape, 1, "same"));
  tf.dispose([x, w, b]);
  const r1 = (v: number) => Math.round(v * 10) / 10;
  return { forwardMs: r1(forwardMs), inputGradientMs: r1(inputGradientMs), gflops: r1((2 * gflop * 1000) / (forwardMs + inputGradientMs)) };
}
