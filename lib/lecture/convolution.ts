// 2D convolution from scratch on plain number arrays, as deep-learning libraries
// define it (cross-correlation: the filter is NOT flipped), with stride and zero
// padding, plus the multi-channel version (one 3D filter per output map).
// Reference for the exercises and the figures; tests compare it with tf.conv2d.
import { noteReferenceCall } from "../check/reference-use";

/** A 2D image or feature map: rows of numbers (row 0 at the top). */
export type Matrix = number[][];
/** A multi-channel image, channels last like TensorFlow: volume[row][col][channel]. */
export type Volume = number[][][];
/** Zeros on each side (same amount on all four sides), or the TensorFlow names. */
export type Padding = number | "valid" | "same";

/** Padding actually added on each side: [top, bottom, left, right]. */
export type Pads = [number, number, number, number];

/** Rows x cols of a rectangular matrix; a clear error when it is empty or ragged. */
export function matrixShape(m: Matrix, name = "matriz"): [number, number] {
  if (!Array.isArray(m) || m.length === 0 || !Array.isArray(m[0]) || m[0].length === 0) {
    throw new Error(`${name}: esperava uma matriz não vazia (number[][]), recebi ${describe(m)}.`);
  }
  const cols = m[0].length;
  m.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== cols) {
      throw new Error(`${name}: a linha ${i} tem ${Array.isArray(row) ? row.length : "?"} colunas, a linha 0 tem ${cols}; todas as linhas precisam do mesmo tamanho.`);
    }
  });
  return [m.length, cols];
}

/** Rows x cols x channels of a rectangular volume. */
export function volumeShape(v: Volume, name = "volume"): [number, number, number] {
  const [rows, cols] = matrixShape(v as unknown as Matrix, name);
  const channels = Array.isArray(v[0][0]) ? v[0][0].length : 0;
  if (channels === 0) throw new Error(`${name}: esperava um volume linhas x colunas x canais (number[][][]), cada pixel um array de canais.`);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const px = v[r][c];
      if (!Array.isArray(px) || px.length !== channels) {
        throw new Error(`${name}: o pixel [${r}][${c}] tem ${Array.isArray(px) ? px.length : "?"} canais, o pixel [0][0] tem ${channels}.`);
      }
    }
  }
  return [rows, cols, channels];
}

function describe(x: unknown): string {
  if (Array.isArray(x)) return x.length === 0 ? "um array vazio" : `um array de ${x.length} elementos do tipo ${typeof x[0]}`;
  return typeof x;
}

function assertStride(stride: number): void {
  if (!Number.isInteger(stride) || stride < 1) throw new Error(`passo (stride) deve ser um inteiro >= 1, recebi ${stride}.`);
}

/**
 * Output length along one axis: floor((n + 2p - k) / s) + 1.
 * n = input size, k = filter size, s = stride, p = zeros added on EACH side.
 */
export function outputSize(inputSize: number, kernelSize: number, stride = 1, padding = 0): number {
  noteReferenceCall("outputSize");
  assertStride(stride);
  if (!Number.isInteger(padding) || padding < 0) throw new Error(`preenchimento (padding) deve ser um inteiro >= 0, recebi ${padding}.`);
  if (kernelSize > inputSize + 2 * padding) {
    throw new Error(`o filtro (${kernelSize}) é maior que a entrada com preenchimento (${inputSize} + 2x${padding}); use um filtro menor ou mais preenchimento.`);
  }
  return Math.floor((inputSize + 2 * padding - kernelSize) / stride) + 1;
}

/**
 * Zeros before and after along one axis for TensorFlow's "same" padding:
 * output = ceil(n / s); when the total is odd the extra zero goes after (bottom/right).
 */
