// Every access the course makes to a PRIVATE internal of another package, in one module. Each was
// read in the sources of the exact versions below (package.json pins them); a new version may move
// any of them, and test/engine/internals.test.ts fails first, naming the package that differs.
//
//   @tensorflow/tfjs-core 4.22.0
//     tf.engine().backend, tf.engine().makeTensorFromTensorInfo: a tensor for a TensorInfo a kernel made
//     tf.engine().registeredVariables: a variable by name (the fused Adam step)
//     tf.engine().runKernelFunc: every kernel run passes through it (the exercise checks watch it)
//     tf.getKernel / unregisterKernel / registerKernel: public, but replacing a backend's kernel is not
//   @tensorflow/tfjs-core AdamOptimizer (protected fields): accumulatedFirstMoment/SecondMoment,
//     accBeta1/2, beta1/2, epsilon, learningRate, incrementIterations()
//   @tensorflow/tfjs-backend-wasm 4.22.0 BackendWasm (backend_wasm.d.ts):
//     wasm.HEAPF32 / HEAP32: the Emscripten heap; wasm.tfjs.disposeData(id); dataIdMap (id, memoryOffset);
//     makeOutput(shape, dtype, memoryOffset?)
//   Emscripten (inside tfjs-backend-wasm): wasm.asm.memory, the module's exported WebAssembly.Memory
//   @tensorflow/tfjs-layers 4.22.0: a layer's call(inputs, kwargs) (overridden per instance and restored),
//     BatchNormalization's axis/momentum/epsilon/gamma/beta/movingMean/movingVariance,
//     Dropout's rate/noiseShape/seed
//   tslab 1.0.x: tslab/dist/jupyter's lastWriteDisplayData (a whole MIME bundle in one display message)
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";

/** The tfjs version these internals were read in (engine/package.json pins it). */
export const TFJS_VERSION = "4.22.0";

/** The packages whose internals this module reads. */
export const TFJS_PACKAGES = ["@tensorflow/tfjs", "@tensorflow/tfjs-core", "@tensorflow/tfjs-layers", "@tensorflow/tfjs-backend-wasm"] as const;

/** The installed version of each package this module relies on (null: not installed). */
export function installedTfjsVersions(): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const name of TFJS_PACKAGES) {
    try {
      const main = require.resolve(name);
      let dir = path.dirname(main);
      while (!fs.existsSync(path.join(dir, "package.json")) || (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string }).name !== name) {
        const up = path.dirname(dir);
        if (up === dir) throw new Error(`no package.json for ${name}`);
        dir = up;
      }
      out[name] = (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
    } catch {
      out[name] = null;
    }
  }
  return out;
}

// ---- tfjs-backend-wasm and Emscripten -------------------------------------------------------

export interface WasmBackendInternals {
  wasm: { HEAPF32: Float32Array; HEAP32: Int32Array; tfjs: { disposeData(id: number): void } };
  dataIdMap: {
    get(dataId: object): { id: number; memoryOffset: number } | undefined;
    delete(dataId: object): boolean;
  };
  /** A new tensor's storage; with `memoryOffset`, registered at those bytes instead of allocated. */
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): tf.TensorInfo;
}

function isWasmBackend(b: unknown): b is WasmBackendInternals {
  const c = b as Partial<WasmBackendInternals> | null;
  return c != null && typeof c.makeOutput === "function" && c.dataIdMap != null && typeof c.wasm?.tfjs?.disposeData === "function";
}

/** The active backend when it is wasm, else null. */
export function activeWasmBackend(): WasmBackendInternals | null {
  if (tf.getBackend() !== "wasm") return null;
  const backend: unknown = tf.engine().backend;
  return isWasmBackend(backend) ? backend : null;
}

/** Byte offset of a tensor's data in the wasm memory. */
export function byteOffset(backend: Pick<WasmBackendInternals, "dataIdMap">, t: tf.TensorInfo): number {
  const data = backend.dataIdMap.get(t.dataId);
  if (data == null) throw new Error("wasm: tensor data not found on the wasm backend");
  return data.memoryOffset;
}

/** A tensor for storage a kernel wrote (makeOutput), tracked by the engine like any other. */
export function outputTensor<T extends tf.Tensor = tf.Tensor>(info: tf.TensorInfo): T {
  return tf.engine().makeTensorFromTensorInfo(info, tf.engine().backend) as T;
}

/** Forgets a view's registration without freeing its bytes (they belong to another tensor). */
/** The wasm heap as float32 (fetch it after each allocation: growing the memory detaches older views). */
export const heapF32 = (backend: Pick<WasmBackendInternals, "wasm">): Float32Array => backend.wasm.HEAPF32;

/** The heap a dtype's values live in (float32, else int32). */
export function heapOf(backend: Pick<WasmBackendInternals, "wasm">, dtype: tf.DataType): Float32Array | Int32Array {
  return dtype === "float32" ? heapF32(backend) : backend.wasm.HEAP32;
}

/** Whether `t`'s data lives on this wasm backend. */
export function holdsData(backend: Pick<WasmBackendInternals, "dataIdMap">, t: tf.TensorInfo): boolean {
  return backend.dataIdMap.get(t.dataId) != null;
}

export function forgetView(backend: WasmBackendInternals, info: tf.TensorInfo): void {
  const entry = backend.dataIdMap.get(info.dataId);
  if (entry) backend.wasm.tfjs.disposeData(entry.id); // the kernels' registry (and XNNPACK's cached operators for it)
  backend.dataIdMap.delete(info.dataId); // so that the tensor's dispose frees nothing
}

/** Bytes of this thread's wasm memory (it grows, never shrinks); 0 off the wasm backend. For leak checks. */
export function wasmHeapBytes(): number {
  return activeWasmBackend()?.wasm.HEAPF32.buffer.byteLength ?? 0;
}

