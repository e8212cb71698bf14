// What one replica does in a training step, on the main thread and in every worker alike:
// forward in training mode (dropout on, BatchNorm on the replica's own slice, moving statistics
// updated in place), the loss, and the gradients of the trainable variables. Nothing here knows
// the model or the data: the shapes come from the model, the loss from a LossSpec.
import * as tf from "@tensorflow/tfjs";
import { deriveSeed, withSeededMathRandom } from "../seeding";

/**
 * `count` samples, inputs then targets laid out sample after sample (row-major). A sample's shape
 * is the model's input shape without the batch axis; a target's, its output shape's. Bytes
 * (Uint8Array, e.g. pixels 0..255) are read as their float values.
 */
export interface Batch { x: Float32Array | Uint8Array; y: Float32Array | Uint8Array; count: number }

/** A loss: the mean over the batch of targets vs the model's outputs. */
export type LossFn = (targets: tf.Tensor, outputs: tf.Tensor) => tf.Scalar;

/**
 * Where a loss lives, so that every worker thread builds the same one: `require(module)[name](options)`
 * returns the LossFn. `module` is an absolute path (a module's own __filename) or a package name;
 * `options` must survive structured cloning (numbers, plain objects).
 */
export interface LossSpec { module: string; name: string; options?: unknown }

/** The LossFn a LossSpec names; a clear error when the module does not export that factory. */
export function resolveLoss(spec: LossSpec): LossFn {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is named at run time (a LossSpec)
  const exported: unknown = (require(spec.module) as Record<string, unknown>)[spec.name];
  if (typeof exported !== "function") throw new Error(`LossSpec: ${spec.module} does not export a function '${spec.name}' (a factory options => LossFn).`);
  return (exported as (options: unknown) => LossFn)(spec.options);
}

export interface SliceGradients {
  /** One per trainable variable, in the order given. The caller disposes them. */
  grads: tf.Tensor[];
  /** Mean loss over the slice. */
  loss: number;
  /** The model's outputs for the slice, sample after sample. */
  outputs: Float32Array;
}

/** A per-sample shape of a model's symbolic tensor (batch axis dropped); an error on an unknown size. */
export function sampleShape(t: tf.SymbolicTensor): number[] {
  const rest = t.shape.slice(1);
  if (rest.some((d) => d == null)) throw new Error(`the engine needs fixed sample shapes; ${t.name} has [${t.shape.join(", ")}].`);
  return rest as number[];
}

const floats = (v: Float32Array | Uint8Array): Float32Array => (v instanceof Float32Array ? v : Float32Array.from(v));

/** The batch as tensors shaped for `model` (inputs [count, ...input], targets [count, ...output]). */
export function batchTensors(model: tf.LayersModel, batch: Batch): { x: tf.Tensor; y: tf.Tensor } {
  return {
    x: tf.tensor(floats(batch.x), [batch.count, ...sampleShape(model.inputs[0])]),
    y: tf.tensor(floats(batch.y), [batch.count, ...sampleShape(model.outputs[0])]),
  };
}

/**
 * Forward and backward pass on one slice, with Math.random (dropout masks) seeded by `seed`.
 * Disposes x and y.
 */
export function sliceGradients(model: tf.LayersModel, variables: tf.Variable[], loss: LossFn, x: tf.Tensor, y: tf.Tensor,
  seed: number): SliceGradients {
  let kept: tf.Tensor | null = null;
  const { value, grads } = withSeededMathRandom(seed, () => tf.variableGrads(() => {
    const p = model.apply(x, { training: true }) as tf.Tensor;
    kept = tf.keep(p);
    return loss(y, p);
  }, variables));
  const outputs = kept as tf.Tensor | null;
  if (!outputs) throw new Error("the training step produced no outputs.");
  const result = {
    grads: variables.map((v) => grads[v.name]),
    loss: value.dataSync()[0],
    outputs: outputs.dataSync() as Float32Array,
  };
  tf.dispose([value, outputs, x, y]);
  return result;
}

/** The dropout seed of replica `r` in a step whose seed is `stepSeed` (replica 0 keeps the step's own). */
export function replicaSeed(stepSeed: number, replica: number): number {
  return replica === 0 ? stepSeed : deriveSeed(stepSeed, replica);
}

/**
 * Splits n samples over at most `replicas` slices, as even as possible, larger slices first: the
 * main thread (slice 0) takes the extra sample. The worker finishes its backward pass later anyway
 * (it also copies its gradients out): with 12 images on main and 13 on the worker, main waited
 * 40-129 ms per step for it (180x180, batch 25); with 13 and 12, 51-73 ms, and the step went from
 * 1143-1181 to 1104-1132 ms.
 */
export function sliceSizes(n: number, replicas: number): number[] {
  const r = Math.max(1, Math.min(replicas, n));
  const base = Math.floor(n / r), extra = n % r;
  return Array.from({ length: r }, (_, i) => base + (i < extra ? 1 : 0));
}

/** Samples [from, from + count) of a batch. */
export function sliceBatch(batch: Batch, model: tf.LayersModel, from: number, count: number): Batch {
  const xs = sampleShape(model.inputs[0]).reduce((a, b) => a * b, 1), ys = sampleShape(model.outputs[0]).reduce((a, b) => a * b, 1);
  return { x: batch.x.slice(from * xs, (from + count) * xs), y: batch.y.slice(from * ys, (from + count) * ys), count };
}
