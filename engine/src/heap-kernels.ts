// Replacements for wasm kernels that were slow in a training step, mostly working on the wasm
// heap in place. tfjs-backend-wasm 4.x implements Slice by first copying the WHOLE input out of
// the heap (readSync) and then one innermost row at a time, Tile as a per-element loop, Identity
// as a full copy, Sum/Mean over leading axes through a 4D transpose, and MaxPoolGrad as a slow
// loop; together they took seconds per step (BatchNorm's gradient tiles to the full activation
// shape; the backprop-filter kernels slice a window per filter tap).
import * as tf from "@tensorflow/tfjs";
import { simdKernelsFor } from "./simd";
import { byteOffset, Fallback, heapF32, heapOf, registerCourseKernel, WasmBackendInternals } from "./internals";

type WasmBackendLike = Pick<WasmBackendInternals, "wasm" | "dataIdMap" | "makeOutput">;

function heapFor(backend: WasmBackendLike, dtype: tf.DataType): Float32Array | Int32Array {
  // Fetched after each allocation: growing the wasm memory detaches older views.
  return heapOf(backend, dtype);
}

/** Offset in 4-byte elements (float32 and int32 only). */
function offsetOf(backend: WasmBackendLike, info: tf.TensorInfo): number {
  return byteOffset(backend, info) / 4;
}

/**
 * Merges adjacent dimensions a slice takes whole, so copies run over the longest contiguous
 * stretch: a window [N, h, w, C] of [N, H, W, C] becomes rows of w*C floats.
 */
function canonicalSlice(shape: number[], begin: number[], size: number[]): { shape: number[]; begin: number[]; size: number[] } {
  const s = [shape[0]];
  const b = [begin[0]];
  const z = [size[0]];
  for (let d = 1; d < shape.length; d++) {
    const last = s.length - 1;
    if (begin[d] === 0 && size[d] === shape[d]) {
      // taken whole: rows of dim d-1 become one contiguous stretch
      s[last] *= shape[d]; b[last] *= shape[d]; z[last] *= shape[d];
    } else {
      s.push(shape[d]); b.push(begin[d]); z.push(size[d]);
    }
  }
  return { shape: s, begin: b, size: z };
}

function sliceKernel(fallback: Fallback): Fallback {
  return (args) => {
    const backend = args.backend as WasmBackendLike;
    const x = args.inputs.x as tf.TensorInfo;
    if ((x.dtype !== "float32" && x.dtype !== "int32") || x.shape.length === 0) return fallback(args);
    const attrs = args.attrs as unknown as { begin: number | number[]; size?: number | number[] };
    const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs.begin, attrs.size);
    const out = backend.makeOutput(size, x.dtype);
    const total = size.reduce((a, b) => a * b, 1);
    if (total === 0) return out;
    const c = canonicalSlice(x.shape, begin, size);
    const heap = heapFor(backend, x.dtype);
    const src = offsetOf(backend, x);
    let dst = offsetOf(backend, out);
    const rank = c.shape.length;
    const strides = new Array<number>(rank).fill(1);
    for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * c.shape[d + 1];
    const run = c.size[rank - 1];
    // Odometer over all but the innermost dimension; each step copies one contiguous run.
    const idx = new Array<number>(Math.max(rank - 1, 0)).fill(0);
    const rows = total / run;
    for (let r = 0; r < rows; r++) {
      let from = src + c.begin[rank - 1];
      for (let d = 0; d < rank - 1; d++) from += (c.begin[d] + idx[d]) * strides[d];
      heap.copyWithin(dst, from, from + run);
      dst += run;
      for (let d = rank - 2; d >= 0; d--) {
        if (++idx[d] < c.size[d]) break;
        idx[d] = 0;
      }
    }
    return out;
  };
}

/**
 * Tile where the input repeats whole blocks: out = [r0 copies of [r1 copies of ...]]. We fill
 * the innermost block, then double it with copyWithin: log2(reps) memmoves per level.
 */
