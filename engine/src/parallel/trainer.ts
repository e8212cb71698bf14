// Training steps on every core: data-parallel replicas, as the Keras example trains on 8 TPU
// replicas. The batch is split into one slice per thread; the main thread is replica 0 and each
// worker thread (own wasm engine, own copy of the model) is another. Each replica computes the
// gradients of its slice. By default BatchNorm uses the whole batch's statistics and dropout the
// whole batch's masks, so the result does not depend on the core count; replicaMode "replica"
// keeps both per slice, as Keras on 8 TPU replicas (see replica-mode.ts). The
// gradients are averaged, weighted by slice size, through shared memory, and the main thread
// takes ONE optimizer step (its optimizer state is the only one; checkpoints save it). The moving
// BatchNorm statistics are averaged the same way after every step, so every replica starts the
// next step from identical weights and statistics. With one thread this is exactly the plain
// step: forward, loss, tf.variableGrads, optimizer.applyGradients on the whole batch.
//
// Generic: any tf.LayersModel with one input and one output, any loss (a LossSpec every worker
// can load), any batch of numbers (Batch). The course's X-rays and the digits are two users.
import * as tf from "@tensorflow/tfjs";
import { engineInfo, initEngine } from "../init";
import { planThreads } from "../threads";
import { weightedAverage } from "../fused-average";
import { fuseConvLayers, unfuseConvLayers } from "../fused-conv";
import { ParallelLayout, layoutFor, orderedWeights, packTensors, replicaBlock, sharedBytes, unpackInto, weightsView } from "./layout";
import { ReplicaPool } from "./pool";
import { PredictRequest, REPLICA_ROLE, StepRequest } from "./replica";
import { Batch, batchTensors, LossFn, LossSpec, resolveLoss, SliceGradients, replicaSeed, sliceBatch, sliceGradients, sliceSizes } from "./replica-step";
import { gatherBytes, SharedGather } from "./shared-gather";
import { ReplicaMode } from "./replica-mode";
import { syncGatherWidth } from "./sync-batchnorm";
import { SyncReplica } from "./sync-replica";

/** The mean loss of the batch and the model's outputs for it (training mode), sample after sample. */
export interface StepResult { loss: number; outputs: Float32Array }

/**
 * Where the wall time of the last step went, on the main thread (ms): its own slice's gradients,
 * waiting for the workers after that, averaging their gradients, the optimizer step, and sharing
 * the new weights. Only the first two run while the workers compute.
 */
export interface StepPhases { ownMs: number; waitMs: number; combineMs: number; optimizerMs: number; publishMs: number }

export interface TrainStepper {
  /** Replicas in use (1 = this thread only). */
  readonly threads: number;
  /** Ctrl-C / kernel interrupt stopped the workers: stop training. */
  readonly interrupted: boolean;
  /** One optimizer step on `batch`; dropout masks seeded by `seed`. */
  step(batch: Batch, seed: number): Promise<StepResult>;
  /** The model's outputs for `batch` (inference mode, targets unused), split over the replicas; current weights. */
  predict(batch: Batch): Promise<Float32Array>;
  /** Shares the model's current weights with the workers (after the caller changed them outside step()). */
  refreshWeights(): void;
  /** Tensors alive in each worker (empty with one thread). */
  workerTensors(): number[];
  /** The phases of the last step (null before the first). */
  readonly lastPhases: StepPhases | null;
  /** Stops the workers. */
  close(): Promise<void>;
}

export interface StepperOptions {
  /** The loss every replica computes (main and workers load the same module). */
  loss: LossSpec;
  /** Default: CNN_COURSE_THREADS, else one per core (see threads.ts). */
  threads?: number;
  /** Largest batch step() will get. */
  maxBatch: number;
  /** Samples per predict() round over all replicas (default 50; predict() takes any number, in rounds). */
  predictBatch?: number;
  /** BatchNorm over the whole batch ("sync", default) or each replica's slice ("replica"). */
  replicaMode?: ReplicaMode;
}

interface Shared {
  pool: ReplicaPool | null; layout: ParallelLayout; buffer: SharedArrayBuffer; control: Int32Array;
  /** Whole-batch BatchNorm and dropout (null: replicaMode "replica", or one thread). */
  sync: SyncReplica | null;
}

function publishWeights(model: tf.LayersModel, s: Shared): void {
  packTensors(orderedWeights(model).map((w) => w.read()), weightsView(s.buffer, s.layout));
  Atomics.add(s.control, 0, 1); // the workers' Atomics.load pairs with this
}

