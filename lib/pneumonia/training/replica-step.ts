// What one replica does in a training step, on the main thread and in every worker alike:
// forward in training mode (dropout on, BatchNorm on the replica's own slice, moving statistics
// updated in place), the class-weighted loss, and the gradients of the trainable variables.
import * as tf from "@tensorflow/tfjs";
import { withSeededMathRandom, deriveSeed } from "../model/seeding";
import { ClassWeights, weightedBinaryCrossentropy } from "./loss";

export interface SliceGradients {
  /** One per trainable variable, in the order given. The caller disposes them. */
  grads: tf.Tensor[];
  /** Mean weighted loss over the slice. */
  loss: number;
  /** P(PNEUMONIA) per image of the slice, in order. */
  probabilities: Float32Array;
}

/** Float images [n, size, size, 3] (0..255) and labels [n, 1] from packed bytes. */
export function sliceTensors(images: Uint8Array, labels: Uint8Array, size: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const n = labels.length;
  return {
    x: tf.tensor4d(Float32Array.from(images), [n, size, size, 3]),
    y: tf.tensor2d(Float32Array.from(labels), [n, 1]),
  };
}

/**
 * Forward and backward pass on one slice, with Math.random (dropout masks) seeded by `seed`.
 * Disposes x and y.
 */
export function sliceGradients(model: tf.LayersModel, variables: tf.Variable[], x: tf.Tensor4D, y: tf.Tensor2D,
  seed: number, classWeights?: ClassWeights): SliceGradients {
  let kept: tf.Tensor | null = null;
  const { value, grads } = withSeededMathRandom(seed, () => tf.variableGrads(() => {
    const p = model.apply(x, { training: true }) as tf.Tensor;
    kept = tf.keep(p);
    return weightedBinaryCrossentropy(y, p, classWeights);
  }, variables));
  const probs = kept as tf.Tensor | null;
  if (!probs) throw new Error("o passo de treino não produziu previsões.");
  const result = {
    grads: variables.map((v) => grads[v.name]),
    loss: value.dataSync()[0],
    probabilities: probs.dataSync() as Float32Array,
  };
  tf.dispose([value, probs, x, y]);
  return result;
}

/** The dropout seed of replica `r` in a step whose seed is `stepSeed` (replica 0 keeps the step's own). */
export function replicaSeed(stepSeed: number, replica: number): number {
  return replica === 0 ? stepSeed : deriveSeed(stepSeed, replica);
}

/**
 * Splits n images over at most `replicas` slices, as even as possible, larger slices first: the
 * main thread (slice 0) takes the extra image. The worker finishes its backward pass later anyway
 * (it also copies its gradients out): with 12 images on main and 13 on the worker, main waited
 * 40-129 ms per step for it (180x180, batch 25); with 13 and 12, 51-73 ms, and the step went from
 * 1143-1181 to 1104-1132 ms.
 */
export function sliceSizes(n: number, replicas: number): number[] {
  const r = Math.max(1, Math.min(replicas, n));
  const base = Math.floor(n / r), extra = n % r;
  return Array.from({ length: r }, (_, i) => base + (i < extra ? 1 : 0));
}