function tileKernel(fallback: Fallback): Fallback {
  return (args) => {
    const backend = args.backend as WasmBackendLike;
    const x = args.inputs.x as tf.TensorInfo;
    if ((x.dtype !== "float32" && x.dtype !== "int32") || x.shape.length === 0) return fallback(args);
    const reps = (args.attrs as unknown as { reps: number[] }).reps;
    const rank = x.shape.length;
    const outShape = x.shape.map((d, i) => d * reps[i]);
    const out = backend.makeOutput(outShape, x.dtype);
    const total = outShape.reduce((a, b) => a * b, 1);
    if (total === 0) return out;
    const heap = heapFor(backend, x.dtype);
    const src = offsetOf(backend, x);
    const dst = offsetOf(backend, out);
    // Recursive fill: level d writes x.shape[d] sub-blocks (each tiled for dims > d), then repeats them reps[d] times.
    const innerOut = new Array<number>(rank + 1).fill(1);
    const innerIn = new Array<number>(rank + 1).fill(1);
    for (let d = rank - 1; d >= 0; d--) {
      innerOut[d] = innerOut[d + 1] * outShape[d];
      innerIn[d] = innerIn[d + 1] * x.shape[d];
    }
    const fill = (d: number, from: number, to: number): void => {
      const block = innerOut[d + 1] * x.shape[d]; // one copy of dim d, tiled inside
      if (innerOut[d + 1] === innerIn[d + 1]) {
        // nothing tiled further in: the x rows are contiguous
        heap.copyWithin(to, from, from + innerIn[d]);
      } else {
        for (let i = 0; i < x.shape[d]; i++) fill(d + 1, from + i * innerIn[d + 1], to + i * innerOut[d + 1]);
      }
      let filled = block;
      const want = block * reps[d];
      while (filled < want) {
        const n = Math.min(filled, want - filled);
        heap.copyWithin(to + filled, to, to + n);
        filled += n;
      }
    };
    fill(0, src, dst);
    return out;
  };
}

/**
 * Sum or Mean over the leading axes ([0, 1, 2] of an NHWC tensor: bias and BatchNorm gradients,
 * BatchNorm statistics). wasm transposes the whole 4D tensor to put those axes last and then sums
 * with a scalar loop. Seen as [1, outer, 1, inner], the same reduction is ONE average-pooling
 * window over all `outer` rows, which XNNPACK runs with SIMD across the channels: 0.5 ms instead
 * of 5.1 ms for a [13, 90, 90, 32] BatchNorm gradient (a 2D transpose and an innermost sum, the
 * previous version here). Sum is that mean times the row count; both accumulate in float32, as
 * wasm's own Sum does, so values agree with the cpu backend to ~1e-5 of the largest.
 */
function leadingAxesReduceKernel(fallback: Fallback, mean: boolean): Fallback {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype !== "float32" || x.shape.length < 2 || !(x instanceof tf.Tensor)) return fallback(args);
    const attrs = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const shape: number[] = x.shape;
    const axes = tf.util.parseAxisParam(attrs.axis, shape).sort((p, q) => p - q);
    if (!axes.every((a, i) => a === i) || axes.length === shape.length) return fallback(args);
    const outer = axes.reduce((n, a) => n * shape[a], 1);
    const inner = shape.slice(axes.length).reduce((n, d) => n * d, 1);
    if (outer === 0 || inner === 0) return fallback(args);
    const outShape = attrs.keepDims ? shape.map((d, i) => (i < axes.length ? 1 : d)) : shape.slice(axes.length);
    return tf.tidy(() => {
      const average = tf.avgPool(x.reshape([1, outer, 1, inner]) as tf.Tensor4D, [outer, 1], [outer, 1], "valid");
      return (mean ? average : tf.mul(average, outer)).reshape(outShape);
    });
  };
}

/**
 * Identity shares the input's memory (as the cpu backend does) instead of copying it: tfjs calls
 * it for every tensor a custom gradient saves and every clone, hundreds of times per step.
 */
