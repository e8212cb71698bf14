// The parts of tfjs-backend-wasm's BackendWasm (see its backend_wasm.d.ts) that the course's kernels
// use to work on the wasm heap in place: where a tensor's bytes are, new outputs, the registry.
import * as tf from "@tensorflow/tfjs";

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