/** Weighted sum of main's values and the workers' blocks: out = sum_r share_r * value_r. */
function weightedSum(own: Float32Array, others: Float32Array[], shares: number[]): Float32Array {
  const out = new Float32Array(own.length);
  for (let i = 0; i < own.length; i++) out[i] = own[i] * shares[0];
  others.forEach((o, r) => {
    const w = shares[r + 1];
    for (let i = 0; i < out.length; i++) out[i] += o[i] * w;
  });
  return out;
}

function concatAll(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/**
 * Folds the workers' results into main's slice result: gradients averaged (weighted by slice size)
 * on the engine, where main's own gradients already are (one upload per worker block, no copies
 * through JavaScript arrays); BatchNorm statistics set on the model.
 */
function combine(model: tf.LayersModel, s: Shared, own: SliceGradients, sizes: number[]): { grads: tf.Tensor[]; result: StepResult } {
  const n = sizes.reduce((a, b) => a + b, 0), shares = sizes.map((k) => k / n);
  const blocks = sizes.slice(1).map((_, i) => replicaBlock(s.buffer, s.layout, i + 1));
  let at = 0;
  const grads = model.trainableWeights.map((_, i) => {
    const size = s.layout.trainableSizes[i], from = at;
    at += size;
    return weightedAverage(own.grads[i], blocks.map((b) => b.grads.subarray(from, from + size)), shares);
  });
  tf.dispose(own.grads);
  const ownStats = concatAll(model.nonTrainableWeights.map((w) => w.read().dataSync() as Float32Array));
  unpackInto(model.nonTrainableWeights, weightedSum(ownStats, blocks.map((b) => b.stats), shares));
  const loss = blocks.reduce((sum, b, i) => sum + b.loss[0] * shares[i + 1], own.loss * shares[0]);
  const outputs = concatAll([own.outputs, ...blocks.map((b, i) => b.outputs.slice(0, sizes[i + 1] * s.layout.outputSize))]);
  return { grads, result: { loss, outputs } };
}

async function parallelStep(model: tf.LayersModel, variables: tf.Variable[], s: Shared, loss: LossFn,
  batch: Batch, seed: number): Promise<{ grads: tf.Tensor[]; result: StepResult; phases: StepPhases }> {
  const sizes = sliceSizes(batch.count, s.layout.replicas);
  const starts = sizes.map((_, r) => sizes.slice(0, r).reduce((a, b) => a + b, 0));
  s.sync?.gather.beginStep(sizes.length);
  s.sync?.setStep(sizes);
  const requests = new Map<number, StepRequest>();
  for (let r = 1; r < sizes.length; r++) {
    // sync: every replica draws the whole batch's masks from the step's own seed
    requests.set(r, { type: "step", batch: sliceBatch(batch, model, starts[r], sizes[r]), seed: s.sync ? seed : replicaSeed(seed, r), sizes });
  }
  const waiting = s.pool && sizes.length > 1 ? s.pool.runStep(requests) : Promise.resolve([]);
  waiting.catch(() => undefined); // awaited below; avoids an unhandled rejection while main computes
  const t = batchTensors(model, sizes.length === 1 ? batch : sliceBatch(batch, model, 0, sizes[0]));
  let own: SliceGradients;
  const started = performance.now();
  try {
    own = sliceGradients(model, variables, loss, t.x, t.y, seed);
  } catch (e) {
    s.sync?.gather.abort(); // workers waiting at a BatchNorm barrier fail instead of waiting forever
    await waiting.catch(() => undefined);
    throw e;
  }
  const computed = performance.now();
  try {
    await waiting;
  } catch (e) {
    tf.dispose(own.grads);
    throw e;
  }
  const waited = performance.now();
  const phases = { ownMs: computed - started, waitMs: waited - computed, combineMs: 0, optimizerMs: 0, publishMs: 0 };
  if (sizes.length === 1) return { grads: own.grads, result: { loss: own.loss, outputs: own.outputs }, phases };
  const combined = combine(model, s, own, sizes);
  return { ...combined, phases: { ...phases, combineMs: performance.now() - waited } };
}

/** The batch in inference mode, main and workers each predicting a slice. */
async function parallelPredict(model: tf.LayersModel, s: Shared, batch: Batch): Promise<Float32Array> {
  const width = s.layout.outputSize, out = new Float32Array(batch.count * width);
  const round = s.pool ? s.layout.maxSlice * s.layout.replicas : Math.max(1, batch.count);
  for (let from = 0; from < batch.count; from += round) {
    const sizes = sliceSizes(Math.min(round, batch.count - from), s.pool ? s.layout.replicas : 1);
    const starts = sizes.map((_, r) => from + sizes.slice(0, r).reduce((a, b) => a + b, 0));
    const requests = new Map<number, PredictRequest>();
    for (let r = 1; r < sizes.length; r++) requests.set(r, { type: "predict", batch: sliceBatch(batch, model, starts[r], sizes[r]) });
    const waiting = s.pool && sizes.length > 1 ? s.pool.runStep(requests) : Promise.resolve([]);
    waiting.catch(() => undefined); // awaited below
    const t = batchTensors(model, sliceBatch(batch, model, from, sizes[0]));
    const own = tf.tidy(() => (model.predict(t.x) as tf.Tensor).dataSync() as Float32Array);
    tf.dispose([t.x, t.y]);
    await waiting;
    out.set(own, from * width);
    for (let r = 1; r < sizes.length; r++) out.set(replicaBlock(s.buffer, s.layout, r).outputs.subarray(0, sizes[r] * width), starts[r] * width);
  }
  return out;
}

async function startShared(model: tf.LayersModel, threads: number, opts: StepperOptions): Promise<Shared> {
  const info = engineInfo() ?? await initEngine({ quiet: true });
  const layout = layoutFor(model, threads, Math.ceil(Math.max(opts.maxBatch, opts.predictBatch ?? 50) / threads));
  const buffer = new SharedArrayBuffer(sharedBytes(layout));
  const controlBuffer = new SharedArrayBuffer(4);
  const topology = model.toJSON(null, false);
  const syncLayout = { replicas: threads, width: syncGatherWidth(model) };
  const syncBuffer = (opts.replicaMode ?? "sync") === "sync" ? new SharedArrayBuffer(gatherBytes(syncLayout)) : null;
  const pool = await ReplicaPool.start(threads - 1, (replica) => ({
    role: REPLICA_ROLE, replica, backend: info.backend, topology, layout, buffer, control: controlBuffer,
    loss: opts.loss, sync: syncBuffer ? { buffer: syncBuffer, layout: syncLayout } : null,
  }));
  const sync = syncBuffer ? new SyncReplica(new SharedGather(syncBuffer, syncLayout, 0)).install(model) : null;
  const shared = { pool, layout, buffer, control: new Int32Array(controlBuffer), sync };
  publishWeights(model, shared);
  return shared;
}

/**
 * Starts the replicas (if more than one thread); falls back to one thread, saying why, when they
 * cannot start. `model` must have one input and one output; it stays the caller's.
 */
export async function createTrainStepper(model: tf.LayersModel, optimizer: tf.Optimizer, opts: StepperOptions): Promise<TrainStepper> {
  const info = engineInfo() ?? await initEngine({ quiet: true });
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const loss = resolveLoss(opts.loss);
  let threads = Math.min(opts.threads ?? (await planThreads(info.backend)).threads, Math.max(1, opts.maxBatch));
  let shared: Shared | null = null;
  if (threads > 1) {
    try {
      shared = await startShared(model, threads, opts);
    } catch (e) {
      console.warn(`Treino em 1 thread: os workers de treino não iniciaram (${e instanceof Error ? e.message : String(e)}).`);
      threads = 1;
    }
  }
  const fused = fuseConvLayers(model); // conv + bias + ReLU as one kernel while training (fused-conv.ts)
  const state: Shared = shared ?? { pool: null, layout: layoutFor(model, 1, opts.maxBatch), buffer: new SharedArrayBuffer(0), control: new Int32Array(1), sync: null };
  let lastPhases: StepPhases | null = null;
  return {
    threads,
    get interrupted() { return shared?.pool?.interrupted ?? false; },
    get lastPhases() { return lastPhases; },
    async step(batch, seed) {
      const { grads, result, phases } = await parallelStep(model, variables, state, loss, batch, seed);
      const combined = performance.now();
      optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: grads[i] })));
      tf.dispose(grads);
      const stepped = performance.now();
      if (shared) publishWeights(model, shared);
      lastPhases = { ...phases, optimizerMs: stepped - combined, publishMs: performance.now() - stepped };
      return result;
    },
    predict: (batch) => parallelPredict(model, state, batch),
    refreshWeights: () => { if (shared) publishWeights(model, shared); },
    workerTensors: () => shared?.pool?.workerTensors() ?? [],
    close: async () => {
      shared?.sync?.uninstall(); // the main thread's model is the caller's: leave it as it came
      unfuseConvLayers(fused);
      await shared?.pool?.close();
    },
  };
}