/** The Emscripten module's exported memory of a wasm backend (null elsewhere). */
export function wasmMemory(backend: unknown): WebAssembly.Memory | null {
  const memory = (backend as { wasm?: { asm?: { memory?: unknown } } } | null)?.wasm?.asm?.memory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}

// ---- kernels: the one way the course registers one ------------------------------------------

/** A tfjs kernel function as the course's kernels see it (and call the original). */
export type Fallback = (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }) => tf.TensorInfo | tf.TensorInfo[];

const COURSE_KERNEL = Symbol.for("cnn-course-engine.kernel");

/**
 * Registers make(original) as `kernelName` on `backendName`, once (a second call keeps the first).
 * `original` is the backend's own kernel, the fallback for the cases the course's does not handle.
 * Where the backend has none: `whenAbsent` "skip" (a replacement: nothing to replace) or "add"
 * (a kernel the backend lacks, such as wasm's convolution gradients; its fallback throws, naming it).
 */
export function registerCourseKernel(kernelName: string, backendName: string, make: (fallback: Fallback) => Fallback,
  whenAbsent: "skip" | "add" = "skip"): void {
  const original = tf.getKernel(kernelName, backendName);
  if (!original && whenAbsent === "skip") return;
  if (original && (original.kernelFunc as { [COURSE_KERNEL]?: boolean })[COURSE_KERNEL]) return; // already ours
  const fallback: Fallback = original ? (original.kernelFunc as unknown as Fallback)
    : () => { throw new Error(`${kernelName}: the ${backendName} backend has no kernel of its own for this case`); };
  const kernelFunc = make(fallback) as unknown as tf.KernelFunc;
  (kernelFunc as { [COURSE_KERNEL]?: boolean })[COURSE_KERNEL] = true;
  if (original) tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({ ...(original ?? {}), kernelName, backendName, kernelFunc });
}

type KernelRunner = (this: unknown, params: { kernelName?: string }) => unknown;
interface EngineRunner { runKernelFunc: KernelRunner }

/**
 * Calls `onKernel(name)` for every kernel tfjs runs until the returned function is called; that
 * function restores tfjs and says whether the hook was still in place (false: other code replaced it).
 */
export function watchKernelRuns(onKernel: (kernelName: string) => void): () => boolean {
  const engine = tf.engine() as unknown as EngineRunner;
  const own = Object.getOwnPropertyDescriptor(engine, "runKernelFunc");
  const original = engine.runKernelFunc;
  const wrapper = function (this: unknown, params: { kernelName?: string }): unknown {
    if (params?.kernelName) onKernel(params.kernelName);
    return original.call(this, params);
  };
  engine.runKernelFunc = wrapper;
  return () => {
    const intact = engine.runKernelFunc === wrapper;
    if (own) Object.defineProperty(engine, "runKernelFunc", own);
    else delete (engine as Partial<EngineRunner>).runKernelFunc;
    return intact;
  };
}

// ---- tfjs-core's Adam ---------------------------------------------------------------------------

export type NamedVariable = { originalName: string; variable: tf.Variable } | null;

/** The parts of tfjs' AdamOptimizer the fused step reads and updates (protected in its typings). */
export interface AdamInternals {
  accumulatedFirstMoment: NamedVariable[];
  accumulatedSecondMoment: NamedVariable[];
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  incrementIterations(): void;
}

export const adamInternals = (optimizer: tf.AdamOptimizer): AdamInternals => optimizer as unknown as AdamInternals;

/** A variable registered with the engine, by name. */
export const registeredVariable = (name: string): tf.Variable => tf.engine().registeredVariables[name];

// ---- tfjs-layers: a layer's call ----------------------------------------------------------------

export type LayerCall = (inputs: tf.Tensor | tf.Tensor[], kwargs: { [key: string]: unknown }) => tf.Tensor | tf.Tensor[];

/** The fields of tfjs' BatchNormalization layer that the synchronized version reads and writes. */
export interface BatchNormInternals {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma: tf.LayerVariable | null;
  beta: tf.LayerVariable | null;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

/** The fields of tfjs' Dropout layer the synchronized version reads. */
export interface DropoutInternals { rate: number; noiseShape: number[] | null; seed: number | undefined }

export const batchNormInternals = (layer: tf.layers.Layer): BatchNormInternals => layer as unknown as BatchNormInternals;
export const dropoutInternals = (layer: tf.layers.Layer): DropoutInternals => layer as unknown as DropoutInternals;

/** Replaces `layer`'s call on this instance by make(its own call); restoreCall gives it back. */
export function overrideCall(layer: tf.layers.Layer, make: (original: LayerCall) => LayerCall): void {
  const l = layer as unknown as { call: LayerCall };
  l.call = make(l.call.bind(layer));
}

export function restoreCall(layer: tf.layers.Layer): void {
  delete (layer as unknown as Partial<{ call: LayerCall }>).call; // the prototype's call shows through again
}

// ---- tslab ----------------------------------------------------------------------------------------

export interface DisplayMessage {
  data: { [mime: string]: unknown };
  metadata: { [key: string]: unknown };
  transient: { display_id?: string };
}
export type WriteDisplayData = (msg: DisplayMessage, update: boolean) => void;

/** tslab's channel for a whole MIME bundle (its public display sends one type per call); null outside tslab. */
export function tslabWriteDisplayData(): WriteDisplayData | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- tslab loads only inside its kernel
    const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData?: WriteDisplayData | null };
    return typeof jupyter.lastWriteDisplayData === "function" ? jupyter.lastWriteDisplayData : null;
  } catch {
    return null;
  }
}
