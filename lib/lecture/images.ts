// The small images and filters the lecture draws, as plain matrices: the 7x5 "9"
// (+1 = ink, -1 = background), the three 3x3 filters, the feature map exactly as the
// slide prints it, and scenes with "eyes" for the eye detector.
import type { Matrix } from "./convolution";
import { matrixShape } from "./convolution";

/** The lecture's handwritten "9", 7 rows x 5 columns: +1 where there is ink, -1 elsewhere. */
export const NINE: Matrix = [
  [-1, 1, 1, 1, -1],
  [-1, 1, -1, 1, -1],
  [-1, 1, 1, 1, -1],
  [-1, -1, -1, 1, -1],
  [-1, -1, -1, 1, -1],
  [-1, -1, 1, -1, -1],
  [-1, 1, -1, -1, -1],
];

/** Detects a small circle: a ring of +1 around a -1 centre. */
export const CIRCLE_FILTER: Matrix = [
  [1, 1, 1],
  [1, -1, 1],
  [1, 1, 1],
];

/** Detects a vertical line through the middle column. */
export const VERTICAL_LINE_FILTER: Matrix = [
  [-1, 1, -1],
  [-1, 1, -1],
  [-1, 1, -1],
];

/** Detects a diagonal line from bottom-left to top-right (the tail of the "9"). */
export const DIAGONAL_FILTER: Matrix = [
  [-1, -1, 1],
  [-1, 1, -1],
  [1, -1, -1],
];

/** The three filters of the lecture, with their Portuguese names. */
export const LECTURE_FILTERS: { name: string; filter: Matrix }[] = [
  { name: "circunferência", filter: CIRCLE_FILTER },
  { name: "linha vertical", filter: VERTICAL_LINE_FILTER },
  { name: "linha diagonal", filter: DIAGONAL_FILTER },
];

/**
 * The circle filter's feature map on the "9" (stride 1, sum / 9) AS PRINTED on the slide,
 * typed from the lecture text. Rows 3 and 4 and the -0.55 disagree with the computation:
 * the notebook asks the student why.
 */
export const SLIDE_PRINTED_MAP: Matrix = [
  [-0.11, 1, -0.11],
  [-0.55, 0.11, -0.33],
  [-0.33, 0.33, -0.33],
  [-0.22, -0.11, -0.22],
  [-0.33, -0.33, -0.33],
];

/** More 3x3 filters that respond to parts of a "9" (corners and bars of its loop). */
export const OTHER_NINE_FILTERS: { name: string; filter: Matrix }[] = [
  { name: "linha horizontal", filter: [[-1, -1, -1], [1, 1, 1], [-1, -1, -1]] },
  { name: "canto superior esquerdo ┌", filter: [[-1, -1, -1], [-1, 1, 1], [-1, 1, -1]] },
  { name: "canto superior direito ┐", filter: [[-1, -1, -1], [1, 1, -1], [-1, 1, -1]] },
  { name: "canto inferior direito ┘", filter: [[-1, 1, -1], [1, 1, -1], [-1, -1, -1]] },
];

/** An eye, 3 x 5: the outline of the eyelids with the pupil in the middle (+1 = ink). */
export const EYE: Matrix = [
  [-1, 1, 1, 1, -1],
  [1, -1, 1, -1, 1],
  [-1, 1, 1, 1, -1],
];

/** The eye detector is the eye itself: it gives its maximum (15, or 1 after / 15) exactly on an eye. */
export const EYE_FILTER: Matrix = EYE.map((row) => row.slice());

/** A background-only canvas (-1 everywhere). */
export function blankImage(rows: number, cols: number, background = -1): Matrix {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
    throw new Error(`tamanho de imagem inválido ${rows}x${cols}: use inteiros >= 1.`);
  }
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(background));
}

/** A copy of `image` with `pattern` drawn with its top-left corner at (row, col). */
export function drawPattern(image: Matrix, pattern: Matrix, row: number, col: number): Matrix {
  const [rows, cols] = matrixShape(image, "imagem");
  const [pRows, pCols] = matrixShape(pattern, "padrão");
  if (row < 0 || col < 0 || row + pRows > rows || col + pCols > cols) {
    throw new Error(`o padrão ${pRows}x${pCols} em (${row}, ${col}) não cabe na imagem ${rows}x${cols}.`);
  }
  const out = image.map((r) => r.slice());
  for (let i = 0; i < pRows; i++) for (let j = 0; j < pCols; j++) out[row + i][col + j] = pattern[i][j];
  return out;
}

/** A face's other strokes (nose and mouth), so the detector sees ink that is not an eye. */
const NOSE: Matrix = [[1], [1], [1]];
const MOUTH: Matrix = [[1, -1, -1, -1, -1, -1, 1], [-1, 1, 1, 1, 1, 1, -1]];

/**
 * A rows x cols scene with eyes whose top-left corners are `eyes` ([row, col] each).
 * With `faces`, each pair of consecutive eyes on the same row also gets a nose and a mouth below.
 */
export function eyeScene(rows: number, cols: number, eyes: [number, number][], opts: { faces?: boolean } = {}): Matrix {
  let image = blankImage(rows, cols);
  for (const [r, c] of eyes) image = drawPattern(image, EYE, r, c);
  if (opts.faces) {
    for (let i = 0; i + 1 < eyes.length; i += 2) {
      const [[r1, c1], [r2, c2]] = [eyes[i], eyes[i + 1]];
      if (r1 !== r2) continue;
      const middle = Math.round((c1 + c2 + EYE[0].length - 1) / 2);
      image = drawPattern(image, NOSE, r1 + 4, middle);
      image = drawPattern(image, MOUTH, r1 + 8, middle - 3);
    }
  }
  return image;
}

/**
 * The image moved `down` rows and `right` columns (negative: up / left); what enters
 * from the border is `fill` (the background). The content that leaves the frame is lost.
 */
export function shiftImage(image: Matrix, down: number, right: number, fill = -1): Matrix {
  const [rows, cols] = matrixShape(image, "imagem");
  if (!Number.isInteger(down) || !Number.isInteger(right)) throw new Error(`deslocamento deve ser inteiro, recebi (${down}, ${right}).`);
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => {
    const [sr, sc] = [r - down, c - right];
    return sr >= 0 && sr < rows && sc >= 0 && sc < cols ? image[sr][sc] : fill;
  }));
}

/** The image enlarged `factor` times: each pixel becomes a factor x factor block. */
export function scaleImage(image: Matrix, factor: number): Matrix {
  matrixShape(image, "imagem");
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`fator de ampliação deve ser um inteiro >= 1, recebi ${factor}.`);
  return image.flatMap((row) => Array.from({ length: factor }, () => row.flatMap((v) => new Array<number>(factor).fill(v))));
}

/** The image turned 90 degrees clockwise. */
export function rotateImage(image: Matrix): Matrix {
  const [rows, cols] = matrixShape(image, "imagem");
  return Array.from({ length: cols }, (_, c) => Array.from({ length: rows }, (_, r) => image[rows - 1 - r][c]));
}
