// Exercises of notebook 09 (the Keras pneumonia example). Parte 1: counts, class weights,
// the two blocks, the parameters of a separable vs a full convolution block, precision and
// recall from a confusion matrix and the matrix back from them. Parte 2: the whole
// architecture layer by layer for any image size, and where each dropout sits. Expected
// values come from the lib (countLabels, classWeights, the reference blocks, buildModel,
// metricsFromCounts) or from tf.layers' own parameter counts.
import * as tf from "@tensorflow/tfjs";
import { classWeights } from "../pneumonia/data/split";
import { countLabels } from "../pneumonia/data/xray-files";
import type { Exercise, ExerciseCase, Json } from "../check/types";
import { noteReferenceCall } from "../check/reference-use";
import { convBlock, denseBlock, SymbolicTensor } from "../pneumonia/model/blocks";
import { buildModel } from "../pneumonia/model/build";
import { describeLayers, modelSummaryRows } from "../pneumonia/model/summary";
import { seededRandom, shuffled } from "../common/random";
import { metricsFromCounts } from "../pneumonia/training/metrics";

const NOTEBOOK = "09-pneumonia";

/** The course functions that build or describe the model: off limits while Parte 2 is checked. */
const MODEL_PROBES = ["buildModel", "modelSummaryRows", "describeLayers"];

// ---------- Parte 1: data bookkeeping ----------

/** A file list like listXrayFiles() gives, with `normal` NORMAL and `pneumonia` PNEUMONIA files shuffled. */
export function fakeFileList(normal: number, pneumonia: number, seed: number): Json[] {
  const files = [
    ...Array.from({ length: normal }, (_, i) => ({ path: `chest_xray/train/NORMAL/IM-${1000 + i}-0001.jpeg`, split: "train", label: 0 })),
    ...Array.from({ length: pneumonia }, (_, i) => ({ path: `chest_xray/train/PNEUMONIA/person${i}_bacteria_${2 * i}.jpeg`, split: "train", label: 1 })),
  ];
  return shuffled(files, seededRandom(seed));
}

export function countCase(name: string, normal: number, pneumonia: number, seed: number): ExerciseCase {
  const files = fakeFileList(normal, pneumonia, seed);
  const { normal: n, pneumonia: p } = countLabels(files as { label: number }[]);
  return { name, args: [files], expected: { normal: n, pneumonia: p } };
}

export function classWeightCase(name: string, normal: number, pneumonia: number): ExerciseCase {
  const labels = [...Array(normal).fill(0), ...Array(pneumonia).fill(1)];
  const w = classWeights(labels);
  return { name, args: [normal, pneumonia], expected: { 0: w[0], 1: w[1] }, tolerance: 1e-9 };
}

// ---------- Parte 1: the blocks, run on a symbolic input and described as plain data ----------

type BlockInput = { inputShape: number[]; filters?: number; units?: number; rate?: number };

function describeBlock(build: (inputs: SymbolicTensor) => unknown, inputShape: number[], who: string): Json {
  const inputs = tf.input({ shape: inputShape });
  const outputs = build(inputs);
  if (!(outputs instanceof tf.SymbolicTensor)) {
    throw new TypeError(`${who} deve devolver a saída da última camada (o resultado de .apply(...)), recebi ${outputs === undefined ? "undefined (faltou o return?)" : typeof outputs}`);
  }
  const model = tf.model({ inputs, outputs });
  try {
    return describeLayers(model) as unknown as Json;
  } finally {
    model.dispose();
  }
}

export function runConvBlock(submission: unknown, c: ExerciseCase): Json {
  const input = c.input as BlockInput;
  const fn = submission as (filters: number, inputs: SymbolicTensor) => unknown;
  return describeBlock((x) => fn(input.filters!, x), input.inputShape, "convBlock");
}

export function runDenseBlock(submission: unknown, c: ExerciseCase): Json {
  const input = c.input as BlockInput;
  const fn = submission as (units: number, rate: number, inputs: SymbolicTensor) => unknown;
  return describeBlock((x) => fn(input.units!, input.rate!, x), input.inputShape, "denseBlock");
}

export function convBlockCase(name: string, filters: number, inputShape: number[]): ExerciseCase {
  const input = { filters, inputShape };
  return { name, input, expected: runConvBlock(convBlock, { name, input }) };
}

