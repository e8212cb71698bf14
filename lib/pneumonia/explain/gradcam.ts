// Grad-CAM (Selvaraju et al., "Grad-CAM: Visual Explanations from Deep Networks via
// Gradient-based Localization", ICCV 2017) on the pneumonia CNN:
//   1. A = the maps of a convolution (the last one by default), shape [h, w, K];
//   2. the gradient of the class score with respect to A, same shape;
//   3. one weight per channel: alpha_k = the mean of that gradient over the h x w positions;
//   4. the map: ReLU(sum_k alpha_k A_k), shape [h, w] (only what pushes TOWARDS the class);
//   5. upsampled to the image size to be drawn over the X-ray.
// Steps 3-4 exist twice: on plain arrays (the exercise's reference, one image) and on
// tensors (a whole batch of images with one backward pass).
import * as tf from "@tensorflow/tfjs";
import { batchTensors, LabeledImages } from "../training/batches";
import { applyLayers, assertChain, ConvLayerInfo, findConvLayer, lastConvLayer, logitsFrom } from "./model-parts";
import { noteReferenceCall } from "../../check/reference-use";

/** Step 3 on one image: grads [h][w][K] -> alpha [K], the mean over rows AND columns of each channel. */
export function channelWeights(grads: number[][][]): number[] {
  noteReferenceCall("channelWeights");
  const h = grads.length, w = grads[0].length, k = grads[0][0].length;
  const alpha = new Array<number>(k).fill(0);
  for (const row of grads) for (const cell of row) for (let c = 0; c < k; c++) alpha[c] += cell[c];
  return alpha.map((s) => s / (h * w));
}

/** Step 4 on one image: maps [h][w][K] and alpha [K] -> ReLU(sum_k alpha_k maps[.][.][k]), [h][w]. */
export function combineMaps(maps: number[][][], weights: number[]): number[][] {
  noteReferenceCall("combineMaps");
  return maps.map((row) => row.map((cell) => Math.max(0, cell.reduce((s, v, c) => s + v * weights[c], 0))));
}

export interface LayerGradients {
  /** The layer's maps A, [n, h, w, K]. */
  maps: tf.Tensor4D;
  /** d(score of the explained class)/dA, [n, h, w, K]. */
  grads: tf.Tensor4D;
  /** P(PNEUMONIA) of each image. */
  probabilities: number[];
  /** The class explained for each image (0 NORMAL, 1 PNEUMONIA). */
  classes: number[];
}

/**
 * Maps and gradients of a batch of images at a convolution, with ONE forward and ONE backward
 * pass through the rest of the network. The score of PNEUMONIA is the logit z, that of NORMAL
 * is -z, so the gradient for NORMAL is the opposite. `classes` default: the predicted class.
 * The caller disposes `maps` and `grads`.
 */
export function layerGradients(model: tf.LayersModel, x: tf.Tensor4D, layer: ConvLayerInfo, classes?: ArrayLike<number>): LayerGradients {
  const maps = tf.tidy(() => applyLayers(model, x, 0, layer.index)) as tf.Tensor4D;
  const kept: { logits?: tf.Tensor1D } = {};
  const dLogit = tf.grad((a: tf.Tensor) => {
    const z = logitsFrom(model, a, layer.index);
    kept.logits = tf.keep(z);
    return tf.sum(z);
  })(maps) as tf.Tensor4D;
  const probabilities = Array.from(kept.logits!.dataSync(), (z) => 1 / (1 + Math.exp(-z)));
  kept.logits!.dispose();
  const explained = classes ? Array.from(classes) : probabilities.map((p) => (p >= 0.5 ? 1 : 0));
  const grads = tf.tidy(() => tf.mul(dLogit, tf.tensor1d(explained.map((c) => (c === 1 ? 1 : -1))).reshape([-1, 1, 1, 1]))) as tf.Tensor4D;
  dLogit.dispose();
  return { maps, grads, probabilities, classes: explained };
}

