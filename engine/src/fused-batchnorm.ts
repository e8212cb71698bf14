// BatchNormalization's elementwise passes as one SIMD pass each (kernels.wat: bnNormalize,
// bnInputGrad) where tf ops take four or five passes over the activation: the same float32
// operations in the same order, so the same bits (test/engine/engine-simd.test.ts). Null where the
// kernels do not apply (not wasm, no SIMD, channels not a multiple of 4); callers then use tf ops.
import * as tf from "@tensorflow/tfjs";
import { simdKernelsFor } from "./simd";
import { activeWasmBackend, byteOffset, outputTensor } from "./internals";

/** [positions, C] of x when the per-channel `vectors` fit it and the kernels can run, else null. */
function plan(x: tf.Tensor, vectors: tf.Tensor[]): { positions: number; channels: number } | null {
  const channels = x.shape[x.rank - 1];
  if (channels % 4 !== 0 || x.dtype !== "float32" || vectors.some((v) => v.dtype !== "float32" || v.size !== channels)) return null;
  return { positions: x.size / channels, channels };
}

/** xhat = (x - mean) * invStd and y = xhat * gamma + beta, channel-wise, in one pass; null when not applicable. */
export function normalizeFused(x: tf.Tensor, mean: tf.Tensor, invStd: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): { xhat: tf.Tensor; y: tf.Tensor } | null {
  const backend = activeWasmBackend();
  const kernels = backend ? simdKernelsFor(backend) : null;
  const p = plan(x, [mean, invStd, gamma, beta]);
  if (!backend || !kernels || !p) return null;
  const xhat = backend.makeOutput(x.shape, "float32"), y = backend.makeOutput(x.shape, "float32");
  const at = (t: tf.TensorInfo): number => byteOffset(backend, t);
  kernels.bnNormalize(at(x), at(mean), at(invStd), at(gamma), at(beta), at(xhat), at(y), p.positions, p.channels);
  return { xhat: outputTensor(xhat), y: outputTensor(y) };
}

/** dx = gi * (dy - (a + xhat * b) / count), channel-wise, in one pass; null when not applicable. */
export function inputGradFused(dy: tf.Tensor, xhat: tf.Tensor, a: tf.Tensor, b: tf.Tensor, gi: tf.Tensor, count: number): tf.Tensor | null {
  const backend = activeWasmBackend();
  const kernels = backend ? simdKernelsFor(backend) : null;
  const p = plan(dy, [a, b, gi]);
  if (!backend || !kernels || !p || xhat.dtype !== "float32" || xhat.size !== dy.size) return null;
  const dx = backend.makeOutput(dy.shape, "float32");
  const at = (t: tf.TensorInfo): number => byteOffset(backend, t);
  kernels.bnInputGrad(at(dy), at(xhat), at(a), at(b), at(gi), at(dx), p.positions, p.channels, Math.fround(count));
  return outputTensor(dx);
}
