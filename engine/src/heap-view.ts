// Zero-copy views into a wasm tensor's memory: a contiguous stretch of one tensor handed to a
// kernel as a tensor of its own, without the copy a Slice makes. The filter-gradient kernels use
// them for the nine tap windows of x (each a shift of the same flattened buffer) and for dy's
// chunks. A view is registered with the wasm backend under a new id and unregistered before
// tfjs disposes it: tfjs frees a tensor's memory on dispose, and a view's memory is the middle
// of another tensor's allocation.
import * as tf from "@tensorflow/tfjs";
import { activeWasmBackend, byteOffset, forgetView, holdsData, outputTensor, WasmBackendInternals } from "./internals";

let enabled = true;

/**
 * Turns the kernels' use of views on or off (on by default); off, they copy each window as before.
 * Returns the previous setting. For comparisons: test/engine/engine-gradients.test.ts checks both give the same bits.
 */
export function setHeapViews(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** The wasm backend when `t` lives on it and views are on, else null (the kernels then copy). */
export function wasmViewBackend(t: tf.Tensor): WasmBackendInternals | null {
  const backend = enabled ? activeWasmBackend() : null;
  return backend && holdsData(backend, t) ? backend : null;
}

/**
 * Runs `fn` with a float32 tensor of `shape` whose values are `source`'s flat elements
 * [offset, offset + size). The view is valid only inside `fn`, must not be disposed, reshaped or
 * returned by it (fn returns new tensors, such as a matMul's output), and `source` must stay alive.
 */
export function withHeapView<T>(source: tf.Tensor, offset: number, shape: number[], fn: (view: tf.Tensor) => T): T {
  const backend = wasmViewBackend(source);
  if (!backend) throw new Error("withHeapView: source is not a tensor of the wasm backend");
  if (source.dtype !== "float32") throw new Error(`withHeapView: float32 only (got ${source.dtype})`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (!Number.isInteger(offset) || offset < 0 || offset + size > source.size) {
    throw new Error(`withHeapView: elements [${offset}, ${offset + size}) outside a tensor of ${source.size}`);
  }
  const info = backend.makeOutput(shape, "float32", byteOffset(backend, source) + 4 * offset);
  const view = outputTensor(info);
  try {
    return fn(view);
  } finally {
    forgetView(backend, info); // so that the dispose below frees nothing
    view.dispose();
  }
}
