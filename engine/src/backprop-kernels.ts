// Gradient kernels for the wasm backend, written as compositions of ops that wasm runs
// through XNNPACK (Conv2D, DepthwiseConv2dNative, BatchMatMul) plus cheap slices and pads.
// tfjs-backend-wasm 4.x lacks Conv2DBackpropFilter and both depthwise backprops (training
// a conv net fails without them), and its Conv2DBackpropInput is a plain scalar loop.
import * as tf from "@tensorflow/tfjs";
import {
  ConvGeometry, PadAttr, RoundingAttr, TapWindows, asPair, convGeometry, dyForInputGradient, filterGradientWindows, shiftedTaps,
} from "./conv-geometry";
import { wasmViewBackend, withHeapView } from "./heap-view";
import { SimdKernels, simdKernelsFor } from "./simd";
import { activeWasmBackend, byteOffset, Fallback, heapOf, outputTensor, registerCourseKernel, WasmBackendInternals } from "./internals";
import { directMatMul } from "./matmul-kernel";
import { winogradConv2d, winogradFilterGradient } from "./winograd";

type Shape4 = [number, number, number, number];

interface Conv2DBackpropAttrs {
  strides: number | [number, number];
  pad: PadAttr;
  dataFormat?: "NHWC" | "NCHW";
  dimRoundingMode?: RoundingAttr;
}
interface Conv2DBackpropInputAttrs extends Conv2DBackpropAttrs { inputShape: Shape4 }
interface Conv2DBackpropFilterAttrs extends Conv2DBackpropAttrs { filterShape: Shape4 }

interface DepthwiseBackpropAttrs {
  strides: number | [number, number];
  dilations?: number | [number, number];
  pad: PadAttr;
  dimRoundingMode?: RoundingAttr;
}
interface DepthwiseBackpropInputAttrs extends DepthwiseBackpropAttrs { inputShape: Shape4 }
interface DepthwiseBackpropFilterAttrs extends DepthwiseBackpropAttrs { filterShape: Shape4 }

/** The kernels this module provides, by tfjs kernel name. */
export const WASM_GRADIENT_KERNELS = [
  "Conv2DBackpropInput",
  "Conv2DBackpropFilter",
  "DepthwiseConv2dNativeBackpropInput",
  "DepthwiseConv2dNativeBackpropFilter",
] as const;

function asTensor4D(info: tf.TensorInfo | undefined, name: string, kernel: string): tf.Tensor4D {
  if (info == null) throw new Error(`${kernel}: entrada '${name}' ausente.`);
  if (info.shape.length !== 4) throw new Error(`${kernel}: '${name}' deve ter 4 dimensões, recebi [${info.shape}].`);
  if (info.dtype !== "float32") throw new Error(`${kernel}: '${name}' deve ser float32, recebi ${info.dtype}.`);
  // The engine hands kernels the op's own Tensor objects; wrap a bare TensorInfo just in case.
  return info instanceof tf.Tensor ? (info as tf.Tensor4D) : outputTensor<tf.Tensor4D>(info);
}

function toNHWC(shape: Shape4, dataFormat: "NHWC" | "NCHW" | undefined): Shape4 {
  return dataFormat === "NCHW" ? [shape[0], shape[2], shape[3], shape[1]] : shape;
}
function nchwToNhwc(t: tf.Tensor4D): tf.Tensor4D { return tf.transpose(t, [0, 2, 3, 1]); }
function nhwcToNchw(t: tf.Tensor4D): tf.Tensor4D { return tf.transpose(t, [0, 3, 1, 2]); }

/** Flips a [kh, kw, a, b] filter in both spatial axes (skipped for 1x1 filters). */
function flipSpatial(filter: tf.Tensor4D): tf.Tensor4D {
  if (filter.shape[0] === 1 && filter.shape[1] === 1) return filter;
  return tf.reverse(filter, [0, 1]);
}

/**
 * dx of y = conv2d(x, w): a stride-1 conv2d of the zero-spread, padded dy with the
 * spatially flipped filter whose in/out channels are swapped ([kh, kw, Co, Ci]).
 */