export interface GradCamOptions {
  /** Which convolution ("bloco 4", "bloco 3", "conv 2"...; default the last one). */
  layer?: string;
  /** Class to explain per image (default: the predicted one). */
  classes?: ArrayLike<number>;
  /** Images per forward/backward pass (default 32). */
  batchSize?: number;
}

export interface GradCamResult {
  layer: ConvLayerInfo;
  probabilities: number[];
  classes: number[];
  /** alpha per image, [n][K]. */
  weights: number[][];
  /** Grad-CAM per image at the layer's resolution, [n][h][w] (after ReLU, not rescaled). */
  maps: number[][][];
  /** Per image, upsampled (bilinear) to size x size and divided by its maximum: 0..1, row-major. */
  heat: Float32Array[];
  size: number;
}

/** Steps 3-5 on tensors: [n,h,w,K] maps and grads -> [n,h,w] Grad-CAM and [n,size,size] upsampled. */
export function gradCamTensors(maps: tf.Tensor4D, grads: tf.Tensor4D, size: number): { weights: tf.Tensor2D; cam: tf.Tensor3D; upsampled: tf.Tensor3D } {
  return tf.tidy(() => {
    const [n, , , k] = maps.shape;
    const weights = tf.mean(grads, [1, 2]) as tf.Tensor2D; // [n, K]: mean over rows and columns
    const cam = tf.relu(tf.sum(tf.mul(maps, weights.reshape([n, 1, 1, k])), -1)) as tf.Tensor3D; // [n, h, w]
    const upsampled = tf.image.resizeBilinear(cam.expandDims(-1) as tf.Tensor4D, [size, size], false, true).squeeze([3]) as tf.Tensor3D;
    return { weights, cam, upsampled };
  });
}

/** Rescales each map to 0..1 by its maximum (a map that is all zero stays zero). */
export function normalizeByMax(values: Float32Array): Float32Array {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max > 0 ? values.map((v) => v / max) : values;
}

/** Grad-CAM of the images `indices` of `data`, a batch at a time. */
export function gradCam(model: tf.LayersModel, data: LabeledImages, indices: number[], opts: GradCamOptions = {}): GradCamResult {
  assertChain(model);
  const layer = opts.layer ? findConvLayer(model, opts.layer) : lastConvLayer(model);
  const size = data.size, batch = opts.batchSize ?? 32;
  const result: GradCamResult = { layer, probabilities: [], classes: [], weights: [], maps: [], heat: [], size };
  for (let from = 0; from < indices.length; from += batch) {
    const chunk = indices.slice(from, from + batch);
    const { x, y } = batchTensors(data, chunk);
    y.dispose();
    const g = layerGradients(model, x, layer, opts.classes ? Array.from(chunk, (_, i) => opts.classes![from + i]) : undefined);
    const t = gradCamTensors(g.maps, g.grads, size);
    result.probabilities.push(...g.probabilities);
    result.classes.push(...g.classes);
    result.weights.push(...(t.weights.arraySync() as number[][]));
    result.maps.push(...(t.cam.arraySync() as number[][][]));
    const up = t.upsampled.dataSync() as Float32Array;
    for (let i = 0; i < chunk.length; i++) result.heat.push(normalizeByMax(up.slice(i * size * size, (i + 1) * size * size)));
    tf.dispose([x, g.maps, g.grads, t.weights, t.cam, t.upsampled]);
  }
  return result;
}

/** One image's maps and gradients as plain arrays [h][w][K] (for the exercise's functions). */
export function gradientsAt(model: tf.LayersModel, data: LabeledImages, index: number, layerLabel?: string): { maps: number[][][]; grads: number[][][]; layer: ConvLayerInfo; probability: number; explained: number } {
  const layer = layerLabel ? findConvLayer(model, layerLabel) : lastConvLayer(model);
  const { x, y } = batchTensors(data, [index]);
  y.dispose();
  const g = layerGradients(model, x, layer);
  const maps = (g.maps.arraySync() as number[][][][])[0], grads = (g.grads.arraySync() as number[][][][])[0];
  tf.dispose([x, g.maps, g.grads]);
  return { maps, grads, layer, probability: g.probabilities[0], explained: g.classes[0] };
}
