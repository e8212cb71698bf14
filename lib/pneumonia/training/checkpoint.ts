// Checkpoints on disk (in the browser: the platform's files, kept in IndexedDB), written so that
// an interruption (Ctrl-C, a killed kernel, a full disk) never leaves a half-written one: files
// go to a temporary folder, are flushed, and the folder is renamed into place. tfjs-node's
// file:// handlers are not available on the wasm backend, so the tfjs format (model.json +
// weights.bin) is written by hand from model.save(withSaveHandler) and read back with
// tf.io.fromMemory.
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { platform } from "../../common/platform";

const MODEL_JSON = "model.json";
const WEIGHTS_BIN = "weights.bin";
const OPTIMIZER_JSON = "optimizer.json";
const OPTIMIZER_BIN = "optimizer.bin";
const STATE_JSON = "state.json";

/** {name, tensor}, as tfjs optimizers save and load their slots. */
export type NamedTensor = Parameters<tf.Optimizer["setWeights"]>[0][number];

/** Plain JSON saved beside the weights (epoch counters, history, settings). */
export type CheckpointState = { [key: string]: unknown };

export interface LoadedCheckpoint<S extends CheckpointState> {
  dir: string;
  model: tf.LayersModel;
  /** Optimizer slots (Adam moments and iteration count), when saved. */
  optimizerWeights: NamedTensor[] | null;
  state: S;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Temporary folders left by a writer that was killed (its process is gone). */
function removeStaleTemporaries(target: string): void {
  const parent = path.dirname(path.resolve(target)), prefix = `${path.basename(target)}.tmp-`;
  for (const name of platform().files.list(parent)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split("-")[0]);
    if (pid !== process.pid && !processAlive(pid)) platform().files.remove(path.join(parent, name));
  }
}

/**
 * Writes a folder atomically: `write` fills a fresh temporary folder beside `target`,
 * which then replaces `target`. A crash leaves either the old or the new folder (the
 * old one may be left as `target.old`, which readCheckpoint falls back to).
 */
export function writeDirAtomic(target: string, write: (tmpDir: string) => void): void {
  const fs = platform().files;
  fs.mkdir(path.dirname(path.resolve(target)));
  removeStaleTemporaries(target);
  const old = `${target}.old`;
  // Finish a swap an earlier crash interrupted, so there is always one complete copy.
  if (!fs.info(target) && fs.info(old)) fs.rename(old, target);
  else fs.remove(old);
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  fs.mkdir(tmp);
  try {
    write(tmp);
  } catch (err) {
    fs.remove(tmp);
    throw err;
  }
  if (fs.info(target)) fs.rename(target, old);
  fs.rename(tmp, target);
  fs.remove(old);
}

/** The model as tfjs artifacts in memory (topology, weight specs and one weight buffer). */
export async function modelArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
  }));
  if (!saved) throw new Error("model.save não entregou os artefatos do modelo.");
  return saved;
}

export interface SaveCheckpointInput<S extends CheckpointState> {
  model: tf.LayersModel;
  optimizer?: tf.Optimizer;
  state: S;
}

