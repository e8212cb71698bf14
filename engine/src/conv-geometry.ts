// Shape arithmetic shared by the backprop kernels: where the padding lands, how far a
// filter reaches, and how to turn "the gradient of a strided, padded correlation" into
// a plain stride-1 correlation that XNNPACK runs fast.
import * as tf from "@tensorflow/tfjs";

export type PadAttr = "valid" | "same" | number | tf.backend_util.ExplicitPadding;
export type RoundingAttr = "floor" | "round" | "ceil" | undefined;

/** The geometry of one 2D convolution (NHWC), as tfjs computes it for the forward op. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
}

export function asPair(v: number | [number, number] | undefined, fallback: number): [number, number] {
  if (v == null) return [fallback, fallback];
  return typeof v === "number" ? [v, v] : v;
}

/** Geometry from tfjs's own computeConv2DInfo, so our padding matches the forward op exactly. */
export function convGeometry(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  dilations: number | [number, number],
  pad: PadAttr,
  dimRoundingMode: RoundingAttr,
  depthwise: boolean,
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(
    xShape, filterShape, strides, dilations, pad, dimRoundingMode, depthwise, "channelsLast");
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** Reach of a dilated filter along one axis: (k - 1) * d + 1. */
function effectiveSize(size: number, dilation: number): number {
  return (size - 1) * dilation + 1;
}

/**
 * Pads the two spatial axes of an NHWC tensor with [top, bottom] and [left, right] zeros in
 * one copy, slicing instead where a pad is negative.
 */
function padOrCrop(t: tf.Tensor4D, top: number, bottom: number, left: number, right: number): tf.Tensor4D {
  let out = t;
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    const h0 = Math.max(0, -top);
    const w0 = Math.max(0, -left);
    out = tf.slice(out, [0, h0, w0, 0],
      [-1, t.shape[1] - h0 - Math.max(0, -bottom), t.shape[2] - w0 - Math.max(0, -right), -1]);
  }
  const pads: Array<[number, number]> = [[0, 0], [Math.max(0, top), Math.max(0, bottom)], [Math.max(0, left), Math.max(0, right)], [0, 0]];
  if (pads.every(([a, b]) => a === 0 && b === 0)) return out;
  return tf.pad(out, pads);
}

/**
 * Inserts (stride - 1) zeros between the rows and columns of dy: the gradient of a strided
 * correlation is a stride-1 correlation over this "dilated" dy. A no-op for stride 1.
 */
export function insertZeros(dy: tf.Tensor4D, strideHeight: number, strideWidth: number): tf.Tensor4D {
  if (strideHeight === 1 && strideWidth === 1) return dy;
  const [n, h, w, c] = dy.shape;
  const spread = tf.pad(dy.reshape([n, h, 1, w, 1, c]),
    [[0, 0], [0, 0], [0, strideHeight - 1], [0, 0], [0, strideWidth - 1], [0, 0]]);
  const full = spread.reshape([n, h * strideHeight, w * strideWidth, c]) as tf.Tensor4D;
  return tf.slice(full, [0, 0, 0, 0], [n, (h - 1) * strideHeight + 1, (w - 1) * strideWidth + 1, c]);
}

/**
 * dy prepared for the input gradient: zeros inserted for the stride, cropped where a border
 * would be negative, plus the zero padding (returned, for the conv op to apply without a copy)
 * so that a stride-1 'valid' correlation with the flipped filter at the forward dilation yields
 * exactly inHeight x inWidth. Derivation: dx[i] = sum_k dyd[i + padTop - k*d] w[k]; with
 * k' = K-1-k this is a correlation of dyd shifted by (K-1)*d - padTop.
 */
export function dyForInputGradient(dy: tf.Tensor4D, g: ConvGeometry): { dy: tf.Tensor4D; pad: tf.backend_util.ExplicitPadding } {
  const spread = insertZeros(dy, g.strideHeight, g.strideWidth);
  const reachH = effectiveSize(g.filterHeight, g.dilationHeight);
  const reachW = effectiveSize(g.filterWidth, g.dilationWidth);
  const top = reachH - 1 - g.padTop;
  const left = reachW - 1 - g.padLeft;
  const bottom = g.inHeight + reachH - 1 - top - spread.shape[1];
  const right = g.inWidth + reachW - 1 - left - spread.shape[2];
  const cropped = padOrCrop(spread, Math.min(top, 0), Math.min(bottom, 0), Math.min(left, 0), Math.min(right, 0));
  const pad: tf.backend_util.ExplicitPadding =
    [[0, 0], [Math.max(top, 0), Math.max(bottom, 0)], [Math.max(left, 0), Math.max(right, 0)], [0, 0]];
  return { dy: cropped, pad };
}

