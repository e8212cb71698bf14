// The lecture's "head and body" picture: a tiny RGB figure of a person (a red ring for
// the head, blue lines for the body) and two 3D filters, 3x3x3, one that finds the head
// and one that finds the body. Each filter spans the three colour channels and gives
// ONE feature map; the two maps together are the next layer's two-channel input.
import type { Matrix, Volume } from "./convolution";
import { volumeShape } from "./convolution";
import type { PixelImage } from "../view/plots";

const ROWS = 9, COLS = 7;
/** Where the head ring's top-left corner is. */
export const HEAD_AT: [number, number] = [0, 2];

function person(): Volume {
  const img: Volume = Array.from({ length: ROWS }, () => Array.from({ length: COLS }, () => [0, 0, 0]));
  const [hr, hc] = HEAD_AT;
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) if (r !== 1 || c !== 1) img[hr + r][hc + c] = [1, 0, 0];
  for (let r = 3; r < ROWS; r++) img[r][3] = [0, 0, 1]; // torso and legs
  for (let c = 1; c < COLS - 1; c++) img[4][c] = [0, 0, 1]; // arms
  return img;
}

/** 9x7x3 picture, channels R, G, B in [0, 1], black background. */
export const HEAD_AND_BODY_IMAGE: Volume = person();

/** A 3x3 filter with the same 2D pattern `pattern` on `channel` and `others` on the other channels. */
function filter3d(pattern: Matrix, channel: number, others: number): Volume {
  return pattern.map((row) => row.map((v) => [0, 1, 2].map((ch) => (ch === channel ? v : others))));
}

/** Head: a ring on the red channel (centre -1), and -1 on blue so that the blue body does not match. */
export const HEAD_FILTER: Volume = filter3d([[1, 1, 1], [1, -1, 1], [1, 1, 1]], 0, 0).map((row) => row.map(([r, g]) => [r, g, -1]));

/** Body: a vertical line on the blue channel, -1 beside it; -1 on red so that the head does not match. */
export const BODY_FILTER: Volume = filter3d([[-1, 1, -1], [-1, 1, -1], [-1, 1, -1]], 2, 0).map((row) => row.map(([, g, b]) => [-1, g, b]));

/** A rows x cols x 3 volume (values 0..1) as packed RGB pixels for imageGrid. */
export function rgbImage(volume: Volume): PixelImage {
  const [rows, cols, channels] = volumeShape(volume, "imagem");
  if (channels !== 3) throw new Error(`rgbImage: esperava 3 canais (R, G, B), a imagem tem ${channels}.`);
  return { pixels: volume.flat(2), width: cols, height: rows, channels: 3 };
}
