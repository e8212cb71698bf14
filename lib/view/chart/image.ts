// Course images (a matrix of gray values, or packed pixels as the X-ray loader gives them)
// turned into RGBA pixels and into PNG data URIs: plotly draws them as `image` traces and
// the static SVG embeds the same PNG, so both views show the very same pixels.
import { platform } from "../../common/platform";

/** A grayscale image as rows of values (the lecture's 7x5 "9", an MNIST digit, a feature map). */
export type GrayImage = number[][];

/** Packed pixels, row-major: gray (1 channel), RGB (3) or RGBA (4); channels inferred from the length. */
export interface PixelImage {
  pixels: ArrayLike<number>;
  width: number;
  height: number;
  channels?: 1 | 3 | 4;
}

export type ImageInput = GrayImage | PixelImage;

export interface RgbaImage { rgba: Uint8Array; width: number; height: number }

function isPixelImage(img: ImageInput): img is PixelImage {
  return !Array.isArray(img) && typeof img === "object" && img !== null && "pixels" in img;
}

function minMax(values: ArrayLike<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/**
 * The value range that maps to black..white: [0, 1] when every value fits, else [0, 255]
 * when they fit there, else the image's own min..max (a filter response with negatives).
 */
export function autoRange(values: ArrayLike<number>): [number, number] {
  const [lo, hi] = minMax(values);
  if (lo >= 0 && hi <= 1) return [0, 1];
  if (lo >= 0 && hi <= 255) return [0, 255];
  return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
}

/** Any course image as 8-bit RGBA, values scaled from `range` (default `autoRange`). */
export function toRgba(img: ImageInput, range?: [number, number], index = 0): RgbaImage {
  const where = `imagem ${index}`;
  let values: ArrayLike<number>, width: number, height: number, channels: number;
  if (isPixelImage(img)) {
    ({ width, height } = img);
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
      throw new Error(`${where}: width e height devem ser inteiros positivos (recebi ${width}x${height})`);
    }
    channels = img.channels ?? img.pixels.length / (width * height);
    if (![1, 3, 4].includes(channels) || img.pixels.length !== width * height * channels) {
      throw new Error(`${where}: ${img.pixels.length} valores não formam ${width}x${height} pixels com 1, 3 ou 4 canais`);
    }
    values = img.pixels;
  } else if (Array.isArray(img) && img.length > 0 && Array.isArray(img[0])) {
    height = img.length;
    width = img[0].length;
    if (img.some((row) => !Array.isArray(row) || row.length !== width)) {
      throw new Error(`${where}: todas as linhas da matriz devem ter ${width} valores`);
    }
    channels = 1;
    values = img.flat();
  } else {
    throw new Error(`${where}: esperava uma matriz number[][] ou {pixels, width, height}`);
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new Error(`${where}: valor não finito (${values[i]}) na posição ${i}`);
  }
  const [lo, hi] = range ?? autoRange(values);
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const to8 = (v: number): number => Math.max(0, Math.min(255, Math.round((v - lo) * scale)));
  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    if (channels === 1) {
      const g = to8(values[p]);
      rgba[4 * p] = rgba[4 * p + 1] = rgba[4 * p + 2] = g;
      rgba[4 * p + 3] = 255;
    } else {
      for (let c = 0; c < 3; c++) rgba[4 * p + c] = to8(values[channels * p + c]);
      rgba[4 * p + 3] = channels === 4 ? to8(values[4 * p + 3]) : 255;
    }
  }
  return { rgba, width, height };
}

/** PNG file bytes of an RGBA image (synchronous: `show` runs inside a cell). */
export function encodePng(img: RgbaImage): Uint8Array {
  return platform().encodePng(new Uint8Array(img.rgba.buffer, img.rgba.byteOffset, img.rgba.byteLength), img.width, img.height);
}

export function pngDataUri(img: RgbaImage): string {
  return `data:image/png;base64,${platform().toBase64(encodePng(img))}`;
}