export function conv2dBackpropInput(dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: Conv2DBackpropInputAttrs): tf.Tensor4D {
  return tf.tidy(() => {
    const inputShape = toNHWC(attrs.inputShape, attrs.dataFormat);
    const dyNHWC = attrs.dataFormat === "NCHW" ? nchwToNhwc(dy) : dy;
    const g = convGeometry(inputShape, filter.shape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false);
    if (attrs.dataFormat !== "NCHW") {
      const winograd = winogradInputGradient(dyNHWC, filter, g);
      if (winograd) return winograd;
    }
    const prepared = dyForInputGradient(dyNHWC, g);
    const flipped = tf.transpose(flipSpatial(filter), [0, 1, 3, 2]);
    const dx = tf.conv2d(prepared.dy, flipped as tf.Tensor4D, 1, prepared.pad);
    return attrs.dataFormat === "NCHW" ? nhwcToNchw(dx) : dx;
  });
}

/**
 * dx by the Winograd kernel (winograd.ts) for 3x3, stride-1 filters: dx[y, x] = Σ dy[y + i - (2 - padTop),
 * x + j - (2 - padLeft)] w[2 - i, 2 - j]ᵀ; null where it does not apply.
 */
function winogradInputGradient(dy: tf.Tensor4D, filter: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D | null {
  if (g.strideHeight !== 1 || g.strideWidth !== 1 || g.filterHeight !== 3 || g.filterWidth !== 3) return null;
  const dx = winogradConv2d({ x: dy, filter, filterRole: "inputGradient", bias: null, relu: false,
    padTop: 2 - g.padTop, padLeft: 2 - g.padLeft, outH: g.inHeight, outW: g.inWidth });
  return dx ? outputTensor<tf.Tensor4D>(dx) : null;
}

/** Rows per matMul in the filter gradient: XNNPACK streams its packed dy once per row block of
 * the window, so whole 180x180 batches (425,880 rows) ran at 15 GFLOP/s; image-sized chunks of
 * ~33k rows at 23 (9 taps, 16->16 channels, 13 images: 170 → 121 ms). */
export const FILTER_GRADIENT_CHUNK_ROWS = 32768;

/**
 * The stride-1 filter gradient on the wasm heap: each tap's window is a view of one padded,
 * channels-first copy of x (conv-geometry.ts, shiftedTaps), so no window is copied; dy's chunk is
 * a view too, packed once by XNNPACK for the nine taps. Per chunk: [kh*kw, Ci, Co], summed over chunks.
 */
function filterGradientByViews(x: tf.Tensor4D, dy: tf.Tensor4D, g: ConvGeometry, [kh, kw, ci, co]: Shape4): tf.Tensor4D {
  const taps = shiftedTaps(x, dy, g, FILTER_GRADIENT_CHUNK_ROWS);
  const perChunk = taps.chunks.map(({ first, count, offset }) => {
    const rows = count * taps.plane;
    return withHeapView(taps.dy, first * taps.plane * co, [rows, co], (dyChunk) => directMatMul(() => {
      const products: tf.Tensor[] = [];
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) products.push(withHeapView(taps.source, offset + taps.shift(i, j), [ci, rows], (w) => tf.matMul(w, dyChunk)));
      }
      return tf.stack(products);
    }));
  });
  return (perChunk.length === 1 ? perChunk[0] : tf.addN(perChunk)).reshape([kh, kw, ci, co]) as tf.Tensor4D;
}

/** The rows of x and dy a register block of the pointwise kernel sweeps: both within ~24 KB (L1). */
const pointwiseRowBlock = (ci: number, co: number): number => Math.max(8, Math.floor(24576 / (4 * (ci + co))));

/**
 * dW of a 1x1, stride-1, unpadded convolution (the pointwise half of SeparableConv2D) by the SIMD
 * kernel `pointwiseFilterGrad`: xᵀ·dy read in place, with the chunks of the matMul path below
 * (FILTER_GRADIENT_CHUNK_ROWS whole images each, summed by addN) and its order of operations, so the
 * same bits without the transpose of x or the packing of dy. Null where it does not apply.
 */
function pointwiseFilterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, g: ConvGeometry, [kh, kw, ci, co]: Shape4): tf.Tensor4D | null {
  if (kh !== 1 || kw !== 1 || g.strideHeight !== 1 || g.strideWidth !== 1 || g.padTop !== 0 || g.padLeft !== 0) return null;
  if (ci % 4 !== 0 || co % 8 !== 0 || x.shape[3] !== ci || !tf.util.arraysEqual(dy.shape, [g.batch, g.inHeight, g.inWidth, co])) return null;
  const backend = activeWasmBackend();
  const simd = backend && wasmViewBackend(x) && wasmViewBackend(dy) ? simdKernelsFor(backend) : null;
  if (!backend || !simd) return null;
  const imageRows = g.inHeight * g.inWidth;
  const perChunk = Math.max(1, Math.floor(FILTER_GRADIENT_CHUNK_ROWS / imageRows));
  const chunks: tf.Tensor[] = [];
  for (let first = 0; first < g.batch; first += perChunk) {
    const rows = Math.min(perChunk, g.batch - first) * imageRows;
    const out = backend.makeOutput([ci, co], "float32");
    simd.pointwiseFilterGrad(byteOffset(backend, x) + first * imageRows * ci * 4, byteOffset(backend, dy) + first * imageRows * co * 4,
      byteOffset(backend, out), rows, ci, co, pointwiseRowBlock(ci, co));
    chunks.push(outputTensor(out));
  }
  return (chunks.length === 1 ? chunks[0] : tf.addN(chunks)).reshape([1, 1, ci, co]) as tf.Tensor4D;
}

/** Below this many input channels (the RGB input), all taps' windows go into one product. */
const FEW_INPUT_CHANNELS = 8;

/**
 * dW of y = conv2d(x, w): for each filter tap (i, j), the window of x that the tap saw, as
 * [Ci, rows], times dy as [rows, Co] (see filterGradientWindows), summed over chunks of whole
 * images (FILTER_GRADIENT_CHUNK_ROWS). A chunk's dy is the same matMul operand for every tap, so
 * XNNPACK packs it once (directMatMul keeps it the packed operand; wasm's matMul with a
 * transposed operand is a slow loop, so we never ask for one).
 */
export function conv2dBackpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: Conv2DBackpropFilterAttrs): tf.Tensor4D {
  return tf.tidy(() => {
    const xNHWC = attrs.dataFormat === "NCHW" ? nchwToNhwc(x) : x;
    const dyNHWC = attrs.dataFormat === "NCHW" ? nchwToNhwc(dy) : dy;
    const [kh, kw, ci, co] = attrs.filterShape;
    const g = convGeometry(xNHWC.shape, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false);
    if (kh === 3 && kw === 3 && g.strideHeight === 1 && g.strideWidth === 1 && attrs.dataFormat !== "NCHW") {
      const dw = winogradFilterGradient(xNHWC, dyNHWC, g.padTop, g.padLeft);
      if (dw) return dw;
    }
    const pointwise = pointwiseFilterGradient(xNHWC, dyNHWC, g, attrs.filterShape);
    if (pointwise) return pointwise;
    // (a 1x1 filter has one window, the image itself: nothing to share between taps)
    if (g.strideHeight === 1 && g.strideWidth === 1 && kh * kw > 1 && ci >= FEW_INPUT_CHANNELS && wasmViewBackend(xNHWC)) {
      return filterGradientByViews(xNHWC, dyNHWC, g, attrs.filterShape);
    }
    const windows = filterGradientWindows(xNHWC, g);
    const dy2d = windows.align(dyNHWC).reshape([windows.rows, co]) as tf.Tensor2D;
    const perChunk = Math.max(1, Math.floor(FILTER_GRADIENT_CHUNK_ROWS / windows.imageRows));
    const chunks: tf.Tensor[] = [];
    directMatMul(() => {
      for (let first = 0; first < g.batch; first += perChunk) {
        const count = Math.min(perChunk, g.batch - first);
        const dyChunk = count === g.batch ? dy2d : tf.slice(dy2d, [first * windows.imageRows, 0], [count * windows.imageRows, co]);
        const taps: tf.Tensor2D[] = [];
        for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) taps.push(windows.window(i, j, [first, count]));
        if (ci < FEW_INPUT_CHANNELS && taps.length > 1) {
          // [kh*kw*Ci, rows] in one product: a 3-row window alone would fill 3 of a microkernel's rows
          chunks.push(tf.matMul(tf.concat(taps, 0), dyChunk));
          tf.dispose(taps);
        } else {
          // each window freed once multiplied: the chunk's windows, not the whole batch's, are alive at once
          const products = taps.map((w) => { const p = tf.matMul(w, dyChunk); w.dispose(); return p; });
          chunks.push(products.length === 1 ? products[0] : tf.stack(products));
        }
        if (dyChunk !== dy2d) dyChunk.dispose();
      }
    });
    return (chunks.length === 1 ? chunks[0] : tf.addN(chunks)).reshape([kh, kw, ci, co]) as tf.Tensor4D;
  });
}

