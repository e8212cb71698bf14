// Dense vs convolutional layers: who is connected to whom, how long a forward pass
// takes (TensorFlow.js), and what happens when the object in the image moves. How many
// parameters each needs: parameters.ts.
import * as tf from "@tensorflow/tfjs";
import { conv2d, matrixShape, Matrix, windowProductSum } from "./convolution";
import { featureMap } from "./detection";
import type { Figure, Trace } from "../view/plots";
import { seededRandom } from "../common/random";
import { formatBR } from "../common/format";
import { blankImage, drawPattern, shiftImage } from "./images";
import { assertCount, convParams, denseParams } from "./parameters";

/**
 * Two small layers drawn as neurons and connections: a Dense layer (every output sees
 * every input) and a 1D convolution with a `kernel`-wide filter (each output sees
 * `kernel` neighbours; the colours show that the same `kernel` weights are reused).
 */
export function connectionDiagram(inputs = 8, kernel = 3): Figure {
  assertCount(inputs, "inputs");
  assertCount(kernel, "kernel");
  if (kernel > inputs) throw new Error(`o filtro (${kernel}) não pode ser maior que a entrada (${inputs}).`);
  const outputs = inputs - kernel + 1;
  const inY = (i: number) => inputs - 1 - i;
  const outY = (j: number) => inY(0) - (inputs - outputs) / 2 - j;
  const data: Trace[] = [];
  const nodes = (xa: string, ya: string): Trace[] => [
    { type: "scatter", mode: "markers+text", x: new Array(inputs).fill(0), y: Array.from({ length: inputs }, (_, i) => inY(i)),
      text: Array.from({ length: inputs }, (_, i) => `x${i + 1}`), textposition: "middle left", marker: { size: 18, color: "#7fbf7b" },
      xaxis: xa, yaxis: ya, hoverinfo: "text", showlegend: false },
  ];
  const outNodes = (xa: string, ya: string, n: number): Trace => ({
    type: "scatter", mode: "markers+text", x: new Array(n).fill(1), y: Array.from({ length: n }, (_, j) => outY(j)),
    text: Array.from({ length: n }, (_, j) => `a${j + 1}`), textposition: "middle right", marker: { size: 18, color: "#af8dc3" },
    xaxis: xa, yaxis: ya, hoverinfo: "text", showlegend: false,
  });
  // Dense: one line per (input, output) pair, all in one trace separated by nulls.
  const dx: (number | null)[] = [], dy: (number | null)[] = [];
  for (let j = 0; j < outputs; j++) for (let i = 0; i < inputs; i++) { dx.push(0, 1, null); dy.push(inY(i), outY(j), null); }
  data.push({ type: "scatter", mode: "lines", x: dx, y: dy, line: { color: "#999", width: 1 }, xaxis: "x", yaxis: "y", hoverinfo: "skip", showlegend: false });
  data.push(...nodes("x", "y"), outNodes("x", "y", outputs));
  // Convolution: output j sees inputs j..j+kernel-1; weight w_k is the same for every j.
  const palette = ["#d73027", "#4575b4", "#1a9850", "#fdae61", "#762a83", "#35978f", "#8c510a"];
  for (let k = 0; k < kernel; k++) {
    const cx: (number | null)[] = [], cy: (number | null)[] = [];
    for (let j = 0; j < outputs; j++) { cx.push(0, 1, null); cy.push(inY(j + k), outY(j), null); }
    data.push({ type: "scatter", mode: "lines", name: `peso w${k + 1} (compartilhado)`, x: cx, y: cy,
      line: { color: palette[k % palette.length], width: 2 }, xaxis: "x2", yaxis: "y2", hoverinfo: "name" });
  }
  data.push(...nodes("x2", "y2"), outNodes("x2", "y2", outputs));
  const axis = { visible: false, range: [-0.4, 1.4] };
  const denseCount = inputs * outputs, convCount = outputs * kernel;
  return {
    data,
    layout: {
      width: 760, height: 60 + inputs * 42, showlegend: true, legend: { orientation: "h", y: -0.05 },
      margin: { l: 20, r: 20, t: 70, b: 40 },
      xaxis: { ...axis, domain: [0, 0.45] }, yaxis: { visible: false },
      xaxis2: { ...axis, domain: [0.55, 1] }, yaxis2: { visible: false, anchor: "x2" },
      annotations: [
        { text: `<b>Dense</b>: ${denseCount} conexões, ${denseCount} pesos`, x: 0.22, y: 1.08, xref: "paper", yref: "paper", showarrow: false },
        { text: `<b>Convolucional</b>: ${convCount} conexões, ${kernel} pesos`, x: 0.78, y: 1.08, xref: "paper", yref: "paper", showarrow: false },
      ],
    },
  };
}

export interface ForwardTiming {
  /** Image side: the input is side x side x channels. */
  side: number;
  channels: number;
  /** Outputs of the convolution (side * side * filters). */
  convOutputs: number;
  /** Outputs (units) of the Dense layer: by default the same as the convolution's. */
  denseOutputs: number;
  denseParams: number;
  convParams: number;
  /** Median forward time in milliseconds. */
  denseMs: number;
  convMs: number;
}

/** Milliseconds `calls` calls of `run` take together. */
function elapsedMs(run: () => void, calls: number): number {
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) run();
  return performance.now() - t0;
}

/**
 * Median time of one call, in ms. Each sample times as many calls as last at least 2 ms, so a
 * clock that ticks in 0.1 ms (browsers coarsen performance.now) still measures a 0.04 ms
 * convolution instead of 0 (a "Dense/Conv = Infinityx" on the course site).
 */