export function denseBlockCase(name: string, units: number, rate: number, inputSize: number): ExerciseCase {
  const input = { units, rate, inputShape: [inputSize] };
  return { name, input, expected: runDenseBlock(denseBlock, { name, input }) };
}

/**
 * The reference of pneumonia-separable-params: parameters of one convBlock (two 3x3
 * convolutions, the second one on the first one's `filters` channels, then BatchNormalization
 * with 4 numbers per channel), with SeparableConv2D layers or with ordinary Conv2D ones.
 */
export function convBlockParams(inChannels: number, filters: number, separable: boolean): number {
  noteReferenceCall("convBlockParams");
  const conv = (c: number): number => (separable ? 9 * c + c * filters + filters : 9 * c * filters + filters);
  return conv(inChannels) + conv(filters) + 4 * filters;
}

/** The same count from tf.layers: the block's layers on an 8x8xC input (the image size does not matter). */
export function tfConvBlockParams(inChannels: number, filters: number, separable: boolean): number {
  const layer = (): tf.layers.Layer => (separable
    ? tf.layers.separableConv2d({ filters, kernelSize: 3, padding: "same" })
    : tf.layers.conv2d({ filters, kernelSize: 3, padding: "same" }));
  const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [8, 8, inChannels] }), layer(), layer(), tf.layers.batchNormalization()] });
  const n = model.countParams();
  model.dispose();
  return n;
}

export function blockParamsCase(name: string, inChannels: number, filters: number, separable: boolean): ExerciseCase {
  return {
    name: `${name}: ${inChannels} canais de entrada, ${filters} filtros, ${separable ? "SeparableConv2D" : "Conv2D comum"} (contagem do tf.layers)`,
    args: [inChannels, filters, separable], expected: tfConvBlockParams(inChannels, filters, separable),
  };
}

/** [[TN, FP], [FN, TP]] and the metrics the lib computes from it. */
export function metricsCase(name: string, matrix: [[number, number], [number, number]]): ExerciseCase {
  const [[tn, fp], [fn, tp]] = matrix;
  const m = metricsFromCounts({ tn, fp, fn, tp });
  return { name, args: [matrix], expected: { accuracy: m.accuracy, precision: m.precision, recall: m.recall }, tolerance: 1e-9 };
}

export function architectureCase(imageSize: number): ExerciseCase {
  return { name: `as camadas de buildModel(${imageSize})`, args: [imageSize], verify: verifyArchitecture(architectureOf(imageSize)) };
}

export function dropoutsCase(imageSize: number): ExerciseCase {
  return { name: `as camadas Dropout de buildModel(${imageSize})`, args: [imageSize], verify: verifyDropouts(dropoutsOf(imageSize)) };
}

/** Precision, recall, real positives and total of a confusion matrix [[TN, FP], [FN, TP]] (TP > 0). */
export function metricsOfMatrix(matrix: [[number, number], [number, number]]): [number, number, number, number] {
  const [[tn, fp], [fn, tp]] = matrix;
  const m = metricsFromCounts({ tn, fp, fn, tp });
  return [m.precision, m.recall, fn + tp, tn + fp + fn + tp];
}

/** The reference of pneumonia-metric-meaning: the confusion matrix back from precision, recall and the counts. */
export function matrixFromMetrics(precision: number, recall: number, positives: number, total: number): number[][] {
  noteReferenceCall("matrixFromMetrics");
  const tp = Math.round(recall * positives);
  const fp = Math.round(tp / precision - tp);
  const fn = positives - tp;
  return [[total - positives - fp, fp], [fn, tp]];
}

const CELL_HINTS = [
  ["VN", "as radiografias normais que não viraram falso positivo"],
  ["FP", "precisão = VP / (VP + FP): das chamadas de PNEUMONIA, quantas eram normais?"],
  ["FN", "revocação = VP / (VP + FN): das que têm pneumonia, quantas o modelo perdeu?"],
  ["VP", "revocação = VP / (VP + FN), e VP + FN são as radiografias com pneumonia"],
] as const;