/**
 * x padded (or cropped) so that tap (i, j) of the filter sees exactly the window
 * x[:, i*dh : i*dh + sh*(outH-1)+1 : sh, j*dw : ... : sw, :], plus `extraRows` zero rows below.
 */
function xForFilterGradient(x: tf.Tensor4D, g: ConvGeometry, extraRows: number): tf.Tensor4D {
  const needH = effectiveSize(g.filterHeight, g.dilationHeight) + g.strideHeight * (g.outHeight - 1);
  const needW = effectiveSize(g.filterWidth, g.dilationWidth) + g.strideWidth * (g.outWidth - 1);
  const bottom = needH - g.padTop - g.inHeight;
  const right = needW - g.padLeft - g.inWidth;
  return padOrCrop(x, g.padTop, bottom + extraRows, g.padLeft, right);
}

/** What the filter-gradient kernels multiply: per filter tap, the part of x that tap saw. */
export interface TapWindows {
  /** Output positions the windows and dy run over. */
  rows: number;
  /** The same per image (rows = batch * imageRows). */
  imageRows: number;
  /**
   * The window of x seen by filter tap (i, j): [C, rows] ("channelsFirst") or [rows, C]
   * ("channelsLast"). With `images` = [first, count], only those images' rows.
   */
  window(i: number, j: number, images?: [number, number]): tf.Tensor2D;
  /** dy [N, outH, outW, K] laid out over the same `rows` positions: [N, ?, ?, K]. */
  align(dy: tf.Tensor4D): tf.Tensor4D;
  /**
   * Stride 1, "channelsLast": where the windows are in `source` (flat, NHWC padded x), so a kernel can
   * read them in place: image b's window of tap (i, j) is `imageRows` rows from row b * plane + shift(i, j).
   */
  inPlace?: { source: tf.Tensor; plane: number; shift(i: number, j: number): number };
}

/** Windows [C, rows] for the conv2d filter gradient (a matMul operand), [rows, C] for the depthwise one. */
export type WindowLayout = "channelsFirst" | "channelsLast";

/**
 * Filter-tap windows of an NHWC x (moved to channels-first once for "channelsFirst"). For stride 1
 * the output grid is widened to the padded width, so each window is a single shift of the
 * flattened padded image (one long copy per image and channel instead of one per output row); the
 * extra columns meet the zero columns that `align` adds to dy. Strided convolutions slice with strides.
 */
export function filterGradientWindows(x: tf.Tensor4D, g: ConvGeometry, layout: WindowLayout = "channelsFirst"): TapWindows {
  const channels = x.shape[3];
  const first = layout === "channelsFirst";
  // begin/size/strides given as [image, ...position axes, channel], in the source's axis order
  const order = <T>(v: T[]): T[] => (first ? [v[v.length - 1], ...v.slice(0, -1)] : v);
  const as2d = (t: tf.Tensor, rows: number): tf.Tensor2D => t.reshape(first ? [channels, rows] : [rows, channels]) as tf.Tensor2D;
  if (g.strideHeight === 1 && g.strideWidth === 1) {
    const reachW = effectiveSize(g.filterWidth, g.dilationWidth);
    const padded = xForFilterGradient(x, g, reachW > 1 ? 1 : 0); // one spare row for the last shifts
    const [n, hp, wp] = padded.shape;
    const source = (first ? tf.transpose(padded, [3, 0, 1, 2]) : padded).reshape(order([n, hp * wp, channels])) as tf.Tensor3D;
    const length = g.outHeight * wp;
    const shift = (i: number, j: number): number => i * g.dilationHeight * wp + j * g.dilationWidth;
    return {
      rows: n * length,
      imageRows: length,
      window: (i, j, [from, count] = [0, n]) =>
        as2d(tf.slice(source, order([from, shift(i, j), 0]), order([count, length, channels])), count * length),
      align: (dy) => (wp === g.outWidth ? dy : tf.pad(dy, [[0, 0], [0, 0], [0, wp - g.outWidth], [0, 0]])),
      ...(first ? {} : { inPlace: { source, plane: hp * wp, shift } }),
    };
  }
  const padded = xForFilterGradient(x, g, 0);
  const source = first ? tf.transpose(padded, [3, 0, 1, 2]) as tf.Tensor4D : padded;
  const imageRows = g.outHeight * g.outWidth;
  return {
    rows: g.batch * imageRows,
    imageRows,
    window: (i, j, [from, count] = [0, g.batch]) => {
      const top = i * g.dilationHeight;
      const left = j * g.dilationWidth;
      const end = [from + count, top + g.strideHeight * (g.outHeight - 1) + 1, left + g.strideWidth * (g.outWidth - 1) + 1, channels];
      return as2d(tf.stridedSlice(source, order([from, top, left, 0]), order(end), order([1, g.strideHeight, g.strideWidth, 1])),
        count * imageRows);
    },
    align: (dy) => dy,
  };
}

