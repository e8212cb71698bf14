// The shared memory of data-parallel training. One SharedArrayBuffer of float32:
//   [weights: every trainable weight, then every non-trainable one (BatchNorm moving stats)]
//   then per worker replica r = 1..R-1:
//   [gradients of the trainable weights][its non-trainable weights after the step][loss][outputs]
// The main thread (replica 0) writes `weights` between steps; each worker writes only its block.
// Both sides build the layout from the same model topology, so positions agree.
import * as tf from "@tensorflow/tfjs";
import { sampleShape } from "./replica-step";

export interface ParallelLayout {
  /** Element counts of model.trainableWeights, then model.nonTrainableWeights. */
  trainableSizes: number[];
  nonTrainableSizes: number[];
  trainableTotal: number;
  nonTrainableTotal: number;
  /** Largest slice a replica gets (room for its outputs). */
  maxSlice: number;
  /** Numbers the model outputs per sample. */
  outputSize: number;
  replicas: number;
}

const sizeOf = (w: tf.LayerVariable): number => w.shape.reduce((a: number, b) => a * (b ?? 1), 1);

export function layoutFor(model: tf.LayersModel, replicas: number, maxSlice: number): ParallelLayout {
  const trainableSizes = model.trainableWeights.map(sizeOf);
  const nonTrainableSizes = model.nonTrainableWeights.map(sizeOf);
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  const outputSize = sampleShape(model.outputs[0]).reduce((a, b) => a * b, 1);
  return { trainableSizes, nonTrainableSizes, trainableTotal: sum(trainableSizes), nonTrainableTotal: sum(nonTrainableSizes), maxSlice, outputSize, replicas };
}

const weightsLength = (l: ParallelLayout): number => l.trainableTotal + l.nonTrainableTotal;
const blockLength = (l: ParallelLayout): number => l.trainableTotal + l.nonTrainableTotal + 1 + l.maxSlice * l.outputSize;

export function sharedBytes(l: ParallelLayout): number {
  return 4 * (weightsLength(l) + (l.replicas - 1) * blockLength(l));
}

/** Views into the shared buffer: the broadcast weights and replica r's result block (r >= 1). */
export function weightsView(buf: SharedArrayBuffer, l: ParallelLayout): Float32Array {
  return new Float32Array(buf, 0, weightsLength(l));
}

export interface ReplicaBlock { grads: Float32Array; stats: Float32Array; loss: Float32Array; outputs: Float32Array }

export function replicaBlock(buf: SharedArrayBuffer, l: ParallelLayout, r: number): ReplicaBlock {
  if (r < 1 || r >= l.replicas) throw new Error(`replica ${r} has no shared block (1..${l.replicas - 1})`);
  let at = 4 * (weightsLength(l) + (r - 1) * blockLength(l));
  const take = (n: number): Float32Array => { const v = new Float32Array(buf, at, n); at += 4 * n; return v; };
  return { grads: take(l.trainableTotal), stats: take(l.nonTrainableTotal), loss: take(1), outputs: take(l.maxSlice * l.outputSize) };
}

/** Copies tensors' values one after another into `dst` (sizes must add up). */
export function packTensors(tensors: readonly tf.Tensor[], dst: Float32Array): void {
  let at = 0;
  for (const t of tensors) {
    const v = t.dataSync() as Float32Array;
    dst.set(v, at);
    at += v.length;
  }
  if (at !== dst.length) throw new Error(`packTensors: ${at} values for a block of ${dst.length}`);
}

/** Assigns consecutive stretches of `src` to `vars` (LayerVariable.write keeps the shape check). */
export function unpackInto(vars: readonly tf.LayerVariable[], src: Float32Array): void {
  let at = 0;
  for (const v of vars) {
    const n = sizeOf(v);
    const t = tf.tensor(src.slice(at, at + n), v.shape as number[]);
    v.write(t);
    t.dispose();
    at += n;
  }
}

/** The model's trainable then non-trainable weights, as the weights view lays them out. */
export function orderedWeights(model: tf.LayersModel): tf.LayerVariable[] {
  return [...model.trainableWeights, ...model.nonTrainableWeights];
}