function identityKernel(fallback: Fallback): Fallback {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === "string") return fallback(args);
    (args.backend as { incRef(dataId: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

/** Where a max-pool gradient reads and writes: the heap, the offsets (in floats) of x, dy and dx, the geometry. */
interface PoolGradArrays { heap: Float32Array; xs: number; dys: number; dxs: number; info: tf.backend_util.Conv2DInfo }

/** The 2x2, stride-2 pooling every CNN here uses: four candidates per output, no bookkeeping arrays (dx zeroed). */
function maxPoolGrad2x2Js({ heap, xs, dys, dxs, info }: PoolGradArrays): void {
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth } = info;
  const rowStep = inWidth * C;
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      for (let yC = 0; yC < outWidth; yC++) {
        const p00 = ((b * inHeight + 2 * yR) * inWidth + 2 * yC) * C;
        const dyBase = dys + ((b * outHeight + yR) * outWidth + yC) * C;
        for (let d = 0; d < C; d++) {
          let at = p00 + d;
          let v = heap[xs + at];
          const q01 = at + C;
          const q10 = at + rowStep;
          const q11 = q10 + C;
          if (!(v > -Infinity)) { v = -Infinity; at = -1; } // NaN or -inf never wins, as on cpu
          if (heap[xs + q01] > v) { v = heap[xs + q01]; at = q01; }
          if (heap[xs + q10] > v) { v = heap[xs + q10]; at = q10; }
          if (heap[xs + q11] > v) { at = q11; }
          if (at >= 0) heap[dxs + at] += heap[dyBase + d];
        }
      }
    }
  }
}

/** Any window, stride and padding: the first maximum per channel, then dy added there (dx zeroed). */
function maxPoolGradGeneral({ heap, xs, dys, dxs, info }: PoolGradArrays): void {
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth, strideHeight, strideWidth } = info;
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      const r0 = yR * strideHeight - info.padInfo.top;
      const rMin = Math.max(0, r0), rMax = Math.min(inHeight, r0 + info.filterHeight);
      for (let yC = 0; yC < outWidth; yC++) {
        const c0 = yC * strideWidth - info.padInfo.left;
        const cMin = Math.max(0, c0), cMax = Math.min(inWidth, c0 + info.filterWidth);
        best.fill(-Infinity);
        where.fill(-1);
        for (let r = rMin; r < rMax; r++) {
          for (let c = cMin; c < cMax; c++) {
            const base = ((b * inHeight + r) * inWidth + c) * C;
            for (let d = 0; d < C; d++) {
              const v = heap[xs + base + d];
              if (v > best[d]) { best[d] = v; where[d] = base + d; }
            }
          }
        }
        const dyBase = dys + ((b * outHeight + yR) * outWidth + yC) * C;
        for (let d = 0; d < C; d++) {
          if (where[d] >= 0) heap[dxs + where[d]] += heap[dyBase + d];
        }
      }
    }
  }
}

/**
 * MaxPool gradient: dy goes to the first maximum of each window (the cpu backend's rule). The 2x2,
 * stride-2 case runs the course's SIMD kernel (channels a multiple of 4) or a JavaScript loop with
 * the channel innermost; wasm's own kernel was ~100 ms per 180x180 layer.
 */
function maxPoolGradKernel(fallback: Fallback): Fallback {
  return (args) => {
    const backend = args.backend as WasmBackendLike;
    const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    if (input.dtype !== "float32" || dy.dtype !== "float32" || input.shape.length !== 4) return fallback(args);
    const attrs = args.attrs as unknown as {
      filterSize: number | [number, number]; strides: number | [number, number];
      pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding; dimRoundingMode?: "floor" | "round" | "ceil";
    };
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number],
      attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
    const out = backend.makeOutput(input.shape, "float32");
    const arrays: PoolGradArrays = { heap: heapF32(backend), xs: offsetOf(backend, input), dys: offsetOf(backend, dy), dxs: offsetOf(backend, out), info };
    const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth } = info;
    const pool2x2 = info.filterHeight === 2 && info.filterWidth === 2 && info.strideHeight === 2 && info.strideWidth === 2 &&
      info.padInfo.top === 0 && info.padInfo.left === 0;
    const simd = pool2x2 && C % 4 === 0 ? simdKernelsFor(backend) : null;
    // The SIMD kernel writes every element of every window: only rows and columns outside them need zeros.
    if (!simd || inHeight !== 2 * outHeight || inWidth !== 2 * outWidth) arrays.heap.fill(0, arrays.dxs, arrays.dxs + batchSize * inHeight * inWidth * C);
    if (simd) simd.maxPoolGrad2x2(4 * arrays.xs, 4 * arrays.dys, 4 * arrays.dxs, batchSize, inHeight, inWidth, C, outHeight, outWidth);
    else if (pool2x2) maxPoolGrad2x2Js(arrays);
    else maxPoolGradGeneral(arrays);
    return out;
  };
}

type ChannelOp = "add" | "sub" | "mul";
const CHANNEL_OP_CODE = { add: 0, sub: 1, mul: 2, rsub: 3 } as const;

