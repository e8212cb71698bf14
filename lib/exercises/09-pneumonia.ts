// Exercises of notebook 08 (the Keras pneumonia example). Parte 1: counts, class weights,
// the two blocks, output sizes, precision and recall from a confusion matrix. Parte 2: the
// whole architecture layer by layer and where each dropout sits. Expected values come from
// the lib (countLabels, classWeights, the reference blocks, buildModel, metricsFromCounts).
import * as tf from "@tensorflow/tfjs";
import { classWeights } from "../pneumonia/data/split";
import { countLabels } from "../pneumonia/data/xray-files";
import type { Exercise, ExerciseCase, Json } from "../check/types";
import { convBlock, denseBlock, SymbolicTensor } from "../pneumonia/model/blocks";
import { buildModel } from "../pneumonia/model/build";
import { describeLayers, modelSummaryRows } from "../pneumonia/model/summary";
import { seededRandom, shuffled } from "../common/random";
import { metricsFromCounts } from "../pneumonia/training/metrics";

const NOTEBOOK = "09-pneumonia";

/** The course functions that build or describe the model: off limits while Parte 2 and the pooled sizes are checked. */
const MODEL_PROBES = ["buildModel", "modelSummaryRows", "describeLayers"];

/** Reference of computeClassWeights: the Keras formula from the two counts (lib's classWeights). */
export function classWeightsFromCounts(normal: number, pneumonia: number): { 0: number; 1: number } {
  return classWeights([...new Array<number>(normal).fill(0), ...new Array<number>(pneumonia).fill(1)]);
}

/** Reference of pooledSizes: each 2x2 max pooling halves the side (rounding down). */
export function halvings(imageSize: number): number[] {
  return Array.from({ length: 5 }, (_, i) => Math.floor(imageSize / 2 ** (i + 1)));
}

/** Reference of metricsFromMatrix: [[TN, FP], [FN, TP]] through the lib's metricsFromCounts. */
export function metricsFromMatrix(m: number[][]): { accuracy: number; precision: number; recall: number } {
  const r = metricsFromCounts({ tn: m[0][0], fp: m[0][1], fn: m[1][0], tp: m[1][1] });
  return { accuracy: r.accuracy, precision: r.precision, recall: r.recall };
}

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

/** Side of the feature map after each of the model's five MaxPooling2D layers, read from the real model. */
export function pooledSizesOf(imageSize: number): number[] {
  const model = buildModel(imageSize);
  try {
    return modelSummaryRows(model).filter((r) => r.type === "MaxPooling2D").map((r) => r.outputShape[0]);
  } finally {
    model.dispose();
  }
}

export function pooledSizesCase(imageSize: number): ExerciseCase {
  return { name: `entrada ${imageSize}x${imageSize}`, args: [imageSize], expected: pooledSizesOf(imageSize) };
}

/** [[TN, FP], [FN, TP]] and the metrics the lib computes from it. */
export function metricsCase(name: string, matrix: [[number, number], [number, number]]): ExerciseCase {
  const [[tn, fp], [fn, tp]] = matrix;
  const m = metricsFromCounts({ tn, fp, fn, tp });
  return { name, args: [matrix], expected: { accuracy: m.accuracy, precision: m.precision, recall: m.recall }, tolerance: 1e-9 };
}

/** The right choices of the multiple-choice question in the notebook (precision and recall, in words). */
export const METRIC_MEANING_ANSWER = { precision: "b", recall: "c" } as const;

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

export interface DropoutAnswer { rate: number; index: number; after: string }

/** Each Dropout layer of buildModel(imageSize): its rate, its row in the architecture table and the layer before it. */
export function dropoutsOf(imageSize = 180): DropoutAnswer[] {
  const rows = architectureOf(imageSize);
  const model = buildModel(imageSize);
  try {
    return model.layers.flatMap((layer, index) => layer.getClassName() === "Dropout"
      ? [{ rate: (layer.getConfig().rate as number), index, after: rows[index - 1].type }] : []);
  } finally {
    model.dispose();
  }
}

export function verifyDropouts(expected: DropoutAnswer[]): (obtained: Json) => string | null {
  return (obtained: Json): string | null => {
    if (!Array.isArray(obtained)) return "devolva uma lista com um objeto { rate, index, after } por camada Dropout.";
    if (obtained.length !== expected.length) return `o modelo tem ${expected.length} camadas Dropout, sua lista tem ${obtained.length}.`;
    const problems: string[] = [];
    expected.forEach((e, i) => {
      const o = (obtained[i] ?? {}) as { [k: string]: Json };
      if (typeof o.rate !== "number" || Math.abs(o.rate - e.rate) > 1e-9) problems.push(`dropout ${i + 1}: taxa ${String(o.rate)} errada`);
      if (o.index !== e.index) problems.push(`dropout ${i + 1}: a posição ${String(o.index)} na tabela da arquitetura não é uma Dropout com essa ordem`);
      if (normalType(o.after) !== normalType(e.after)) problems.push(`dropout ${i + 1}: a camada antes dela não é "${String(o.after)}"`);
    });
    return problems.length ? problems.join("\n    ") : null;
  };
}

