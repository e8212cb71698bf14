// Worker side of data-parallel training: one replica with its own engine and its own copy of
// the model. Per step it loads the broadcast weights from shared memory, runs forward and
// backward on its slice of the batch, and writes its gradients, BatchNorm moving statistics,
// loss and outputs into its block (see layout.ts). The main thread averages them.
// Per prediction request it loads the weights and writes the model's outputs for its slice
// (inference mode), so validation also runs on every core.
import { isMainThread, parentPort, workerData } from "worker_threads";
import * as tf from "@tensorflow/tfjs";
import { fuseConvLayers } from "../fused-conv";
import { EngineBackend, initEngine } from "../init";
import { ParallelLayout, orderedWeights, packTensors, replicaBlock, unpackInto, weightsView } from "./layout";
import { Batch, batchTensors, LossFn, LossSpec, resolveLoss, sliceGradients } from "./replica-step";
import { GatherLayout, SharedGather } from "./shared-gather";
import { SyncReplica } from "./sync-replica";

export const REPLICA_ROLE = "cnn-course-engine-replica";

export interface ReplicaInit {
  role: typeof REPLICA_ROLE;
  replica: number;
  backend: EngineBackend;
  /** model.toJSON(null, false): the topology only; weights come through shared memory. */
  topology: unknown;
  layout: ParallelLayout;
  buffer: SharedArrayBuffer;
  /** Int32 fence the main thread bumps after writing the weights. */
  control: SharedArrayBuffer;
  loss: LossSpec;
  /** Shared memory of whole-batch BatchNorm (replicaMode "sync"); null: each replica keeps to its slice. */
  sync: { buffer: SharedArrayBuffer; layout: GatherLayout } | null;
}

/** `sizes`: every participant's slice of the batch, replica order. */
export interface StepRequest { type: "step"; batch: Batch; seed: number; sizes: number[] }
export interface PredictRequest { type: "predict"; batch: Batch }
export type ReplicaRequest = StepRequest | PredictRequest;
export type ReplicaReply =
  | { type: "ready" }
  | { type: "done"; numTensors: number }
  | { type: "error"; message: string };

interface Replica {
  model: tf.LayersModel; variables: tf.Variable[]; loss: LossFn; init: ReplicaInit; sync: SyncReplica | null;
  /** The fence value whose weights the model holds (-1: none yet). */
  loaded: number;
}

async function startReplica(init: ReplicaInit): Promise<Replica> {
  await initEngine({ backend: init.backend, quiet: true });
  const model = await tf.models.modelFromJSON({ modelTopology: init.topology as tf.io.ModelArtifacts["modelTopology"] as never });
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  fuseConvLayers(model);
  const sync = init.sync ? new SyncReplica(new SharedGather(init.sync.buffer, init.sync.layout, init.replica)).install(model) : null;
  return { model, variables, loss: resolveLoss(init.loss), init, sync, loaded: -1 };
}

/**
 * The weights the main thread published last, unless the model already holds them: consecutive
 * predictions (validation, in rounds) share one copy. A step changes only the moving statistics
 * here, and the main thread publishes after every step, so the fence has moved by the next request.
 */
function loadWeights(rep: Replica): void {
  const fence = Atomics.load(new Int32Array(rep.init.control), 0); // pairs with the main thread's Atomics.add after writing
  if (fence === rep.loaded) return;
  unpackInto(orderedWeights(rep.model), weightsView(rep.init.buffer, rep.init.layout));
  rep.loaded = fence;
}

function runPredict(rep: Replica, req: PredictRequest): void {
  loadWeights(rep);
  const { x, y } = batchTensors(rep.model, req.batch);
  const p = tf.tidy(() => (rep.model.predict(x) as tf.Tensor).dataSync() as Float32Array);
  tf.dispose([x, y]);
  replicaBlock(rep.init.buffer, rep.init.layout, rep.init.replica).outputs.set(p);
}

function runStep(rep: Replica, req: StepRequest): void {
  const { init, model, variables } = rep;
  loadWeights(rep);
  const { x, y } = batchTensors(model, req.batch);
  rep.sync?.gather.joinStep();
  rep.sync?.setStep(req.sizes);
  let out: ReturnType<typeof sliceGradients>;
  try {
    out = sliceGradients(model, variables, rep.loss, x, y, req.seed);
  } catch (e) {
    rep.sync?.gather.abort(); // the other replicas stop waiting at the next BatchNorm
    throw e;
  }
  const block = replicaBlock(init.buffer, init.layout, init.replica);
  packTensors(out.grads, block.grads);
  tf.dispose(out.grads);
  packTensors(model.nonTrainableWeights.map((w) => w.read()), block.stats);
  block.loss[0] = out.loss;
  block.outputs.set(out.outputs);
}

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e));

if (!isMainThread && (workerData as { role?: string } | null)?.role === REPLICA_ROLE && parentPort) {
  const port = parentPort;
  const init = workerData as ReplicaInit;
  startReplica(init).then((rep) => {
    port.on("message", (req: ReplicaRequest) => {
      try {
        if (req.type === "predict") runPredict(rep, req);
        else runStep(rep, req);
        port.postMessage({ type: "done", numTensors: tf.memory().numTensors } satisfies ReplicaReply);
      } catch (e) {
        port.postMessage({ type: "error", message: describe(e) } satisfies ReplicaReply);
      }
    });
    port.postMessage({ type: "ready" } satisfies ReplicaReply);
  }, (e: unknown) => port.postMessage({ type: "error", message: `não iniciou: ${describe(e)}` } satisfies ReplicaReply));
}
