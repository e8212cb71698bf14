// The course's WebAssembly SIMD kernels (kernels.wat, compiled into kernels-wasm.ts), instantiated
// on the memory of the tfjs wasm backend of this thread: they read and write tensors in place.
// Null where the runtime lacks wasm SIMD or the backend hides its memory; callers then use their
// JavaScript loop.
import { KERNELS_WASM_BASE64 } from "./kernels-wasm";
import { wasmMemory } from "../internals";

export interface SimdKernels {
  /** Byte offsets and NHWC sizes; see kernels.wat. */
  maxPoolGrad2x2(x: number, dy: number, dx: number, batch: number, inH: number, inW: number, channels: number, outH: number, outW: number): void;
  /** Byte offsets for the arrays, float32 element counts for the rest; see kernels.wat. */
  mulWindows(src: number, dy: number, out: number, images: number, imageStride: number, length: number, shift: number): void;
  /** Byte offsets, then [positions, C] sizes; see kernels.wat. */
  bnNormalize(x: number, mean: number, invStd: number, gamma: number, beta: number, xhat: number, y: number, positions: number, channels: number): void;
  /** Byte offsets, then [positions, C] sizes and the statistics' count (a float32); see kernels.wat. */
  bnInputGrad(dy: number, xhat: number, a: number, b: number, gi: number, dx: number, positions: number, channels: number, count: number): void;
  /** Byte offsets, then [rows, ci] x [rows, co] sizes and rows per register block; see kernels.wat. */
  pointwiseFilterGrad(x: number, dy: number, out: number, rows: number, ci: number, co: number, rowBlock: number): void;
  /** op 0-3 (a + b, a - b, a * b, b - a), byte offsets, then [rows, channels] of a (b is [channels]); see kernels.wat. */
  channelOp(op: number, a: number, b: number, out: number, rows: number, channels: number): void;
  /** Byte offsets, then src's [rows, cols] (multiples of 4); see kernels.wat. */
  transpose(src: number, dst: number, rows: number, cols: number): void;
  /** Byte offsets, the count, the two float32 weights and whether a is scaled (1) or not (0); see kernels.wat. */
  scaleAdd(a: number, b: number, out: number, n: number, sa: number, sb: number, scaleA: number): void;
  /** Byte offsets (shifts: an int32 array of the `taps` windows' byte offsets), then sizes in float32 elements; see kernels.wat. */
  windowsDotDy(src: number, dy: number, out: number, shifts: number, taps: number, rows: number, C: number, imageRows: number, imageStride: number): void;
  /** Byte offsets and the count; see kernels.wat. */
  reluGrad(dy: number, x: number, dx: number, n: number): void;
  /** Byte offsets, the count, and Adam's float32 scalars; see kernels.wat. */
  adamKeras(w: number, g: number, m: number, v: number, wOut: number, mOut: number, vOut: number, n: number,
    b1: number, omb1: number, b2: number, omb2: number, c1: number, c2: number, eps: number, neglr: number): void;
}

const instances = new WeakMap<WebAssembly.Memory, SimdKernels | null>();
let compiled: WebAssembly.Module | null | undefined;

function compile(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  // atob: the same in Node and in the browser (the course site), no Buffer needed.
  const bytes = Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
  compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null; // no wasm SIMD: invalid
  return compiled;
}

let enabled = true;

/** Turns the SIMD kernels on or off (on by default); returns the previous setting. For comparisons in tests. */
export function setSimdKernels(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** The kernels on `backend`'s memory (instantiated once per memory), or null (also when turned off). */
export function simdKernelsFor(backend: unknown): SimdKernels | null {
  if (!enabled) return null;
  const memory = wasmMemory(backend);
  if (!memory) return null;
  if (instances.has(memory)) return instances.get(memory) ?? null;
  const module = compile();
  const kernels = module ? (new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SimdKernels) : null;
  instances.set(memory, kernels);
  return kernels;
}
