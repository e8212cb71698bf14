// Feature maps of the pneumonia CNN, as the lecture showed them for the "9": the output of
// a convolution is one image per filter (channel), bright where the filter found its
// pattern. Early layers keep the X-ray's shape (edges, ribs, the heart's outline); deeper
// blocks are smaller and more abstract.
import * as tf from "@tensorflow/tfjs";
import { batchTensors, LabeledImages } from "../training/batches";
import { ConvLayerInfo, featureMapLayers } from "./model-parts";

export interface LayerMaps {
  layer: ConvLayerInfo;
  /** Per image: the maps [h][w][K] as one row-major Float32Array (h*w*K). */
  values: Float32Array[];
}

/** The maps of `layers` (default: every Conv2D and each block's last convolution) for a few images, one forward pass. */
export function xrayFeatureMaps(model: tf.LayersModel, data: LabeledImages, indices: number[], layers = featureMapLayers(model)): LayerMaps[] {
  const wanted = new Map(layers.map((l) => [l.index, l]));
  const last = Math.max(...layers.map((l) => l.index));
  const { x, y } = batchTensors(data, indices); // [n, size, size, 3]
  y.dispose();
  const out: LayerMaps[] = [];
  tf.tidy(() => {
    let t: tf.Tensor = x;
    for (let i = 1; i <= last; i++) {
      t = model.layers[i].apply(t, { training: false }) as tf.Tensor;
      const layer = wanted.get(i);
      if (!layer) continue;
      const all = t.dataSync() as Float32Array, per = all.length / indices.length;
      out.push({ layer, values: indices.map((_, k) => all.slice(k * per, (k + 1) * per)) });
    }
  });
  x.dispose();
  return out;
}

/** Channel `c` of one image's maps as a matrix [h][w]. */
export function channelImage(maps: Float32Array, shape: [number, number, number], c: number): number[][] {
  const [h, w, k] = shape;
  return Array.from({ length: h }, (_, r) => Array.from({ length: w }, (_, col) => maps[(r * w + col) * k + c]));
}

/** The `count` channels with the largest mean activation over all the given images (the liveliest filters). */
export function strongestChannels(layer: LayerMaps, count: number): number[] {
  const k = layer.layer.shape[2];
  const sums = new Float64Array(k);
  for (const v of layer.values) for (let i = 0; i < v.length; i++) sums[i % k] += v[i];
  return Array.from({ length: k }, (_, c) => c).sort((a, b) => sums[b] - sums[a]).slice(0, Math.min(count, k));
}