function medianMs(run: () => void, repeats: number): number {
  let calls = 1;
  let took = elapsedMs(run, 1); // also the warm-up: the first call compiles and allocates
  while (took < 2 && calls < 4096) {
    calls *= 2;
    took = elapsedMs(run, calls);
  }
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) times.push(elapsedMs(run, calls) / calls);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * Forward time of a Dense layer with `denseUnits` units and of a 3x3 "same" Conv2D with
 * `filters` filters on a side x side x channels image. By default both produce the same
 * number of outputs (side * side * filters). The input is random (seeded); the median of
 * `repeats` runs after a warm-up is reported.
 */
export async function timeForward(side: number, channels = 1, filters = 1, denseUnits = side * side * filters, repeats = 5): Promise<ForwardTiming> {
  assertCount(side, "side");
  assertCount(denseUnits, "denseUnits");
  const outputs = side * side * filters;
  const weights = side * side * channels * denseUnits;
  if (weights > 64e6) {
    throw new Error(`a camada Dense teria ${formatBR(weights)} pesos (${formatBR(weights * 4 / 2 ** 30, 1)} GiB): use uma imagem menor.`);
  }
  await tf.ready();
  const seed = 1234;
  const x = tf.randomUniform([1, side, side, channels], -1, 1, "float32", seed);
  // Constant weights: their values do not change the arithmetic, and filling is much faster than sampling.
  const w = tf.fill([side * side * channels, denseUnits], 0.01);
  const k = tf.fill([3, 3, channels, filters], 0.1);
  const b = tf.zeros([denseUnits]);
  const bc = tf.zeros([filters]);
  try {
    const flat = x.reshape([1, side * side * channels]) as tf.Tensor2D;
    // dataSync waits for the result; the braces keep tidy from walking the returned array.
    const denseMs = medianMs(() => tf.tidy(() => { tf.matMul(flat, w as tf.Tensor2D).add(b).dataSync(); }), repeats);
    const convMs = medianMs(() => tf.tidy(() => { tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, 1, "same").add(bc).dataSync(); }), repeats);
    flat.dispose();
    return {
      side, channels, convOutputs: outputs, denseOutputs: denseUnits, denseMs, convMs,
      denseParams: denseParams(side * side * channels, denseUnits), convParams: convParams(3, channels, filters),
    };
  } finally {
    tf.dispose([x, w, k, b, bc]);
  }
}

/** How well a detector recognises the object after it moved `shift` pixels right and down. */
export interface ShiftScore {
  shift: number;
  /** Dense detector: one neuron whose weights are the object at its original place. */
  dense: number;
  /** Convolutional detector: the object as a filter, best match anywhere in the image. */
  conv: number;
}

/**
 * Puts `object` in a rows x cols canvas at (row, col), moves it 0..maxShift pixels
 * (right and down), and scores it with a Dense neuron and with a convolution that share
 * the same weights: the object itself. The neuron's weights sit where the object was
 * (zero elsewhere); the filter slides everywhere (best position of the feature map).
 * Both divide by the number of filter cells, so a perfect match scores 1.
 */
export function shiftScores(object: Matrix, rows: number, cols: number, row: number, col: number, maxShift: number): { images: Matrix[]; scores: ShiftScore[] } {
  const [oRows, oCols] = matrixShape(object, "objeto");
  const original = drawPattern(blankImage(rows, cols), object, row, col);
  const images: Matrix[] = [], scores: ShiftScore[] = [];
  for (let s = 0; s <= maxShift; s++) {
    if (row + s + oRows > rows || col + s + oCols > cols) throw new Error(`deslocando ${s} pixels o objeto sai da imagem ${rows}x${cols}.`);
    const moved = shiftImage(original, s, s);
    // The Dense neuron: the same weights nailed to the original place.
    const dense = windowProductSum(moved, object, row, col) / (oRows * oCols);
    const conv = Math.max(...featureMap(moved, object).flat());
    images.push(moved);
    scores.push({ shift: s, dense, conv });
  }
  return { images, scores };
}

/** A Dense layer from rows*cols pixels to rows*cols outputs with seeded random weights, as a function of the image. */
export function randomDenseLayer(rows: number, cols: number, seed: number): (image: Matrix) => Matrix {
  const n = rows * cols, rng = seededRandom(seed);
  const w = Array.from({ length: n }, () => Array.from({ length: n }, () => (rng() * 2 - 1) / Math.sqrt(n)));
  return (image: Matrix) => {
    const [r, c] = matrixShape(image, "imagem");
    if (r !== rows || c !== cols) throw new Error(`esta camada Dense espera imagens ${rows}x${cols}, recebi ${r}x${c}.`);
    const x = image.flat();
    const y = w.map((wRow) => wRow.reduce((s, v, i) => s + v * x[i], 0));
    return Array.from({ length: rows }, (_, i) => y.slice(i * cols, (i + 1) * cols));
  };
}

/**
 * Largest difference between "process the moved image" and "move the processed image",
 * ignoring a `border` of cells where content enters or leaves the frame. 0 means the
 * layer's output simply moves along with the object (what a convolution does).
 */
export function shiftMismatch(layer: (image: Matrix) => Matrix, image: Matrix, down: number, right: number, border: number): number {
  const a = layer(shiftImage(image, down, right, -1));
  const b = shiftImage(layer(image), down, right, 0);
  let worst = 0;
  for (let r = border + Math.max(down, 0); r < a.length - border + Math.min(down, 0); r++) {
    for (let c = border + Math.max(right, 0); c < a[0].length - border + Math.min(right, 0); c++) {
      worst = Math.max(worst, Math.abs(a[r][c] - b[r][c]));
    }
  }
  return worst;
}

/** A convolution used as a layer on whole images (same size out, zeros around). */
export function convLayer(kernel: Matrix): (image: Matrix) => Matrix {
  return (image: Matrix) => conv2d(image, kernel, 1, "same");
}
