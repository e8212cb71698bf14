// The one place for the TensorFlow.js reference checks: expected values computed by
// TensorFlow.js itself, for exercise cases and for the tests of the from-scratch code
// (lib/lecture/), which must agree with the library students will use later.
// Cases are built synchronously, so these need a backend that is already initialised
// (the default cpu one is; an async one such as wasm must have been awaited).
import * as tf from "@tensorflow/tfjs";
import type { Matrix, Volume } from "../lecture/convolution";
import type { PoolMode } from "../lecture/pooling";

/** The TensorFlow.js kernels that compute a convolution (tf.conv2d, tf.fused.conv2d, tf.depthwiseConv2d, tf.layers.conv2d). */
export const CONV_KERNELS = ["Conv2D", "FusedConv2D", "DepthwiseConv2dNative"];

/** Runs `fn` inside tf.tidy, turning "backend not initialised yet" into an actionable message. */
export function withTf<T extends tf.TensorContainer>(fn: () => T): T {
  try {
    return tf.tidy(fn);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (/not yet been initialized|await tf\.ready/.test(msg)) {
      throw new Error("o TensorFlow.js ainda está inicializando o backend: rode `await initEngine()` (ou `await tf.ready()`) antes desta verificação.");
    }
    throw err;
  }
}

function toImage4d(image: Matrix): tf.Tensor4D {
  return tf.tensor4d(image.flat(), [1, image.length, image[0].length, 1]);
}

/** tf.conv2d on one single-channel image and one filter; numeric padding = zeros on every side. */
export function tfConv2d(image: Matrix, kernel: Matrix, stride = 1, padding: number | "valid" | "same" = 0): Matrix {
  return withTf(() => {
    let x = toImage4d(image);
    if (typeof padding === "number" && padding > 0) x = tf.pad(x, [[0, 0], [padding, padding], [padding, padding], [0, 0]]);
    const k = tf.tensor4d(kernel.flat(), [kernel.length, kernel[0].length, 1, 1]);
    return tf.conv2d(x, k, stride, typeof padding === "number" ? "valid" : padding).squeeze([0, 3]).arraySync() as Matrix;
  });
}

/** tf.pad with zeros, `padding` on every side. */
export function tfZeroPad(image: Matrix, padding: number): Matrix {
  return withTf(() => tf.pad(tf.tensor2d(image), [[padding, padding], [padding, padding]]).arraySync() as Matrix);
}

/** tf.relu of a matrix. */
export function tfRelu(m: Matrix): Matrix {
  return withTf(() => tf.relu(tf.tensor2d(m)).arraySync() as Matrix);
}

/** Output size of tf.conv2d along one axis (input n zero-padded by p, filter k, stride s). */
export function tfOutputSize(n: number, k: number, stride: number, padding: number): number {
  return withTf(() => {
    const x = tf.zeros([1, n + 2 * padding, 1, 1]) as tf.Tensor4D;
    return tf.conv2d(x, tf.zeros([k, 1, 1, 1]) as tf.Tensor4D, [stride, 1], "valid").shape[1];
  });
}

/** Parameters of a Keras-style Dense layer built by tf.layers. */
export function tfDenseParams(inputs: number, units: number): number {
  const layer = tf.layers.dense({ units });
  withTf(() => { layer.apply(tf.input({ shape: [inputs] })); });
  const n = layer.countParams();
  layer.dispose();
  return n;
}

/** Parameters of a Keras-style Conv2D layer built by tf.layers (image size is irrelevant: 8x8 here). */
export function tfConvParams(kernelSize: number, inChannels: number, filters: number): number {
  const layer = tf.layers.conv2d({ filters, kernelSize });
  withTf(() => { layer.apply(tf.input({ shape: [Math.max(8, kernelSize), Math.max(8, kernelSize), inChannels] })); });
  const n = layer.countParams();
  layer.dispose();
  return n;
}

/** tf.maxPool / tf.avgPool ("valid") of a rows x cols x C volume: each channel on its own. */
export function tfPoolVolume(volume: Volume, size: number, stride: number, mode: PoolMode): Volume {
  return withTf(() => {
    const x = tf.tensor4d(volume.flat(2), [1, volume.length, volume[0].length, volume[0][0].length]);
    const y = mode === "max" ? tf.maxPool(x, size, stride, "valid") : tf.avgPool(x, size, stride, "valid");
    return y.squeeze([0]).arraySync() as Volume;
  });
}

/** tf.maxPool / tf.avgPool ("valid") of one single-channel map. */
export function tfPool2d(map: Matrix, size: number, stride: number, mode: PoolMode): Matrix {
  return tfPoolVolume(map.map((row) => row.map((v) => [v])), size, stride, mode).map((row) => row.map((px) => px[0]));
}

/**
 * tf.conv2d of a rows x cols x C volume with F filters of kh x kw x C (one output channel
 * each, plus its bias when given): a rows' x cols' x F volume.
 */
export function tfConv2dChannels(input: Volume, filters: Volume[], stride = 1, padding: "valid" | "same" = "valid", bias?: number[]): Volume {
  return withTf(() => {
    const [rows, cols, channels] = [input.length, input[0].length, input[0][0].length];
    const x = tf.tensor4d(input.flat(2), [1, rows, cols, channels]);
    // tf wants kernel[row][col][inChannel][filter]
    const kernel = tf.stack(filters.map((f) => tf.tensor3d(f.flat(2), [f.length, f[0].length, channels])), 3) as tf.Tensor4D;
    const y = tf.conv2d(x, kernel, stride, padding);
    return (bias ? y.add(tf.tensor1d(bias)) : y).squeeze([0]).arraySync() as Volume;
  });
}

/** tf.conv2d of a rows x cols x C volume with ONE kh x kw x C filter: a single map. */
export function tfConvVolume(input: Volume, filter: Volume, stride: number): number[][] {
  return tfConv2dChannels(input, [filter], stride).map((row) => row.map((px) => px[0]));
}

/** Parameters of MaxPooling2D -> Flatten -> Dense(units) on a rows x cols x channels input, counted by tf.layers. */
export function tfDenseParamsAfterPooling(rows: number, cols: number, channels: number, poolSize: number, stride: number, units: number): number {
  const model = tf.sequential({ layers: [
    tf.layers.maxPooling2d({ inputShape: [rows, cols, channels], poolSize, strides: stride }),
    tf.layers.flatten(),
    tf.layers.dense({ units }),
  ] });
  const n = model.countParams();
  model.dispose();
  return n;
}

/**
 * Trainable parameters of Conv2D(filters, k, stride 1, "valid") -> MaxPooling2D(pool) -> Flatten ->
 * Dense(classes) on a size x size x channels image, counted by tf.layers.
 */
export function tfCnnParams(imageSize: number, channels: number, filters: number, kernelSize: number, poolSize: number, classes: number): number {
  const model = tf.sequential({ layers: [
    tf.layers.conv2d({ inputShape: [imageSize, imageSize, channels], filters, kernelSize }),
    tf.layers.maxPooling2d({ poolSize }),
    tf.layers.flatten(),
    tf.layers.dense({ units: classes }),
  ] });
  const n = model.countParams();
  model.dispose();
  return n;
}