/** Encodes everything first (async), then writes the folder in one synchronous step. */
export async function saveCheckpoint<S extends CheckpointState>(dir: string, input: SaveCheckpointInput<S>): Promise<void> {
  const artifacts = await modelArtifacts(input.model);
  const weightData = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)));
  const modelJson = {
    format: "layers-model",
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version["tfjs-layers"]}`,
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
  };
  let optimizer: { data: Uint8Array; specs: tf.io.WeightsManifestEntry[] } | null = null;
  if (input.optimizer) {
    const encoded = await tf.io.encodeWeights(await input.optimizer.getWeights());
    optimizer = { data: new Uint8Array(encoded.data), specs: encoded.specs };
  }
  // Synchronous from here on: nothing else (not even a SIGINT handler) runs in between.
  const fs = platform().files;
  writeDirAtomic(dir, (tmp) => {
    fs.write(path.join(tmp, WEIGHTS_BIN), weightData);
    fs.write(path.join(tmp, MODEL_JSON), JSON.stringify(modelJson));
    if (optimizer) {
      fs.write(path.join(tmp, OPTIMIZER_BIN), optimizer.data);
      fs.write(path.join(tmp, OPTIMIZER_JSON), JSON.stringify({ specs: optimizer.specs }));
    }
    // Written last: a folder with state.json is complete.
    fs.write(path.join(tmp, STATE_JSON), JSON.stringify(input.state, null, 1));
  });
}

/** The complete checkpoint folder at `dir` (or the `.old` copy a crash may have left), else null. */
export function findCheckpoint(dir: string): string | null {
  for (const candidate of [dir, `${dir}.old`]) {
    const fs = platform().files;
    if (fs.info(path.join(candidate, STATE_JSON)) && fs.info(path.join(candidate, MODEL_JSON))) return candidate;
  }
  return null;
}

/** Only the state.json of the checkpoint at `dir` (cheap: no model is built), else null. */
export function readCheckpointState<S extends CheckpointState>(dir: string): S | null {
  const found = findCheckpoint(dir);
  return found ? JSON.parse(platform().files.readText(path.join(found, STATE_JSON))) as S : null;
}

function readBuffer(file: string): ArrayBuffer {
  const b = platform().files.read(file);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** Loads a checkpoint written by saveCheckpoint (model, optimizer slots, state). */
export async function loadCheckpoint<S extends CheckpointState>(dir: string): Promise<LoadedCheckpoint<S>> {
  const found = findCheckpoint(dir);
  if (!found) {
    throw new Error(`Nenhum checkpoint completo em ${dir} (esperava ${MODEL_JSON} e ${STATE_JSON}). ` +
      "Treine primeiro, ou confira o caminho da pasta.");
  }
  const fs = platform().files;
  const modelJson = JSON.parse(fs.readText(path.join(found, MODEL_JSON))) as {
    modelTopology: tf.io.ModelArtifacts["modelTopology"];
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const weightSpecs = modelJson.weightsManifest.flatMap((g) => g.weights);
  const weightData = tf.io.CompositeArrayBuffer.join(
    modelJson.weightsManifest.flatMap((g) => g.paths.map((p) => readBuffer(path.join(found, p)))));
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData }));
  let optimizerWeights: NamedTensor[] | null = null;
  if (fs.info(path.join(found, OPTIMIZER_JSON))) {
    const { specs } = JSON.parse(fs.readText(path.join(found, OPTIMIZER_JSON))) as { specs: tf.io.WeightsManifestEntry[] };
    const map = tf.io.decodeWeights(readBuffer(path.join(found, OPTIMIZER_BIN)), specs);
    optimizerWeights = specs.map((s) => ({ name: s.name, tensor: map[s.name] }));
  }
  const state = readCheckpointState<S>(found) as S;
  return { dir: found, model, optimizerWeights, state };
}

/**
 * Copies the weights of `source` into `target` (same architecture, layer names may differ,
 * e.g. a model rebuilt in another kernel). Throws, naming the first mismatch, otherwise.
 */
export function copyWeights(source: tf.LayersModel, target: tf.LayersModel, what = "checkpoint"): void {
  const from = source.weights, to = target.weights;
  if (from.length !== to.length) {
    throw new Error(`O ${what} tem ${from.length} tensores de pesos e o modelo atual ${to.length}: ` +
      "não é a mesma arquitetura. Use o mesmo preset e tamanho de imagem, ou comece um treino novo (outra pasta).");
  }
  for (let i = 0; i < from.length; i++) {
    if (from[i].shape.join("x") !== to[i].shape.join("x")) {
      throw new Error(`O ${what} não serve para este modelo: o peso ${i} (${to[i].name}) tem forma ` +
        `[${to[i].shape.join(", ")}] no modelo e [${from[i].shape.join(", ")}] no ${what}. ` +
        "Use o mesmo preset e tamanho de imagem, ou comece um treino novo (outra pasta).");
    }
  }
  target.setWeights(from.map((w) => w.read()));
}