export const exercises: Exercise[] = [
  {
    id: "pneumonia-count-classes", notebook: NOTEBOOK, title: "Contar NORMAL e PNEUMONIA", points: 1,
    symbol: "countClasses", kind: "function", reference: { implementation: (files: { label: number }[]) => countLabels(files), probes: ["countLabels"] },
    cases: () => [
      countCase("3 NORMAL e 5 PNEUMONIA", 3, 5, 1),
      countCase("só PNEUMONIA", 0, 4, 2),
      countCase("lista vazia", 0, 0, 3),
      countCase("120 NORMAL e 347 PNEUMONIA embaralhados", 120, 347, 4),
    ],
  },
  {
    id: "pneumonia-class-weights", notebook: NOTEBOOK, title: "Pesos das classes (fórmula do Keras)", points: 1,
    symbol: "computeClassWeights", kind: "function", reference: { implementation: classWeightsFromCounts, probes: ["classWeights"] },
    cases: () => [
      classWeightCase("classes iguais: pesos 1 e 1", 50, 50),
      classWeightCase("1 NORMAL para 3 PNEUMONIA", 100, 300),
      classWeightCase("as contagens do exemplo do Keras (1076 e 3109)", 1076, 3109),
    ],
  },
  {
    id: "pneumonia-conv-block", notebook: NOTEBOOK, title: "conv_block", points: 2, symbol: "convBlock", kind: "function", reference: { implementation: convBlock, probes: ["convBlock"] },
    run: runConvBlock,
    cases: () => [
      convBlockCase("convBlock(32) numa entrada 90x90x16 (o primeiro bloco do modelo)", 32, [90, 90, 16]),
      convBlockCase("convBlock(64) numa entrada 45x45x32", 64, [45, 45, 32]),
      convBlockCase("convBlock(8) numa entrada ímpar 7x7x3", 8, [7, 7, 3]),
    ],
  },
  {
    id: "pneumonia-dense-block", notebook: NOTEBOOK, title: "dense_block", points: 2, symbol: "denseBlock", kind: "function", reference: { implementation: denseBlock, probes: ["denseBlock"] },
    run: runDenseBlock,
    cases: () => [
      denseBlockCase("denseBlock(512, 0.7) após o Flatten de 5x5x256", 512, 0.7, 6400),
      denseBlockCase("denseBlock(128, 0.5) com 512 entradas", 128, 0.5, 512),
      denseBlockCase("denseBlock(10, 0.1) com 3 entradas", 10, 0.1, 3),
    ],
  },
  {
    id: "pneumonia-pooled-sizes", notebook: NOTEBOOK, title: "Tamanho após cada MaxPool", points: 1,
    symbol: "pooledSizes", kind: "function", reference: { implementation: halvings, probes: MODEL_PROBES },
    cases: () => [pooledSizesCase(180), pooledSizesCase(64), pooledSizesCase(100)],
  },
  {
    id: "pneumonia-precision-recall", notebook: NOTEBOOK, title: "Acurácia, precisão e revocação da matriz de confusão", points: 1,
    symbol: "metricsFromMatrix", kind: "function", reference: { implementation: metricsFromMatrix, probes: ["metricsFromCounts"] },
    cases: () => [
      metricsCase("o teste do Keras: muitos falsos positivos", [[120, 114], [9, 381]]),
      metricsCase("modelo perfeito", [[10, 0], [0, 30]]),
      metricsCase("nunca prevê PNEUMONIA (precisão 0 por convenção)", [[10, 0], [30, 0]]),
    ],
  },
  {
    id: "pneumonia-metric-meaning", notebook: NOTEBOOK, title: "O que precisão e revocação medem", points: 1,
    symbol: "metricMeaning", kind: "function",
    cases: () => [{ name: "as duas alternativas", args: [], expected: { ...METRIC_MEANING_ANSWER } }],
  },
  {
    id: "pneumonia-architecture", notebook: NOTEBOOK, title: "Parte 2: a arquitetura camada por camada", points: 4,
    symbol: "architecture", kind: "function", reference: { probes: MODEL_PROBES },
    cases: () => [{ name: "as camadas de buildModel(180)", args: [], verify: verifyArchitecture(architectureOf(180)) }],
  },
  {
    id: "pneumonia-dropouts", notebook: NOTEBOOK, title: "Parte 2: as taxas de dropout e onde ficam", points: 2,
    symbol: "dropoutRates", kind: "function", reference: { probes: MODEL_PROBES },
    cases: () => [{ name: "as camadas Dropout de buildModel(180)", args: [], verify: verifyDropouts(dropoutsOf(180)) }],
  },
];