/**
 * The stride-1 filter-gradient operands laid out so that every tap window is a contiguous stretch
 * of one buffer (a zero-copy view, heap-view.ts), for chunks of whole images:
 *   - `source`: x padded to [hp, wp] per image, channels first, chunk after chunk: chunk k is
 *     [Ci, count_k * plane] (plane = hp * wp), followed by zeros;
 *   - `dy`: [batch * plane, Co], dy at the top-left of each padded plane, zeros elsewhere.
 * Tap (i, j)'s window of chunk k is `source` from chunk.offset + shift(i, j), read as [Ci, count * plane]:
 * for an output position q with a nonzero dy row, q + shift stays inside its own plane; the other
 * columns run into the next row, chunk or the zeros, and meet dy's zero rows.
 */
export interface ShiftedTaps {
  source: tf.Tensor;
  dy: tf.Tensor2D;
  plane: number;
  chunks: { first: number; count: number; offset: number }[];
  shift(i: number, j: number): number;
}

/** x [n, H, W, C] cropped where the forward op drops input, then moved to `perm` and zero-padded by `pads`. */
function croppedTransposedPadded(x: tf.Tensor4D, g: ConvGeometry, perm: number[], pads: Array<[number, number]>): tf.Tensor4D {
  const cropped = padOrCrop(x, Math.min(g.padTop, 0), 0, Math.min(g.padLeft, 0), 0);
  return tf.pad(tf.transpose(cropped, perm), pads) as tf.Tensor4D;
}

/** Chunks of as many whole images as fit in `chunkRows` output positions (at least one). */
export function shiftedTaps(x: tf.Tensor4D, dy: tf.Tensor4D, g: ConvGeometry, chunkRows: number): ShiftedTaps {
  if (g.strideHeight !== 1 || g.strideWidth !== 1) throw new Error("shiftedTaps: stride 1 only");
  const hp = effectiveSize(g.filterHeight, g.dilationHeight) + g.outHeight - 1;
  const wp = effectiveSize(g.filterWidth, g.dilationWidth) + g.outWidth - 1;
  const top = Math.max(g.padTop, 0), left = Math.max(g.padLeft, 0);
  const inH = g.inHeight - Math.max(-g.padTop, 0), inW = g.inWidth - Math.max(-g.padLeft, 0);
  // bottom/right may be negative (input the forward op never reads): cropped before the transpose
  const bottom = hp - top - inH, right = wp - left - inW;
  const xc = bottom < 0 || right < 0 ? padOrCrop(x, 0, Math.min(bottom, 0), 0, Math.min(right, 0)) : x;
  const [n, , , ci] = x.shape, plane = hp * wp, per = Math.max(1, Math.min(n, Math.floor(chunkRows / plane)));
  const spatial: Array<[number, number]> = [[top, Math.max(bottom, 0)], [left, Math.max(right, 0)]];
  let source: tf.Tensor;
  if (per === n) {
    // one chunk [Ci, n * plane], then one zero channel as the tail
    source = croppedTransposedPadded(xc, g, [3, 0, 1, 2], [[0, 1], [0, 0], ...spatial]);
  } else if (per === 1) {
    // chunk k = image k [Ci, plane], then one zero image as the tail
    source = croppedTransposedPadded(xc, g, [0, 3, 1, 2], [[0, 1], [0, 0], ...spatial]);
  } else {
    const parts: tf.Tensor[] = [];
    for (let first = 0; first < n; first += per) {
      const count = Math.min(per, n - first), last = first + count >= n;
      const images = tf.slice(xc, [first, 0, 0, 0], [count, -1, -1, -1]);
      parts.push(croppedTransposedPadded(images, g, [3, 0, 1, 2], [[0, last ? 1 : 0], [0, 0], ...spatial]).reshape([-1]));
    }
    source = tf.concat(parts);
  }
  const chunks: ShiftedTaps["chunks"] = [];
  for (let first = 0; first < n; first += per) chunks.push({ first, count: Math.min(per, n - first), offset: first * ci * plane });
  const aligned = tf.pad(dy, [[0, 0], [0, hp - g.outHeight], [0, wp - g.outWidth], [0, 0]]).reshape([n * plane, dy.shape[3]]) as tf.Tensor2D;
  return { source, dy: aligned, plane, chunks, shift: (i, j) => i * g.dilationHeight * wp + j * g.dilationWidth };
}