/** Judges a reconstructed matrix: names the wrong cells with a hint, never the right numbers. */
export function verifyMatrix(expected: number[][]): (obtained: Json) => string | null {
  return (obtained: Json): string | null => {
    const ok = Array.isArray(obtained) && obtained.length === 2 &&
      obtained.every((row) => Array.isArray(row) && row.length === 2 && row.every((v) => typeof v === "number"));
    if (!ok) return "esperava a matriz 2x2 [[VN, FP], [FN, VP]] de números inteiros.";
    const got = (obtained as number[][]).flat(), want = expected.flat();
    const wrong = CELL_HINTS.filter((_, i) => Math.abs(got[i] - want[i]) > 1e-6);
    if (wrong.length === 0) return null;
    return `${wrong.map(([cell]) => cell).join(", ")} ${wrong.length === 1 ? "está errado" : "estão errados"} ` +
      `(obtido ${JSON.stringify(obtained)}).\n    ` + wrong.map(([cell, hint]) => `${cell}: ${hint}`).join("\n    ") +
      (got.some((v) => !Number.isInteger(v)) ? "\n    Contagens são inteiras: arredonde com Math.round." : "");
  };
}

export function matrixCase(name: string, matrix: [[number, number], [number, number]]): ExerciseCase {
  return { name, args: metricsOfMatrix(matrix), verify: verifyMatrix(matrix) };
}

// ---------- Parte 2: the architecture, layer by layer ----------

export interface LayerAnswer { type: string; outputShape: number[]; params: number }

const TYPE_ALIASES: Record<string, string> = {
  input: "inputlayer", maxpool2d: "maxpooling2d", separableconvolution2d: "separableconv2d", batchnorm: "batchnormalization",
  convolution2d: "conv2d",
};

function normalType(t: unknown): string {
  const s = String(t ?? "").toLowerCase().replace(/[^a-z0-9]/g, "");
  return TYPE_ALIASES[s] ?? s;
}

const PARAM_HINTS: Record<string, string> = {
  conv2d: "Conv2D: k·k·C_entrada·filtros + filtros (um viés por filtro)",
  separableconv2d: "SeparableConv2D: k·k·C_entrada (depthwise) + C_entrada·filtros (pointwise) + filtros (viés)",
  batchnormalization: "BatchNormalization: 4 por canal (gamma e beta treináveis, média e variância móveis não treináveis)",
  dense: "Dense: entradas·unidades + unidades (viés)",
};

/** The real rows of buildModel(imageSize): type, output shape (no batch) and parameters. */
export function architectureOf(imageSize = 180): LayerAnswer[] {
  const model = buildModel(imageSize);
  try {
    return modelSummaryRows(model).map((r) => ({ type: r.type, outputShape: r.outputShape, params: r.params }));
  } finally {
    model.dispose();
  }
}

/** Judges a student's table: which rows have the wrong type, shape or count, with a hint, never the answer. */
export function verifyArchitecture(expected: LayerAnswer[]): (obtained: Json) => string | null {
  return (obtained: Json): string | null => {
    if (!Array.isArray(obtained)) return "devolva uma lista (array) com uma linha { type, outputShape, params } por camada.";
    if (obtained.length !== expected.length) {
      return `o modelo tem ${expected.length} camadas (contando a InputLayer), sua lista tem ${obtained.length}. ` +
        "Siga a ordem de buildModel: entrada, Rescaling, as duas Conv2D, ... até a Dense final.";
    }
    const problems: string[] = [];
    expected.forEach((e, i) => {
      const o = obtained[i] as { [k: string]: Json } | null;
      if (o === null || typeof o !== "object" || Array.isArray(o)) {
        problems.push(`camada ${i}: esperava um objeto { type, outputShape, params }`);
        return;
      }
      const wrong: string[] = [];
      if (normalType(o.type) !== normalType(e.type)) wrong.push(`tipo "${String(o.type)}" não é o desta camada`);
      const shape = Array.isArray(o.outputShape) ? o.outputShape : null;
      if (!shape || shape.join(",") !== e.outputShape.join(",")) {
        wrong.push(`forma ${JSON.stringify(o.outputShape)} errada` +
          (shape && shape.length === e.outputShape.length + 1 ? " (não inclua a dimensão do lote)" : ""));
      }
      if (o.params !== e.params) {
        const hint = PARAM_HINTS[normalType(e.type)];
        wrong.push(`${String(o.params)} parâmetros está errado${hint ? ` (${hint})` : " (esta camada não tem pesos)"}`);
      }
      if (wrong.length) problems.push(`camada ${i}: ${wrong.join("; ")}`);
    });
    if (problems.length === 0) return null;
    const shown = problems.slice(0, 6);
    return `${problems.length} de ${expected.length} camadas com erro:\n    ${shown.join("\n    ")}` +
      (problems.length > shown.length ? `\n    ... e mais ${problems.length - shown.length}.` : "");
  };
}

