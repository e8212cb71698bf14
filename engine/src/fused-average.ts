// The weighted average of the replicas' gradients (parallel/trainer.ts), tfjs' expression
//   own * shares[0] + others[0] * shares[1] + ...   (each product rounded, then each sum, in that order)
// as one SIMD pass per worker on wasm (kernels.wat, scaleAdd): a worker's block is copied from the
// shared memory into the wasm heap once, where tf.tensor copied it into a JavaScript array, then onto
// the heap, then ran three passes (two Multiply, one Add). The same bits (test/engine/engine-simd.test.ts).
import * as tf from "@tensorflow/tfjs";
import { simdKernelsFor } from "./simd";
import { activeWasmBackend, byteOffset, heapF32, outputTensor } from "./internals";

/** The tf ops themselves: the reference, and the path off wasm. */
export function weightedAverageOps(own: tf.Tensor, others: Float32Array[], shares: number[]): tf.Tensor {
  return tf.tidy(() => others.reduce((sum, o, r) => tf.add(sum, tf.mul(tf.tensor(o, own.shape), shares[r + 1])), tf.mul(own, shares[0])));
}

/** own * shares[0] + Σ others[r] * shares[r + 1] (others: own.size floats each, any memory), a new tensor of own's shape. */
export function weightedAverage(own: tf.Tensor, others: Float32Array[], shares: number[]): tf.Tensor {
  const backend = activeWasmBackend();
  const simd = backend ? simdKernelsFor(backend) : null;
  if (!backend || !simd || own.dtype !== "float32" || others.length === 0 || others.some((o) => o.length !== own.size)) {
    return weightedAverageOps(own, others, shares);
  }
  const out = backend.makeOutput(own.shape.slice(), "float32");
  const block = backend.makeOutput([own.size], "float32");
  try {
    others.forEach((o, r) => {
      heapF32(backend).set(o, byteOffset(backend, block) / 4); // the heap view fetched after the allocations
      const from = r === 0 ? byteOffset(backend, own) : byteOffset(backend, out);
      simd.scaleAdd(from, byteOffset(backend, block), byteOffset(backend, out), own.size, Math.fround(shares[0]), Math.fround(shares[r + 1]), r === 0 ? 1 : 0);
    });
  } finally {
    outputTensor(block).dispose();
  }
  return outputTensor(out);
}

