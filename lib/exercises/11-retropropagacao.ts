// Exercises of notebook 11 (backpropagation by hand, as in CS231n's assignment 2): the
// numeric gradient check the student then uses on everything else, and the backward passes
// of Conv2D (dx, dW, db), max pooling, inverted dropout and BatchNorm in training mode,
// each compared with tf.grad of sum(forward(...) * dout) within 1e-5 (lib/exercises/tf-gradients.ts).
// The references are in lib/lecture/backward.ts.
import type { Exercise, ExerciseCase, Json } from "../check/types";
import type { Matrix } from "../lecture/convolution";
import type { MapBatch } from "../lecture/batchnorm";
import type { ConvKernel } from "../lecture/conv-layer";
import {
  batchNormBackward, convBackward, dropoutBackward, gradientCheck, maxPoolBackward,
} from "../lecture/backward";
import { Rng, seededRandom, shuffled } from "../common/random";
import { tfBatchNormGradients, tfConvGradients, tfDropoutGradient, tfMaxPoolGradient } from "./tf-gradients";
import { formatScalar } from "../check/compare";
import { formatScientificBR } from "../common/format";

const NOTEBOOK = "11-retropropagacao";
const round3 = (v: number): number => Number(v.toFixed(3)) + 0; // + 0: no -0 (JSON has none)
const uniform = (rng: Rng, low = -1, high = 1): number => round3(low + (high - low) * rng());

/** A seeded nested array of the given shape, values in [low, high) with 3 decimals. */
export function randomArray(shape: number[], rng: Rng, low = -1, high = 1): Json {
  return shape.length === 0 ? uniform(rng, low, high) : Array.from({ length: shape[0] }, () => randomArray(shape.slice(1), rng, low, high));
}

// ---------- gradient check ----------

/** The functions the gradient-check cases differentiate: the value and the exact gradient. */
export const CHECK_FUNCTIONS: Record<string, { f: (x: number[]) => number; grad: (x: number[]) => number[] }> = {
  "soma dos cubos": { f: (x) => x.reduce((s, v) => s + v ** 3, 0), grad: (x) => x.map((v) => 3 * v * v) },
  "senos encadeados": {
    f: (x) => x.reduce((s, v, i) => s + Math.sin(v) * x[(i + 1) % x.length], 0),
    grad: (x) => x.map((v, i) => Math.cos(v) * x[(i + 1) % x.length] + Math.sin(x[(i - 1 + x.length) % x.length])),
  },
  "só as pontas contam": { f: (x) => x[0] ** 2 + x[x.length - 1] ** 2, grad: (x) => x.map((v, i) => (i === 0 || i === x.length - 1 ? 2 * v : 0)) },
  "entropia cruzada da softmax (classe 0)": {
    f: (x) => Math.log(x.reduce((s, v) => s + Math.exp(v), 0)) - x[0],
    grad: (x) => {
      const total = x.reduce((s, v) => s + Math.exp(v), 0);
      return x.map((v, i) => Math.exp(v) / total - (i === 0 ? 1 : 0));
    },
  },
};

interface CheckInput { fn: string; x: number[]; h: number; wrong?: { index: number; by: number } }

/** The analytic gradient a case hands to the check: the exact one, or one with a component multiplied by `wrong.by`. */
export function analyticFor(input: CheckInput): number[] {
  const exact = CHECK_FUNCTIONS[input.fn].grad(input.x);
  return input.wrong ? exact.map((g, i) => (i === input.wrong?.index ? g * input.wrong.by : g)) : exact;
}

type GradientCheckFn = (f: (x: number[]) => number, x: number[], analytic: number[], h: number) => unknown;

/** Calls the submission on the case's named function (functions are not JSON, so the case names one). */
export async function runGradientCheck(submission: unknown, testCase: ExerciseCase): Promise<Json> {
  const input = testCase.input as unknown as CheckInput;
  const result = await (submission as GradientCheckFn)(CHECK_FUNCTIONS[input.fn].f, input.x.slice(), analyticFor(input), input.h);
  return (result ?? null) as Json;
}

export function gradientCheckCase(fn: string, x: number[], h: number, wrong?: { index: number; by: number }): ExerciseCase {
  const input: CheckInput = { fn, x, h, ...(wrong ? { wrong } : {}) };
  const what = wrong ? `gradiente analítico errado no índice ${wrong.index} (×${formatScalar(wrong.by)})` : "gradiente analítico exato";
  const expected = gradientCheck(CHECK_FUNCTIONS[fn].f, x.slice(), analyticFor(input), h);
  return { name: `${fn}, ${x.length} valores, h = ${formatScientificBR(h)}: ${what}`, input: input as unknown as Json, expected: expected as unknown as Json, tolerance: 1e-7 };
}

