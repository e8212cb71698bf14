// Bilinear resizing exactly as `tf.image.resize` (TF 2 default, what the Keras example calls):
// half-pixel centres, no antialiasing, aspect ratio not kept. jimp's own bilinear resize uses
// corner-aligned coordinates and rounds between the two passes, so its pixels differ from
// TensorFlow's by up to a few grey levels; this one agrees with
// `tf.image.resizeBilinear(img, size, false, true)` to the rounding of the final byte.

/** Packed pixels, row-major, `channels` byte values (0..255) per pixel. */
export interface RawImage {
  data: ArrayLike<number>;
  width: number;
  height: number;
  channels: number;
}

interface Taps {
  low: Int32Array;
  high: Int32Array;
  frac: Float64Array;
}

// Source positions and weights along one axis, computed once per axis instead of per pixel.
function taps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const low = new Int32Array(outSize), high = new Int32Array(outSize), frac = new Float64Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const src = scale * (o + 0.5) - 0.5;
    const lo = Math.max(0, Math.floor(src));
    low[o] = lo;
    high[o] = Math.min(inSize - 1, Math.ceil(src));
    frac[o] = src - lo;
  }
  return { low, high, frac };
}

function checkImage(img: RawImage): void {
  const { width, height, channels } = img;
  if (![width, height, channels].every((v) => Number.isInteger(v) && v > 0)) {
    throw new Error(`resizeBilinear: largura, altura e canais devem ser inteiros > 0 (recebi ${width}x${height}x${channels})`);
  }
  if (img.data.length !== width * height * channels) {
    throw new Error(`resizeBilinear: ${img.data.length} valores não correspondem a ${width}x${height}x${channels}`);
  }
}

/**
 * Resizes to `outWidth` x `outHeight`, keeping the first `outChannels` channels (3 drops the alpha
 * of RGBA), rounding to bytes 0..255. Writes into `out` (at `offset`) when given, so a batch of
 * images can be filled in place.
 */
export function resizeBilinear(
  img: RawImage, outWidth: number, outHeight: number,
  outChannels = img.channels, out?: Uint8Array, offset = 0,
): Uint8Array {
  checkImage(img);
  if (!Number.isInteger(outWidth) || !Number.isInteger(outHeight) || outWidth < 1 || outHeight < 1) {
    throw new Error(`resizeBilinear: tamanho de saída inválido ${outWidth}x${outHeight} (use inteiros >= 1)`);
  }
  if (!Number.isInteger(outChannels) || outChannels < 1 || outChannels > img.channels) {
    throw new Error(`resizeBilinear: outChannels=${outChannels}, mas a imagem tem ${img.channels} canais`);
  }
  const needed = outWidth * outHeight * outChannels;
  const target = out ?? new Uint8Array(needed);
  if (offset + needed > target.length) throw new Error("resizeBilinear: o buffer de saída é pequeno demais");
  const src = img.data, ch = img.channels, rowStride = img.width * ch;
  const xs = taps(img.width, outWidth), ys = taps(img.height, outHeight);
  // Byte offsets of the left and right source pixels of each output column, computed once.
  const left = new Int32Array(outWidth), right = new Int32Array(outWidth);
  for (let x = 0; x < outWidth; x++) { left[x] = xs.low[x] * ch; right[x] = xs.high[x] * ch; }
  const fxs = xs.frac;
  let o = offset;
  for (let y = 0; y < outHeight; y++) {
    const top = ys.low[y] * rowStride, bottom = ys.high[y] * rowStride, fy = ys.frac[y];
    for (let x = 0; x < outWidth; x++) {
      const l = left[x], r = right[x], fx = fxs[x];
      for (let c = 0; c < outChannels; c++) {
        const tl = src[top + l + c], tr = src[top + r + c];
        const bl = src[bottom + l + c], br = src[bottom + r + c];
        const t = tl + (tr - tl) * fx;
        const v = t + (bl + (br - bl) * fx - t) * fy;
        // Interpolating bytes stays within 0..255: rounding half up is all that is left.
        target[o++] = (v + 0.5) | 0;
      }
    }
  }
  return target;
}
