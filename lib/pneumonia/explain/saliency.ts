// Saliency map (Simonyan, Vedaldi & Zisserman, "Deep Inside Convolutional Networks", 2014):
// the gradient of the class score with respect to the input pixels. Where a small change
// of a pixel would change the score the most. Pixel-sharp, but noisy; Grad-CAM is coarse
// (the resolution of its layer) but class-discriminative. The two side by side tell more.
import * as tf from "@tensorflow/tfjs";
import { batchTensors, LabeledImages } from "../training/batches";
import { logitsFrom } from "./model-parts";
import { normalizeByMax } from "./gradcam";

export interface SaliencyResult {
  probabilities: number[];
  classes: number[];
  /** Per image: max over the 3 channels of |d score / d pixel|, divided by its maximum: 0..1, size x size. */
  maps: Float32Array[];
  size: number;
}

/**
 * Saliency of the images `indices`, one backward pass per batch. The score is the logit for
 * PNEUMONIA and minus the logit for NORMAL; `classes` default: the predicted class.
 */
export function saliencyMaps(model: tf.LayersModel, data: LabeledImages, indices: number[], opts: { classes?: ArrayLike<number>; batchSize?: number } = {}): SaliencyResult {
  const size = data.size, batch = opts.batchSize ?? 32;
  const result: SaliencyResult = { probabilities: [], classes: [], maps: [], size };
  for (let from = 0; from < indices.length; from += batch) {
    const chunk = indices.slice(from, from + batch);
    const { x, y } = batchTensors(data, chunk); // x: [n, size, size, 3], pixels 0..255
    y.dispose();
    const kept: { logits?: tf.Tensor1D } = {};
    const dx = tf.grad((input: tf.Tensor) => {
      const z = logitsFrom(model, input, 0);
      kept.logits = tf.keep(z);
      return tf.sum(z);
    })(x); // [n, size, size, 3]: d logit / d pixel
    const probabilities = Array.from(kept.logits!.dataSync(), (z) => 1 / (1 + Math.exp(-z)));
    kept.logits!.dispose();
    const classes = opts.classes ? Array.from(chunk, (_, i) => opts.classes![from + i]) : probabilities.map((p) => (p >= 0.5 ? 1 : 0));
    // |gradient| does not depend on the sign, so NORMAL (score -z) and PNEUMONIA (score z) share it.
    const magnitude = tf.tidy(() => tf.max(tf.abs(dx), -1)); // [n, size, size]
    const values = magnitude.dataSync() as Float32Array;
    for (let i = 0; i < chunk.length; i++) result.maps.push(normalizeByMax(values.slice(i * size * size, (i + 1) * size * size)));
    result.probabilities.push(...probabilities);
    result.classes.push(...classes);
    tf.dispose([x, dx, magnitude]);
  }
  return result;
}