// ---------- conv, max pool, dropout, BatchNorm ----------

export function convBackwardCase(seed: number, input: [number, number, number, number], kernel: [number, number, number],
  stride: number, padding: number, note = ""): ExerciseCase {
  const rng = seededRandom(seed);
  const [n, h, w, c] = input, [kh, kw, f] = kernel;
  const x = randomArray(input, rng) as MapBatch, k = randomArray([kh, kw, c, f], rng) as ConvKernel;
  const outH = Math.floor((h + 2 * padding - kh) / stride) + 1, outW = Math.floor((w + 2 * padding - kw) / stride) + 1;
  const dout = randomArray([n, outH, outW, f], rng) as MapBatch;
  return {
    name: `lote de ${n}, entrada ${h}x${w}x${c}, ${f} filtro(s) ${kh}x${kw}, passo ${stride}, preenchimento ${padding}${note} (igual a tf.grad)`,
    args: [dout, x, k, stride, padding] as unknown as Json[], expected: tfConvGradients(dout, x, k, stride, padding) as unknown as Json, tolerance: 1e-5,
  };
}

/** A rows x cols map of distinct values (a shuffled grid of tenths), so no window has a tie. */
export function distinctMap(rows: number, cols: number, seed: number): Matrix {
  const values = shuffled(Array.from({ length: rows * cols }, (_, i) => round3((i - (rows * cols) / 2) / 10)), seededRandom(seed));
  return Array.from({ length: rows }, (_, r) => values.slice(r * cols, (r + 1) * cols));
}

const poolOut = (n: number, size: number, stride: number): number => Math.floor((n - size) / stride) + 1;

/** A max-pool case without ties, compared with tf.grad. */
export function maxPoolCase(name: string, x: Matrix, size: number, stride: number, seed: number): ExerciseCase {
  const dout = randomArray([poolOut(x.length, size, stride), poolOut(x[0].length, size, stride)], seededRandom(seed)) as Matrix;
  return { name: `${name}, janela ${size}x${size}, passo ${stride} (igual a tf.grad)`, args: [dout, x, size, stride], expected: tfMaxPoolGradient(dout, x, size, stride), tolerance: 1e-5 };
}

/** A max-pool case WITH ties: the convention of this course (the first maximum in reading order, as tfjs' cpu backend). */
export function maxPoolTieCase(name: string, x: Matrix, size: number, stride: number, seed: number): ExerciseCase {
  const dout = randomArray([poolOut(x.length, size, stride), poolOut(x[0].length, size, stride)], seededRandom(seed), 0.1, 1) as Matrix;
  return { name: `${name}, janela ${size}x${size}, passo ${stride} (empate: o primeiro máximo em ordem de leitura recebe tudo)`, args: [dout, x, size, stride], expected: maxPoolBackward(dout, x, size, stride), tolerance: 1e-9 };
}

export function dropoutBackwardCase(n: number, rate: number, seed: number): ExerciseCase {
  const rng = seededRandom(seed);
  const dout = randomArray([n], rng) as number[];
  const mask = dout.map(() => (rng() < rate ? 0 : 1));
  return { name: `${n} neurônios, taxa ${formatScalar(rate)} (igual a tf.grad)`, args: [dout, mask, rate], expected: tfDropoutGradient(dout, mask, rate), tolerance: 1e-5 };
}

export function batchNormBackwardCase(name: string, seed: number, n: number, d: number, spread = 3, epsilon = 1e-3): ExerciseCase {
  const rng = seededRandom(seed);
  const x = randomArray([n, d], rng, -spread, spread) as Matrix;
  const gamma = randomArray([d], rng, 0.5, 2) as number[];
  const dout = randomArray([n, d], rng) as Matrix;
  return {
    name: `${name}: lote ${n}x${d}, ε = ${formatScalar(epsilon)} (igual a tf.grad)`,
    args: [dout, x, gamma, epsilon], expected: tfBatchNormGradients(dout, x, gamma, epsilon) as unknown as Json, tolerance: 1e-5,
  };
}

/** The notebook's tie example: 3 twice, 5 four times (two windows), 0 four times. */
export const TIE_MAP: Matrix = [[1, 3, 3, 0], [2, 3, 3, 1], [5, 5, 5, 5], [0, 0, 0, 0]];
/** After a ReLU many values are 0: windows made only of zeros are ties too. */
export const RELU_MAP: Matrix = [[0, 0, 0.4, 0], [0, 0, 0, 0], [0.7, 0, 0, 0.2], [0, 0, 0, 0], [0, 0.3, 0, 0]];

