// ReLU's gradient, tfjs' mul(dy, cast(step(x), "float32")), as one SIMD pass on wasm (kernels.wat,
// reluGrad) instead of three (Step, a float32-to-float32 Cast that copies, Multiply): the same bits
// (test/engine/engine-simd.test.ts). Registered over tfjs' own gradient for every backend; elsewhere, and
// where the kernel cannot run, the gradient is tfjs' expression itself.
import * as tf from "@tensorflow/tfjs";
import { simdKernelsFor } from "./simd";
import { activeWasmBackend, byteOffset, outputTensor } from "./internals";

/** dx = dy * step(x) in one pass; null when not applicable (not wasm, no SIMD, not float32, other shapes). */
export function reluGradFused(dy: tf.Tensor, x: tf.Tensor): tf.Tensor | null {
  const backend = activeWasmBackend();
  const kernels = backend ? simdKernelsFor(backend) : null;
  if (!backend || !kernels || dy.dtype !== "float32" || x.dtype !== "float32" || dy.size !== x.size) return null;
  const dx = backend.makeOutput(x.shape, "float32");
  kernels.reluGrad(byteOffset(backend, dy), byteOffset(backend, x), byteOffset(backend, dx), x.size);
  return outputTensor(dx);
}

let registered = false;

/** Puts the fused ReLU gradient in tfjs' gradient registry (once). */
export function registerFusedReluGradient(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: "Relu",
    inputsToSave: ["x"],
    gradFunc: (dy, saved) => {
      const [x] = saved;
      const g = dy as tf.Tensor;
      return { x: () => reluGradFused(g, x) ?? tf.mul(g, tf.cast(tf.step(x), "float32")) };
    },
  });
}