export interface DropoutAnswer { rate: number; index: number; after: string; shape: number[] }

/** Each Dropout layer of buildModel(imageSize): its rate, its row in the architecture table, the layer before it and the shape it acts on. */
export function dropoutsOf(imageSize = 180): DropoutAnswer[] {
  const rows = architectureOf(imageSize);
  const model = buildModel(imageSize);
  try {
    return model.layers.flatMap((layer, index) => layer.getClassName() === "Dropout"
      ? [{ rate: (layer.getConfig().rate as number), index, after: rows[index - 1].type, shape: rows[index].outputShape }] : []);
  } finally {
    model.dispose();
  }
}

export function verifyDropouts(expected: DropoutAnswer[]): (obtained: Json) => string | null {
  return (obtained: Json): string | null => {
    if (!Array.isArray(obtained)) return "devolva uma lista com um objeto { rate, index, after, shape } por camada Dropout.";
    if (obtained.length !== expected.length) return `o modelo tem ${expected.length} camadas Dropout, sua lista tem ${obtained.length}.`;
    const problems: string[] = [];
    expected.forEach((e, i) => {
      const o = (obtained[i] ?? {}) as { [k: string]: Json };
      if (typeof o.rate !== "number" || Math.abs(o.rate - e.rate) > 1e-9) problems.push(`dropout ${i + 1}: taxa ${String(o.rate)} errada`);
      if (o.index !== e.index) problems.push(`dropout ${i + 1}: a posição ${String(o.index)} na tabela da arquitetura não é uma Dropout com essa ordem`);
      if (normalType(o.after) !== normalType(e.after)) problems.push(`dropout ${i + 1}: a camada antes dela não é "${String(o.after)}"`);
      if (!Array.isArray(o.shape) || o.shape.join(",") !== e.shape.join(",")) {
        problems.push(`dropout ${i + 1}: a forma ${JSON.stringify(o.shape ?? null)} não é a da saída desta camada (sem a dimensão do lote)`);
      }
    });
    return problems.length ? problems.join("\n    ") : null;
  };
}

/** The Keras reference of countClasses and computeClassWeights, with the exercise's signatures. */
const countClassesReference = (files: { label: number }[]): { normal: number; pneumonia: number } => {
  const { normal, pneumonia } = countLabels(files);
  return { normal, pneumonia };
};
const classWeightsReference = (normal: number, pneumonia: number): { 0: number; 1: number } =>
  classWeights([...new Array<number>(normal).fill(0), ...new Array<number>(pneumonia).fill(1)]);
const metricsReference = (m: number[][]): { accuracy: number; precision: number; recall: number } => {
  const { accuracy, precision, recall } = metricsFromCounts({ tn: m[0][0], fp: m[0][1], fn: m[1][0], tp: m[1][1] });
  return { accuracy, precision, recall };
};

