// The TensorFlow.js references of lesson 11's backward passes: each layer's forward pass in
// tfjs ops, and tf.grad of sum(forward(...) * dout), which is the gradient a backward pass
// must give when the gradient arriving from above is `dout`. Float32, so compare within 1e-5.
import * as tf from "@tensorflow/tfjs";
import type { Matrix } from "../lecture/convolution";
import type { ConvKernel } from "../lecture/conv-layer";
import type { MapBatch } from "../lecture/batchnorm";
import type { BatchNormGradients, ConvGradients } from "../lecture/backward";
import { withTf } from "./tf-reference";

/** -0 becomes 0 (JSON has no -0, and a case must survive JSON): tf gives -0 for 0 * a negative number. */
export function positiveZeros<T>(v: T): T {
  if (Array.isArray(v)) return v.map(positiveZeros) as T;
  if (typeof v === "number") return (v + 0) as T;
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, positiveZeros(e)])) as T;
  return v;
}

const shape4 = (v: number[][][][]): [number, number, number, number] => [v.length, v[0].length, v[0][0].length, v[0][0][0].length];
const t4 = (v: number[][][][]): tf.Tensor4D => tf.tensor4d(v.flat(3), shape4(v));

/** tf.grad of sum(conv2d(pad(x), W) + b) * dout) with respect to x, W and b (b only shifts the output). */
export function tfConvGradients(dout: MapBatch, x: MapBatch, kernel: ConvKernel, stride: number, padding: number): ConvGradients {
  return withTf(() => {
    const pads: [number, number][] = [[0, 0], [padding, padding], [padding, padding], [0, 0]];
    const filters = kernel[0][0][0].length;
    const loss = (xs: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Scalar =>
      tf.conv2d(tf.pad(xs as tf.Tensor4D, pads), w as tf.Tensor4D, stride, "valid").add(b).mul(t4(dout)).sum();
    const [dx, dW, db] = tf.grads(loss)([t4(x), t4(kernel), tf.zeros([filters])]);
    return positiveZeros({ dx: dx.arraySync() as MapBatch, dW: dW.arraySync() as ConvKernel, db: db.arraySync() as number[] });
  });
}

/** tf.grad of sum(maxPool(x, size, stride, "valid") * dout) with respect to x (one channel, H x W). */
export function tfMaxPoolGradient(dout: Matrix, x: Matrix, size: number, stride: number): Matrix {
  return withTf(() => {
    const [h, w] = [x.length, x[0].length];
    const d = tf.tensor4d(dout.flat(), [1, dout.length, dout[0].length, 1]);
    const grad = tf.grad((xs: tf.Tensor) => tf.maxPool(xs as tf.Tensor4D, size, stride, "valid").mul(d).sum());
    return positiveZeros(grad(tf.tensor4d(x.flat(), [1, h, w, 1])).reshape([h, w]).arraySync() as Matrix);
  });
}

/** tf.grad of sum((x * mask / (1 - rate)) * dout) with respect to x: the inverted dropout of a fixed mask. */
export function tfDropoutGradient(dout: number[], mask: number[], rate: number): number[] {
  return withTf(() => {
    const grad = tf.grad((xs: tf.Tensor) => xs.mul(tf.tensor1d(mask)).div(1 - rate).mul(tf.tensor1d(dout)).sum());
    return positiveZeros(grad(tf.zeros([dout.length])).arraySync() as number[]);
  });
}

/**
 * tf.grad of sum(batchNorm(x) * dout) in training mode (the batch's own mean and variance,
 * tf.moments inside the function, so the gradient flows through them) w.r.t. x, gamma and beta.
 */
export function tfBatchNormGradients(dout: Matrix, x: Matrix, gamma: number[], epsilon: number): BatchNormGradients {
  return withTf(() => {
    const loss = (xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar => {
      const { mean, variance } = tf.moments(xs, 0);
      return tf.batchNorm(xs as tf.Tensor2D, mean, variance, b as tf.Tensor1D, g as tf.Tensor1D, epsilon).mul(tf.tensor2d(dout)).sum();
    };
    const [dx, dgamma, dbeta] = tf.grads(loss)([tf.tensor2d(x), tf.tensor1d(gamma), tf.zeros([gamma.length])]);
    return positiveZeros({ dx: dx.arraySync() as Matrix, dgamma: dgamma.arraySync() as number[], dbeta: dbeta.arraySync() as number[] });
  });
}