export function samePads(inputSize: number, kernelSize: number, stride = 1): [number, number] {
  assertStride(stride);
  const out = Math.ceil(inputSize / stride);
  const total = Math.max((out - 1) * stride + kernelSize - inputSize, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** The [top, bottom, left, right] zeros a Padding means for this image and filter. */
export function resolvePads(rows: number, cols: number, kRows: number, kCols: number, stride: number, padding: Padding): Pads {
  if (padding === "valid") return [0, 0, 0, 0];
  if (padding === "same") return [...samePads(rows, kRows, stride), ...samePads(cols, kCols, stride)] as Pads;
  if (!Number.isInteger(padding) || padding < 0) {
    throw new Error(`preenchimento (padding) deve ser um inteiro >= 0, "valid" ou "same"; recebi ${String(padding)}.`);
  }
  return [padding, padding, padding, padding];
}

/** A copy of the image with zeros around it (`padding` on every side, or [top, bottom, left, right]). */
export function zeroPad(image: Matrix, padding: number | Pads): Matrix {
  noteReferenceCall("zeroPad");
  const [rows, cols] = matrixShape(image, "imagem");
  const [top, bottom, left, right] = typeof padding === "number" ? [padding, padding, padding, padding] : padding;
  for (const p of [top, bottom, left, right]) {
    if (!Number.isInteger(p) || p < 0) throw new Error(`preenchimento (padding) deve ser um inteiro >= 0, recebi ${p}.`);
  }
  const width = left + cols + right;
  const out: Matrix = [];
  for (let r = 0; r < top; r++) out.push(new Array<number>(width).fill(0));
  for (let r = 0; r < rows; r++) out.push([...new Array<number>(left).fill(0), ...image[r], ...new Array<number>(right).fill(0)]);
  for (let r = 0; r < bottom; r++) out.push(new Array<number>(width).fill(0));
  return out;
}

/** The kRows x kCols patch of `image` whose top-left corner is (row, col). */
export function windowAt(image: Matrix, row: number, col: number, kRows: number, kCols: number): Matrix {
  if (row < 0 || col < 0 || row + kRows > image.length || col + kCols > (image[0]?.length ?? 0)) {
    throw new Error(`a janela ${kRows}x${kCols} em (${row}, ${col}) sai da imagem ${image.length}x${image[0]?.length ?? 0}.`);
  }
  return image.slice(row, row + kRows).map((r) => r.slice(col, col + kCols));
}

/**
 * 2D convolution (cross-correlation, as tf.conv2d): slides `kernel` over `image`
 * `stride` cells at a time and writes the sum of elementwise products at each stop.
 */
export function conv2d(image: Matrix, kernel: Matrix, stride = 1, padding: Padding = 0): Matrix {
  noteReferenceCall("conv2d");
  const [rows, cols] = matrixShape(image, "imagem");
  const [kRows, kCols] = matrixShape(kernel, "filtro");
  assertStride(stride);
  const pads = resolvePads(rows, cols, kRows, kCols, stride, padding);
  const padded = pads.some((p) => p > 0) ? zeroPad(image, pads) : image;
  const pRows = padded.length, pCols = padded[0].length;
  if (kRows > pRows || kCols > pCols) {
    throw new Error(`o filtro ${kRows}x${kCols} é maior que a imagem ${pRows}x${pCols} (já com preenchimento); use um filtro menor ou mais preenchimento.`);
  }
  const outRows = Math.floor((pRows - kRows) / stride) + 1;
  const outCols = Math.floor((pCols - kCols) / stride) + 1;
  const out: Matrix = [];
  for (let i = 0; i < outRows; i++) {
    const line: number[] = new Array<number>(outCols);
    for (let j = 0; j < outCols; j++) line[j] = windowProductSum(padded, kernel, i * stride, j * stride);
    out.push(line);
  }
  return out;
}

/**
 * One output of a convolution: the sum of the elementwise products of `kernel` and the
 * window of `image` whose top-left corner is (row, col). The window must fit in the image.
 */
export function windowProductSum(image: Matrix, kernel: Matrix, row: number, col: number): number {
  noteReferenceCall("windowProductSum");
  let sum = 0;
  for (let a = 0; a < kernel.length; a++) {
    const imageRow = image[row + a], kernelRow = kernel[a];
    for (let b = 0; b < kernelRow.length; b++) sum += imageRow[col + b] * kernelRow[b];
  }
  return sum;
}

/**
 * Multi-channel convolution: `input` is rows x cols x C, each filter is kRows x kCols x C
 * (it spans every channel) and gives ONE map; the result is outRows x outCols x filters.length,
 * like tf.conv2d with a [kRows, kCols, C, F] kernel. `bias` (one per filter) is added to its map.
 */
export function conv2dChannels(input: Volume, filters: Volume[], stride = 1, padding: Padding = 0, bias?: number[]): Volume {
  noteReferenceCall("conv2dChannels");
  const [rows, cols, channels] = volumeShape(input, "entrada");
  if (!Array.isArray(filters) || filters.length === 0) throw new Error("filtros: esperava uma lista não vazia de filtros 3D (cada um linhas x colunas x canais).");
  if (bias !== undefined && bias.length !== filters.length) {
    throw new Error(`bias: esperava ${filters.length} valores (um por filtro), recebi ${bias.length}.`);
  }
  const maps = filters.map((filter, f) => {
    const [kRows, kCols, kChannels] = volumeShape(filter, `filtro ${f}`);
    if (kChannels !== channels) {
      throw new Error(`filtro ${f} tem ${kChannels} canais, mas a entrada tem ${channels}: um filtro 3D precisa cobrir todos os canais.`);
    }
    // Sum over channels of the 2D convolution of each channel with its slice of the filter.
    let map: Matrix | null = null;
    for (let c = 0; c < channels; c++) {
      const part = conv2d(channelOf(input, c, rows, cols), channelOf(filter, c, kRows, kCols), stride, padding);
      map = map === null ? part : map.map((line, i) => line.map((v, j) => v + part[i][j]));
    }
    const b = bias?.[f] ?? 0;
    return (map as Matrix).map((line) => line.map((v) => v + b));
  });
  return maps[0].map((line, i) => line.map((_, j) => maps.map((m) => m[i][j])));
}

/** One channel of a volume as a matrix. */
export function channelOf(v: Volume, channel: number, rows = v.length, cols = v[0].length): Matrix {
  const out: Matrix = [];
  for (let r = 0; r < rows; r++) {
    const line = new Array<number>(cols);
    for (let c = 0; c < cols; c++) line[c] = v[r][c][channel];
    out.push(line);
  }
  return out;
}