/** Whether `small` is a [C] vector (any leading 1s) broadcast over the last axis of `big` (C a multiple of 4). */
function broadcastsOverChannels(big: tf.TensorInfo, small: tf.TensorInfo): boolean {
  const c = big.shape[big.shape.length - 1];
  if (big.shape.length < 2 || small.shape.length > big.shape.length || c % 4 !== 0 || small.shape.length === 0) return false;
  return small.shape[small.shape.length - 1] === c && small.shape.slice(0, -1).every((d) => d === 1);
}

/**
 * Add, Sub or Multiply of an activation [.., C] and a per-channel vector [C] (a bias, a BatchNorm
 * scale), either order, by the SIMD kernel channelOp: one float32 operation per element as tfjs does
 * (the same bits), where tfjs-wasm broadcasts one row of C at a time (Add [13, 180, 180, 16] + [16]
 * took 4.8 ms, a ReLU of the same tensor 1.5).
 */
function channelOpKernel(fallback: Fallback, op: ChannelOp): Fallback {
  return (args) => {
    const backend = args.backend as WasmBackendLike;
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const simd = a.dtype === "float32" && b.dtype === "float32" ? simdKernelsFor(backend) : null;
    const bigFirst = broadcastsOverChannels(a, b);
    if (!simd || (!bigFirst && !broadcastsOverChannels(b, a))) return fallback(args);
    const [big, small] = bigFirst ? [a, b] : [b, a];
    const out = backend.makeOutput(big.shape.slice(), "float32");
    const channels = big.shape[big.shape.length - 1];
    const rows = big.shape.reduce((p, d) => p * d, 1) / channels;
    if (rows === 0) return out;
    const code = CHANNEL_OP_CODE[op === "sub" && !bigFirst ? "rsub" : op];
    simd.channelOp(code, byteOffset(backend, big), byteOffset(backend, small), byteOffset(backend, out), rows, channels);
    return out;
  };
}

/**
 * Transpose of the last two axes (leading axes kept: a matrix, or a batch of them), float32, both
 * sizes multiples of 4, by the SIMD kernel transpose in 4x4 blocks: the Dense layer's 6400x512
 * kernel took 11.5 ms through tfjs-wasm's Transpose.
 */
function transposeKernel(fallback: Fallback): Fallback {
  return (args) => {
    const backend = args.backend as WasmBackendLike;
    const x = args.inputs.x as tf.TensorInfo;
    const perm = (args.attrs as unknown as { perm: number[] }).perm;
    const rank = x.shape.length;
    const swapsLastTwo = rank >= 2 && perm.length === rank && perm.every((p, i) => p === (i < rank - 2 ? i : 2 * rank - 3 - i));
    const simd = x.dtype === "float32" && swapsLastTwo ? simdKernelsFor(backend) : null;
    const [rows, cols] = x.shape.slice(-2);
    if (!simd || rows % 4 !== 0 || cols % 4 !== 0) return fallback(args);
    const out = backend.makeOutput(perm.map((p) => x.shape[p]), "float32");
    const matrices = x.shape.slice(0, -2).reduce((p, d) => p * d, 1);
    const src = byteOffset(backend, x), dst = byteOffset(backend, out), bytes = rows * cols * 4;
    for (let m = 0; m < matrices; m++) simd.transpose(src + m * bytes, dst + m * bytes, rows, cols);
    return out;
  };
}

/** Replaces wasm's Slice, Tile, Sum, Mean, Identity, MaxPoolGrad and Transpose (of the last two axes), and Add, Sub and Multiply by a per-channel vector (other dtypes and patterns use the originals). */
export function registerHeapKernels(backendName = "wasm"): void {
  const replacements: Array<[string, (fallback: Fallback) => Fallback]> = [
    ["Slice", sliceKernel],
    ["Tile", tileKernel],
    ["Sum", (f) => leadingAxesReduceKernel(f, false)],
    ["Mean", (f) => leadingAxesReduceKernel(f, true)],
    ["Identity", identityKernel],
    ["MaxPoolGrad", maxPoolGradKernel],
    ["Transpose", transposeKernel],
    ["Add", (f) => channelOpKernel(f, "add")],
    ["Sub", (f) => channelOpKernel(f, "sub")],
    ["Multiply", (f) => channelOpKernel(f, "mul")],
  ];
  for (const [name, make] of replacements) registerCourseKernel(name, backendName, make);
}
