// The two building blocks of the Keras example "Pneumonia Classification on TPU",
// written with the tfjs functional API: each takes a symbolic tensor and returns the next one.
import * as tf from "@tensorflow/tfjs";
import { noteReferenceCall } from "../../check/reference-use";

export type SymbolicTensor = tf.SymbolicTensor;
export type ConvBlockFn = (filters: number, inputs: SymbolicTensor) => SymbolicTensor;
export type DenseBlockFn = (units: number, dropoutRate: number, inputs: SymbolicTensor) => SymbolicTensor;

/** Two 3x3 separable convolutions (ReLU, same padding), batch normalization, 2x2 max pooling. */
export function convBlock(filters: number, inputs: SymbolicTensor): SymbolicTensor {
  noteReferenceCall("convBlock");
  let x = tf.layers.separableConv2d({ filters, kernelSize: 3, activation: "relu", padding: "same" }).apply(inputs) as SymbolicTensor;
  x = tf.layers.separableConv2d({ filters, kernelSize: 3, activation: "relu", padding: "same" }).apply(x) as SymbolicTensor;
  x = tf.layers.batchNormalization().apply(x) as SymbolicTensor;
  return tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as SymbolicTensor;
}

/** A ReLU dense layer, batch normalization, then dropout at `dropoutRate`. */
export function denseBlock(units: number, dropoutRate: number, inputs: SymbolicTensor): SymbolicTensor {
  noteReferenceCall("denseBlock");
  let x = tf.layers.dense({ units, activation: "relu" }).apply(inputs) as SymbolicTensor;
  x = tf.layers.batchNormalization().apply(x) as SymbolicTensor;
  return tf.layers.dropout({ rate: dropoutRate }).apply(x) as SymbolicTensor;
}
