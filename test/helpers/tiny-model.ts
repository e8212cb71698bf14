// The small seeded network the training tests share: the ingredients that matter for a
// training step (conv, batch norm, dropout, sigmoid) on SIZE x SIZE x 3 images.
import * as tf from "@tensorflow/tfjs";
import { withSeededMathRandom } from "../../lib/pneumonia/model";

export const TINY_SIZE = 8;

export function tinyModel(seed = 1, opts: { batchNorm?: boolean; dropout?: boolean } = {}): tf.LayersModel {
  const { batchNorm = true, dropout = true } = opts;
  return withSeededMathRandom(seed, () => {
    const inputs = tf.input({ shape: [TINY_SIZE, TINY_SIZE, 3] });
    let x = tf.layers.rescaling({ scale: 1 / 255 }).apply(inputs) as tf.SymbolicTensor;
    x = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same", activation: "relu" }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
    x = tf.layers.dense({ units: 8, activation: "relu" }).apply(x) as tf.SymbolicTensor;
    if (batchNorm) x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
    if (dropout) x = tf.layers.dropout({ rate: 0.3 }).apply(x) as tf.SymbolicTensor;
    const outputs = tf.layers.dense({ units: 1, activation: "sigmoid" }).apply(x) as tf.SymbolicTensor;
    return tf.model({ inputs, outputs });
  });
}
