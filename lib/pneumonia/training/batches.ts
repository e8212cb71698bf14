// Labeled images as packed bytes (what the X-ray loader gives) and the float batches
// the model eats. Pixels stay 0..255: the model's Rescaling layer divides by 255.
import * as tf from "@tensorflow/tfjs";
import type { Batch } from "cnn-course-engine";

/** N images of size x size x 3 bytes, row-major, and their labels (0 NORMAL, 1 PNEUMONIA). */
export interface LabeledImages {
  images: Uint8Array;
  labels: Uint8Array;
  size: number;
  count: number;
}

/** Checks that the arrays agree with `size` and `count`; the message says what is wrong. */
export function assertLabeledImages(data: LabeledImages, what = "dados"): void {
  const px = data.size * data.size * 3;
  if (data.count <= 0) throw new Error(`${what}: nenhuma imagem (count = ${data.count}).`);
  if (data.images.length !== data.count * px) {
    throw new Error(`${what}: images tem ${data.images.length} bytes, esperava count x size x size x 3 = ${data.count * px}.`);
  }
  if (data.labels.length !== data.count) throw new Error(`${what}: ${data.labels.length} rótulos para ${data.count} imagens.`);
}

/** The images at `indices` as a [n, size, size, 3] float tensor and their labels as [n, 1]. */
export function batchTensors(data: LabeledImages, indices: ArrayLike<number>): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const px = data.size * data.size * 3, n = indices.length;
  const pixels = new Float32Array(n * px), labels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const k = indices[i];
    pixels.set(data.images.subarray(k * px, (k + 1) * px), i * px);
    labels[i] = data.labels[k];
  }
  return { x: tf.tensor4d(pixels, [n, data.size, data.size, 3]), y: tf.tensor2d(labels, [n, 1]) };
}

/** The images at `indices` as the engine's Batch: their bytes (0..255) and labels, in that order. */
export function imageBatch(data: LabeledImages, indices: readonly number[]): Batch {
  const px = data.size * data.size * 3;
  const x = new Uint8Array(indices.length * px), y = new Uint8Array(indices.length);
  indices.forEach((k, i) => {
    x.set(data.images.subarray(k * px, (k + 1) * px), i * px);
    y[i] = data.labels[k];
  });
  return { x, y, count: indices.length };
}

/** One image (index `i`) as its own LabeledImages of count 1. */
export function pickImage(data: LabeledImages, i: number): LabeledImages {
  if (!Number.isInteger(i) || i < 0 || i >= data.count) throw new Error(`Índice de imagem ${i} fora do intervalo 0..${data.count - 1}.`);
  const px = data.size * data.size * 3;
  return { images: data.images.slice(i * px, (i + 1) * px), labels: data.labels.slice(i, i + 1), size: data.size, count: 1 };
}

/** Lets the event loop run (notebook display updates, Ctrl-C handlers) between steps. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