function depthwiseGeometry(xShape: Shape4, filterShape: Shape4, attrs: DepthwiseBackpropAttrs): ConvGeometry {
  const strides = asPair(attrs.strides, 1);
  const dilations = asPair(attrs.dilations, 1);
  if ((strides[0] > 1 || strides[1] > 1) && (dilations[0] > 1 || dilations[1] > 1)) {
    throw new Error(`Gradiente de depthwiseConv2d: passo (strides=${strides}) e dilatação (dilations=${dilations}) ` +
      "maiores que 1 ao mesmo tempo não são suportados; use um deles igual a 1.");
  }
  return convGeometry(xShape, filterShape, strides, dilations, attrs.pad, attrs.dimRoundingMode, true);
}

/**
 * dx of y = depthwiseConv2d(x, w): each channel's dy correlated (stride 1, same dilation)
 * with its flipped filter; with a channel multiplier m the C*m results are summed per input channel.
 */
export function depthwiseBackpropInput(dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: DepthwiseBackpropInputAttrs): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw, c, m] = filter.shape;
    const g = depthwiseGeometry(attrs.inputShape, filter.shape, attrs);
    const prepared = dyForInputGradient(dy, g);
    const flipped = flipSpatial(filter).reshape([kh, kw, c * m, 1]) as tf.Tensor4D;
    const dilations: [number, number] = [g.dilationHeight, g.dilationWidth];
    const perOutput = tf.depthwiseConv2d(prepared.dy, flipped, 1, prepared.pad, "NHWC", dilations);
    if (m === 1) return perOutput;
    const [n, h, w] = perOutput.shape;
    return perOutput.reshape([n, h, w, c, m]).sum(4) as tf.Tensor4D;
  });
}

/**
 * Tap (i, j)'s window of x times dy [rows, C], read in place from the padded x (no slice): the same
 * products as tf.mul(window, dy), by the course's SIMD kernel (simd/kernels.wat, mulWindows).
 */
function windowTimesDy(backend: WasmBackendInternals, simd: SimdKernels, at: NonNullable<TapWindows["inPlace"]>, imageRows: number,
  dy2d: tf.Tensor, i: number, j: number): tf.Tensor {
  const [rows, c] = dy2d.shape;
  const out = backend.makeOutput([rows, c], "float32");
  simd.mulWindows(byteOffset(backend, at.source), byteOffset(backend, dy2d), byteOffset(backend, out), rows / imageRows,
    at.plane * c, imageRows * c, at.shift(i, j) * c);
  return outputTensor(out);
}

/**
 * Every tap's window times dy, summed over the rows ([taps, C]), by the SIMD kernel windowsDotDy: the
 * bits of windowTimesDy(...).sum(0) per tap (the kernel sums in the order of the engine's leading-axis
 * Sum), without the [rows, C] products in memory, x and dy read once for all taps.
 */
function windowSums(backend: WasmBackendInternals, simd: SimdKernels, at: NonNullable<TapWindows["inPlace"]>, imageRows: number,
  dy2d: tf.Tensor, taps: number, kw: number): tf.Tensor {
  const [rows, c] = dy2d.shape;
  const out = backend.makeOutput([taps, c], "float32");
  const shifts = backend.makeOutput([taps], "int32");
  try {
    const table = heapOf(backend, "int32"), first = byteOffset(backend, shifts) / 4;
    for (let t = 0; t < taps; t++) table[first + t] = at.shift(Math.floor(t / kw), t % kw) * c * 4; // bytes
    simd.windowsDotDy(byteOffset(backend, at.source), byteOffset(backend, dy2d), byteOffset(backend, out), byteOffset(backend, shifts), taps,
      rows, c, imageRows, at.plane * c);
  } finally {
    outputTensor(shifts).dispose();
  }
  return outputTensor(out);
}

