// Pooling from scratch: a window slides over a feature map and keeps one number per
// position, the largest (max pooling) or the mean (average pooling). No padding
// ("valid"), as in the lecture's slides and in Keras' default.
import { channelOf, matrixShape, outputSize, Volume, volumeShape } from "./convolution";
import { formatValueBR } from "../common/format";
import { noteReferenceCall } from "../check/reference-use";

export type PoolMode = "max" | "average";

function checkPoolArgs(size: number, stride: number): void {
  if (!Number.isInteger(size) || size < 1) throw new Error(`O tamanho da janela de pooling deve ser um inteiro >= 1 (recebi ${size}).`);
  if (!Number.isInteger(stride) || stride < 1) throw new Error(`O passo (stride) deve ser um inteiro >= 1 (recebi ${stride}).`);
}

/** The window of `map` whose top-left corner is (row, col) in the output grid. */
function windowValues(map: number[][], outRow: number, outCol: number, size: number, stride: number): number[] {
  const values: number[] = [];
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) values.push(map[outRow * stride + i][outCol * stride + j]);
  }
  return values;
}

/** Pools a 2D map with a size x size window moved by `stride` (default: the window's size, no overlap). */
export function pool2d(map: number[][], size = 2, stride = size, mode: PoolMode = "max"): number[][] {
  noteReferenceCall("pool2d");
  const [rows, cols] = matrixShape(map, "mapa");
  checkPoolArgs(size, stride);
  if (rows < size || cols < size) {
    throw new Error(`A janela ${size}x${size} não cabe no mapa ${rows}x${cols}: use uma janela de no máximo ${Math.min(rows, cols)}.`);
  }
  // Same size formula as a convolution without padding: floor((n - k) / s) + 1.
  const outRows = outputSize(rows, size, stride), outCols = outputSize(cols, size, stride);
  return Array.from({ length: outRows }, (_, r) => Array.from({ length: outCols }, (_, c) => {
    const values = windowValues(map, r, c, size, stride);
    return mode === "max" ? Math.max(...values) : values.reduce((a, b) => a + b, 0) / values.length;
  }));
}

/** Max pooling: the largest value of each window. */
export function maxPool2d(map: number[][], size = 2, stride = size): number[][] {
  return pool2d(map, size, stride, "max");
}

/** Average pooling: the mean of each window. */
export function avgPool2d(map: number[][], size = 2, stride = size): number[][] {
  return pool2d(map, size, stride, "average");
}

/** Where each max-pooling window took its value from, as [row, col] in the input (first one on ties). */
export function maxPoolSources(map: number[][], size = 2, stride = size): [number, number][][] {
  const pooled = maxPool2d(map, size, stride);
  return pooled.map((row, r) => row.map((best, c) => {
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        if (map[r * stride + i][c * stride + j] === best) return [r * stride + i, c * stride + j] as [number, number];
      }
    }
    throw new Error("unreachable: the max is one of the window's values");
  }));
}

/** Pools every channel of a rows x cols x channels volume on its own (the channels stay). */
export function pool2dChannels(input: Volume, size = 2, stride = size, mode: PoolMode = "max"): Volume {
  const [, , channels] = volumeShape(input, "entrada");
  const pooled = Array.from({ length: channels }, (_, ch) => pool2d(channelOf(input, ch), size, stride, mode));
  return pooled[0].map((row, r) => row.map((_, c) => pooled.map((m) => m[r][c])));
}

/**
 * Each window in words, for following the pooling by hand: "janela na linha 0, coluna 0: [0; 1; 0; 0,11]
 * → máximo 1" (pt-BR numbers, so the values are separated by semicolons).
 */
export function describePoolingWindows(map: number[][], size = 2, stride = size, mode: PoolMode = "max", digits = 2): string[] {
  const pooled = pool2d(map, size, stride, mode);
  const fmt = (v: number): string => formatValueBR(v, digits);
  return pooled.flatMap((row, r) => row.map((v, c) =>
    `janela na linha ${r * stride}, coluna ${c * stride}: [${windowValues(map, r, c, size, stride).map(fmt).join("; ")}] → ${mode === "max" ? "máximo" : "média"} ${fmt(v)}`));
}
