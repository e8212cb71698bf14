// A real Conv2D layer, forward pass, on plain arrays: an H x W x C input, F filters of
// kh x kw x C weights plus one bias each, stride and zero padding, giving H' x W' x F.
// The kernel uses Keras' layout, kernel[a][b][c][f] (kh x kw x C x F), the same numbers
// tf.layers.conv2d keeps in its weights, so a trained layer's kernel can be fed in as is.
import { resolvePads, Padding, Volume, volumeShape } from "./convolution";
import { convParams } from "./parameters";
import { noteReferenceCall } from "../check/reference-use";

/** A Conv2D kernel in Keras' layout: kernel[row][col][inChannel][filter], kh x kw x C x F. */
export type ConvKernel = number[][][][];

/** kh x kw x C x F of a kernel, with a clear error when it is ragged. */
export function kernelShape(kernel: ConvKernel): [number, number, number, number] {
  const ok = Array.isArray(kernel) && Array.isArray(kernel[0]) && Array.isArray(kernel[0][0]) && Array.isArray(kernel[0][0][0]);
  if (!ok) throw new Error("conv2dLayer: kernel deve ser kh x kw x C x F (number[][][][], o formato do Keras).");
  const shape: [number, number, number, number] = [kernel.length, kernel[0].length, kernel[0][0].length, kernel[0][0][0].length];
  for (const row of kernel) {
    for (const cell of row) {
      if (row.length !== shape[1] || cell.length !== shape[2] || cell.some((c) => c.length !== shape[3])) {
        throw new Error(`conv2dLayer: kernel irregular; todas as posições precisam de ${shape[2]} canais x ${shape[3]} filtros.`);
      }
    }
  }
  return shape;
}

/**
 * Conv2D forward. input: H x W x C; kernel: kh x kw x C x F; bias: F; `padding` zeros on each
 * side (or "valid"/"same" as TensorFlow) -> H' x W' x F, H' = floor((H + 2p - kh) / s) + 1.
 *   out[i][j][f] = bias[f] + sum over a < kh, b < kw, c < C of in[i*s + a - p][j*s + b - p][c] * kernel[a][b][c][f]
 * (positions outside the input are the padding zeros).
 */
export function conv2dLayer(input: Volume, kernel: ConvKernel, bias: number[], stride = 1, padding: Padding = 0): Volume {
  noteReferenceCall("conv2dLayer");
  const [h, w, channels] = volumeShape(input, "entrada");
  const [kh, kw, kc, filters] = kernelShape(kernel);
  if (kc !== channels) throw new Error(`conv2dLayer: o kernel tem ${kc} canais de entrada e a imagem ${channels}; cada filtro cobre todos os canais.`);
  if (!Array.isArray(bias) || bias.length !== filters) throw new Error(`conv2dLayer: bias deve ter ${filters} valores (um por filtro).`);
  if (!Number.isInteger(stride) || stride < 1) throw new Error(`conv2dLayer: passo deve ser um inteiro >= 1 (recebi ${stride}).`);
  const [top, bottom, left, right] = resolvePads(h, w, kh, kw, stride, padding);
  const outRows = Math.floor((h + top + bottom - kh) / stride) + 1;
  const outCols = Math.floor((w + left + right - kw) / stride) + 1;
  if (outRows < 1 || outCols < 1) throw new Error(`conv2dLayer: o filtro ${kh}x${kw} não cabe na entrada ${h}x${w} com esse preenchimento.`);
  const out: Volume = [];
  for (let i = 0; i < outRows; i++) {
    const line: number[][] = [];
    for (let j = 0; j < outCols; j++) {
      const pixel = bias.slice();
      for (let a = 0; a < kh; a++) {
        const r = i * stride + a - top;
        if (r < 0 || r >= h) continue;
        for (let b = 0; b < kw; b++) {
          const c = j * stride + b - left;
          if (c < 0 || c >= w) continue;
          for (let ch = 0; ch < channels; ch++) {
            const v = input[r][c][ch], weights = kernel[a][b][ch];
            for (let f = 0; f < filters; f++) pixel[f] += v * weights[f];
          }
        }
      }
      line.push(pixel);
    }
    out.push(line);
  }
  return out;
}

/** Parameters of the Conv2D layer whose kernel is kh x kw x C x F: the weights plus one bias per filter. */
export function conv2dLayerParams(kernel: ConvKernel): number {
  const [kh, kw, channels, filters] = kernelShape(kernel);
  return convParams([kh, kw], channels, filters);
}