/**
 * dW of y = depthwiseConv2d(x, w): for each tap, the window of x it saw times dy, summed over
 * batch and space per channel (and multiplier). Both stay channels-last: the product is
 * [rows, C] (or [rows, C, m]) and its sum over the rows is a leading-axis Sum, which the wasm
 * engine runs as one average-pooling window (heap-kernels.ts); no transposes.
 */
export function depthwiseBackpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: DepthwiseBackpropFilterAttrs): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw, c, m] = attrs.filterShape;
    const g = depthwiseGeometry(x.shape, attrs.filterShape, attrs);
    const windows = filterGradientWindows(x, g, "channelsLast");
    const rows = windows.rows;
    // dy's channel c*m + k is column (c, k)
    const dy2d = windows.align(dy).reshape(m === 1 ? [rows, c] : [rows, c, m]);
    const backend = m === 1 && windows.inPlace ? activeWasmBackend() : null;
    const simd = backend ? simdKernelsFor(backend) : null;
    if (backend && simd && windows.inPlace && rows > 7 && c % 4 === 0) {
      return windowSums(backend, simd, windows.inPlace, windows.imageRows, dy2d, kh * kw, kw).reshape([kh, kw, c, m]) as tf.Tensor4D;
    }
    const taps: tf.Tensor[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        if (backend && simd && windows.inPlace) {
          taps.push(windowTimesDy(backend, simd, windows.inPlace, windows.imageRows, dy2d, i, j).sum(0));
          continue;
        }
        const window = m === 1 ? windows.window(i, j) : windows.window(i, j).reshape([rows, c, 1]);
        taps.push(tf.mul(window, dy2d).sum(0));
      }
    }
    return tf.stack(taps).reshape([kh, kw, c, m]) as tf.Tensor4D;
  });
}

/** kernelFunc adapters: tfjs passes inputs and attrs as loose maps; check and type them here. */
function kernelConfigs(backendName: string): tf.KernelConfig[] {
  return [
    {
      kernelName: "Conv2DBackpropInput", backendName,
      kernelFunc: ({ inputs, attrs }) => conv2dBackpropInput(
        asTensor4D(inputs.dy, "dy", "Conv2DBackpropInput"), asTensor4D(inputs.filter, "filter", "Conv2DBackpropInput"),
        attrs as unknown as Conv2DBackpropInputAttrs),
    },
    {
      kernelName: "Conv2DBackpropFilter", backendName,
      kernelFunc: ({ inputs, attrs }) => conv2dBackpropFilter(
        asTensor4D(inputs.x, "x", "Conv2DBackpropFilter"), asTensor4D(inputs.dy, "dy", "Conv2DBackpropFilter"),
        attrs as unknown as Conv2DBackpropFilterAttrs),
    },
    {
      kernelName: "DepthwiseConv2dNativeBackpropInput", backendName,
      kernelFunc: ({ inputs, attrs }) => depthwiseBackpropInput(
        asTensor4D(inputs.dy, "dy", "DepthwiseConv2dNativeBackpropInput"),
        asTensor4D(inputs.filter, "filter", "DepthwiseConv2dNativeBackpropInput"),
        attrs as unknown as DepthwiseBackpropInputAttrs),
    },
    {
      kernelName: "DepthwiseConv2dNativeBackpropFilter", backendName,
      kernelFunc: ({ inputs, attrs }) => depthwiseBackpropFilter(
        asTensor4D(inputs.x, "x", "DepthwiseConv2dNativeBackpropFilter"),
        asTensor4D(inputs.dy, "dy", "DepthwiseConv2dNativeBackpropFilter"),
        attrs as unknown as DepthwiseBackpropFilterAttrs),
    },
  ];
}

/**
 * Registers the gradient kernels for a backend (wasm by default) in place of the backend's own
 * (wasm's Conv2DBackpropInput is a slow scalar loop); they handle every case, so never fall back.
 * Safe to call twice.
 */
export function registerGradientKernels(backendName = "wasm"): void {
  for (const config of kernelConfigs(backendName)) {
    const ours = config.kernelFunc as unknown as Fallback;
    registerCourseKernel(config.kernelName, backendName, () => ours, "add");
  }
}