export const exercises: Exercise[] = [
  {
    id: "gradient-check",
    notebook: NOTEBOOK,
    title: "A verificação numérica do gradiente: diferenças centradas e erro relativo",
    points: 3,
    symbol: "gradientCheck",
    kind: "function",
    reference: gradientCheck,
    offLimits: { probes: ["numericGradient", "relativeError"] },
    run: runGradientCheck,
    cases: () => [
      gradientCheckCase("soma dos cubos", [0.5, -1.2, 2, 0.3], 1e-3),
      gradientCheckCase("senos encadeados", [0.1, 0.7, -0.4, 1.3, -2], 1e-5),
      gradientCheckCase("entropia cruzada da softmax (classe 0)", [1, -0.5, 0.25], 1e-5, { index: 1, by: 2 }),
      gradientCheckCase("só as pontas contam", [0.8, 1.5, -0.6, -1.1], 1e-5),
      gradientCheckCase("soma dos cubos", [1.1, -0.7, 0.9, 1.6, -1.3, 0.4], 1e-5, { index: 4, by: 1.001 }),
    ],
  },
  {
    id: "conv-backward",
    notebook: NOTEBOOK,
    title: "Retropropagação da Conv2D: dx, dW e db",
    points: 4,
    symbol: "convBackward",
    kind: "function",
    reference: convBackward,
    offLimits: { probes: ["convBackward"], tfKernels: ["Conv2DBackpropInput", "Conv2DBackpropFilter"] },
    cases: () => [
      convBackwardCase(1111, [1, 4, 4, 1], [2, 2, 1], 1, 0, " (uma imagem, um canal)"),
      convBackwardCase(1112, [3, 5, 5, 2], [3, 3, 3], 1, 1, " (três imagens: dW e db somam o lote)"),
      convBackwardCase(1113, [2, 6, 5, 3], [3, 2, 2], 2, 0, " (filtro 3x2, passo 2)"),
      convBackwardCase(1114, [2, 7, 7, 2], [3, 3, 2], 2, 1, " (passo 2 e preenchimento)"),
    ],
  },
  {
    id: "maxpool-backward",
    notebook: NOTEBOOK,
    title: "Retropropagação do max pooling (e os empates)",
    points: 3,
    symbol: "maxPoolBackward",
    kind: "function",
    reference: maxPoolBackward,
    offLimits: { probes: ["maxPoolBackward"], tfKernels: ["MaxPoolGrad"] },
    cases: () => [
      maxPoolCase("mapa 4x4 sem empates", distinctMap(4, 4, 1121), 2, 2, 1122),
      maxPoolCase("mapa 5x5 sem empates, janelas que se sobrepõem", distinctMap(5, 5, 1123), 2, 1, 1124),
      maxPoolCase("mapa 7x6 sem empates, janelas 3x3 sobrepostas", distinctMap(7, 6, 1125), 3, 2, 1126),
      maxPoolTieCase("o mapa com empates do texto", TIE_MAP, 2, 2, 1127),
      maxPoolTieCase("um mapa depois da ReLU (janelas só de zeros)", RELU_MAP, 2, 1, 1128),
    ],
  },
  {
    id: "dropout-backward",
    notebook: NOTEBOOK,
    title: "Retropropagação do dropout (invertido)",
    points: 1,
    symbol: "dropoutBackward",
    kind: "function",
    reference: dropoutBackward,
    offLimits: { probes: ["dropoutBackward"] },
    cases: () => [
      dropoutBackwardCase(10, 0.5, 1131),
      dropoutBackwardCase(25, 0.2, 1132),
      dropoutBackwardCase(8, 0.8, 1133),
    ],
  },
  {
    id: "batchnorm-backward",
    notebook: NOTEBOOK,
    title: "Retropropagação da BatchNormalization no treino: dx, dgamma e dbeta",
    points: 4,
    symbol: "batchNormBackward",
    kind: "function",
    reference: batchNormBackward,
    offLimits: { probes: ["batchNormBackward"], tfKernels: ["FusedBatchNorm"] },
    cases: () => [
      batchNormBackwardCase("lote pequeno", 1141, 4, 3),
      batchNormBackwardCase("dois exemplos só", 1142, 2, 4),
      batchNormBackwardCase("uma característica", 1143, 8, 1),
      batchNormBackwardCase("valores pequenos: o ε pesa", 1144, 5, 2, 0.05),
    ],
  },
];