export const exercises: Exercise[] = [
  {
    id: "pneumonia-count-classes", notebook: NOTEBOOK, title: "Contar NORMAL e PNEUMONIA", points: 1,
    symbol: "countClasses", kind: "function", reference: countClassesReference,
    offLimits: { probes: ["countLabels"] },
    cases: () => [
      countCase("3 NORMAL e 5 PNEUMONIA", 3, 5, 1),
      countCase("só PNEUMONIA", 0, 4, 2),
      countCase("lista vazia", 0, 0, 3),
      countCase("120 NORMAL e 347 PNEUMONIA embaralhados", 120, 347, 4),
    ],
  },
  {
    id: "pneumonia-class-weights", notebook: NOTEBOOK, title: "Pesos das classes (fórmula do Keras)", points: 1,
    symbol: "computeClassWeights", kind: "function", reference: classWeightsReference,
    offLimits: { probes: ["classWeights"] },
    cases: () => [
      classWeightCase("classes iguais: pesos 1 e 1", 50, 50),
      classWeightCase("1 NORMAL para 3 PNEUMONIA", 100, 300),
      classWeightCase("a parte de treino da versão anterior do exemplo do Keras (1076 e 3109, depois da divisão 80:20)", 1076, 3109),
    ],
  },
  {
    id: "pneumonia-conv-block", notebook: NOTEBOOK, title: "conv_block", points: 2, symbol: "convBlock", kind: "function",
    reference: convBlock,
    offLimits: { probes: ["convBlock"] },
    run: runConvBlock,
    cases: () => [
      convBlockCase("convBlock(32) numa entrada 90x90x16 (o primeiro bloco do modelo)", 32, [90, 90, 16]),
      convBlockCase("convBlock(64) numa entrada 45x45x32", 64, [45, 45, 32]),
      convBlockCase("convBlock(8) numa entrada ímpar 7x7x3", 8, [7, 7, 3]),
    ],
  },
  {
    id: "pneumonia-dense-block", notebook: NOTEBOOK, title: "dense_block", points: 2, symbol: "denseBlock", kind: "function",
    reference: denseBlock,
    offLimits: { probes: ["denseBlock"] },
    run: runDenseBlock,
    cases: () => [
      denseBlockCase("denseBlock(512, 0.7) após o Flatten de 5x5x256", 512, 0.7, 6400),
      denseBlockCase("denseBlock(128, 0.5) com 512 entradas", 128, 0.5, 512),
      denseBlockCase("denseBlock(10, 0.1) com 3 entradas", 10, 0.1, 3),
    ],
  },
  {
    id: "pneumonia-separable-params", notebook: NOTEBOOK, title: "Parâmetros de um convBlock: separável × convolução comum", points: 2,
    symbol: "convBlockParams", kind: "function", reference: convBlockParams,
    offLimits: { probes: ["convBlockParams"] },
    cases: () => [
      blockParamsCase("o primeiro convBlock do modelo", 16, 32, true),
      blockParamsCase("o primeiro convBlock do modelo", 16, 32, false),
      blockParamsCase("o último convBlock do modelo", 128, 256, true),
      blockParamsCase("um bloco sobre uma imagem RGB", 3, 8, false),
    ],
  },
  {
    id: "pneumonia-precision-recall", notebook: NOTEBOOK, title: "Acurácia, precisão e revocação da matriz de confusão", points: 1,
    symbol: "metricsFromMatrix", kind: "function", reference: metricsReference,
    offLimits: { probes: ["metricsFromCounts"] },
    cases: () => [
      metricsCase("o teste do Keras: muitos falsos positivos", [[120, 114], [9, 381]]),
      metricsCase("modelo perfeito", [[10, 0], [0, 30]]),
      metricsCase("nunca prevê PNEUMONIA (precisão 0 por convenção)", [[10, 0], [30, 0]]),
    ],
  },
  {
    id: "pneumonia-metric-meaning", notebook: NOTEBOOK, title: "O que precisão e revocação medem: de volta à matriz de confusão", points: 2,
    symbol: "matrixFromMetrics", kind: "function", reference: matrixFromMetrics,
    offLimits: { probes: ["matrixFromMetrics"] },
    cases: () => [
      matrixCase("um teste como o do Keras: 234 normais e 390 com pneumonia", [[120, 114], [9, 381]]),
      matrixCase("um modelo cauteloso: poucos falsos positivos, muitos falsos negativos", [[300, 4], [120, 76]]),
      matrixCase("um modelo perfeito", [[10, 0], [0, 30]]),
    ],
  },
  {
    id: "pneumonia-architecture", notebook: NOTEBOOK, title: "Parte 2: a arquitetura camada por camada", points: 4,
    symbol: "architecture", kind: "function", reference: architectureOf,
    offLimits: { probes: MODEL_PROBES, tfLayers: true },
    cases: () => [180, 64].map(architectureCase),
  },
  {
    id: "pneumonia-dropouts", notebook: NOTEBOOK, title: "Parte 2: as taxas de dropout e onde ficam", points: 2,
    symbol: "dropoutRates", kind: "function", reference: dropoutsOf,
    offLimits: { probes: MODEL_PROBES, tfLayers: true },
    cases: () => [dropoutsCase(180)],
  },
];
