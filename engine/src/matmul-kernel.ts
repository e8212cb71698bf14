// BatchMatMul for wasm, arranged so XNNPACK packs the smaller operand. tfjs-backend-wasm 4.x
// hands its second operand (b) to XNNPACK as the "weights" of a fully-connected operator, which
// packs them on every call with a new b (~5 ns a float here, against <1 ns for a transpose),
// and runs everything else (transposeA, transposeB, a batch dimension) as a scalar loop. The
// Dense layers of the pneumonia model hit both: forward x·W packs the 6400x512 W each step, dW = xᵀ·dy takes the
// slow loop and dx = dy·Wᵀ packs W again (124 ms of a 1.4 s step at batch 13, 180x180).
//
// So, for C = op(A)·op(B) with op(A) [M, K] and op(B) [K, N]:
//   - a transposed operand is materialized first (one Transpose, never the scalar loop);
//   - when op(B) is at least SWAP_RATIO times wider than op(A) is tall (N >= 4M), we compute
//     Cᵀ = op(B)ᵀ·op(A)ᵀ instead: XNNPACK packs the small op(A)ᵀ [K, M], and the big operand
//     is read once as a plain row-major input.
// The course's filter-gradient kernels reuse one b for all nine taps (packed once, see
// backprop-kernels.ts), so they call `directMatMul`, which keeps b as the packed operand.
import * as tf from "@tensorflow/tfjs";
import { Fallback, registerCourseKernel } from "./internals";

interface MatMulAttrs { transposeA: boolean; transposeB: boolean }

/** op(B) must be this many times wider (N) than op(A) is tall (M) before we swap the operands. */
export const SWAP_RATIO = 4;

let direct = 0; // > 0 while directMatMul runs

/** Runs fn with BatchMatMul in tfjs's own arrangement (b packed): for a b that several calls share. */
export function directMatMul<T>(fn: () => T): T {
  direct++;
  try {
    return fn();
  } finally {
    direct--;
  }
}

/** [.., r, c] → [.., c, r] */
function swapLast(t: tf.Tensor): tf.Tensor {
  const perm = t.shape.map((_, i) => i);
  perm.push(perm.splice(-2, 1)[0]);
  return tf.transpose(t, perm);
}

/**
 * The arrangement we run: "swap" computes Cᵀ = op(B)ᵀ·op(A)ᵀ; "plain" materializes the transposed
 * operand(s); "as-is" is tfjs's own call (no transposes, or a batch dimension: a loop either way).
 */
export function matMulPlan(aShape: readonly number[], bShape: readonly number[], attrs: MatMulAttrs): "swap" | "plain" | "as-is" {
  const batch = (shape: readonly number[]) => shape.slice(0, -2).reduce((p, d) => p * d, 1);
  if (batch(aShape) !== 1 || batch(bShape) !== 1) return "as-is";
  const m = attrs.transposeA ? aShape[aShape.length - 1] : aShape[aShape.length - 2];
  const n = attrs.transposeB ? bShape[bShape.length - 2] : bShape[bShape.length - 1];
  if (direct === 0 && n >= SWAP_RATIO * m) return "swap";
  return attrs.transposeA || attrs.transposeB ? "plain" : "as-is";
}

function batchMatMulKernel(fallback: Fallback): Fallback {
  return (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const attrs = args.attrs as unknown as MatMulAttrs;
    if (!(a instanceof tf.Tensor) || !(b instanceof tf.Tensor) || a.dtype !== "float32" || b.dtype !== "float32") return fallback(args);
    const plan = matMulPlan(a.shape, b.shape, attrs);
    if (plan === "as-is") return fallback(args);
    return tf.tidy(() => {
      if (plan === "plain") {
        const opA = attrs.transposeA ? swapLast(a) : a, opB = attrs.transposeB ? swapLast(b) : b;
        return directMatMul(() => tf.matMul(opA, opB));
      }
      // Cᵀ = op(B)ᵀ · op(A)ᵀ; op(B)ᵀ is b itself when transposeB, op(A)ᵀ is a itself when transposeA
      const left = attrs.transposeB ? b : swapLast(b);
      const right = attrs.transposeA ? a : swapLast(a);
      return swapLast(directMatMul(() => tf.matMul(left, right)));
    });
  };
}

/** Replaces wasm's BatchMatMul with the arrangement above (other dtypes use the original). */
export function registerMatMulKernel(backendName = "wasm"): void {
  registerCourseKernel("BatchMatMul", backendName, batchMatMulKernel);
}
