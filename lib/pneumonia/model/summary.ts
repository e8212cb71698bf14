// model.summary() as data: one row per layer, as Keras prints it, so notebooks can show
// it as a table and exercises can compare a student's architecture with the real one.
import * as tf from "@tensorflow/tfjs";
import { noteReferenceCall } from "../../check/reference-use";

export interface SummaryRow {
  /** Layer name, e.g. "separable_conv2d_3". */
  name: string;
  /** Keras class name, e.g. "SeparableConv2D". */
  type: string;
  /** Output shape without the batch dimension, e.g. [90, 90, 32]. */
  outputShape: number[];
  params: number;
  trainableParams: number;
}

export interface ParamCounts { total: number; trainable: number; nonTrainable: number }

function countOf(weights: tf.LayerVariable[]): number {
  return weights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
}

export function modelSummaryRows(model: tf.LayersModel): SummaryRow[] {
  noteReferenceCall("modelSummaryRows");
  return model.layers.map((layer) => {
    const shape = layer.outputShape as (number | null)[];
    return {
      name: layer.name,
      type: layer.getClassName(),
      outputShape: shape.slice(1).map((d) => d ?? -1),
      params: countOf(layer.weights),
      trainableParams: countOf(layer.trainableWeights),
    };
  });
}

export function paramCounts(model: tf.LayersModel): ParamCounts {
  const total = countOf(model.weights), trainable = countOf(model.trainableWeights);
  return { total, trainable, nonTrainable: total - trainable };
}

/**
 * Keras' names for the rows (conv2d, conv2d_1, separable_conv2d, ...): tfjs numbers layers
 * across the whole session ("conv2d_Conv2D15"), which says nothing in a summary.
 */
export function kerasLayerNames(rows: readonly SummaryRow[]): string[] {
  const seen = new Map<string, number>();
  return rows.map((r) => {
    const base = r.type === "InputLayer" ? "input_layer"
      : r.type.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  });
}

/** The rows as a text table in Keras' layout (the notebook shows it; tests read it). */
export function formatSummary(model: tf.LayersModel): string {
  const rows = modelSummaryRows(model);
  const names = kerasLayerNames(rows);
  const cells = rows.map((r, i) => [`${names[i]} (${r.type})`, `(None, ${r.outputShape.join(", ")})`, r.params.toLocaleString("pt-BR")]);
  const header = ["Camada (tipo)", "Forma da saída", "Parâmetros"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]): string => c.map((v, i) => (i === 2 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join("   ");
  const counts = paramCounts(model);
  return [
    line(header), "=".repeat(line(header).length), ...cells.map(line), "=".repeat(line(header).length),
    `Total de parâmetros: ${counts.total.toLocaleString("pt-BR")}`,
    `Treináveis: ${counts.trainable.toLocaleString("pt-BR")}`,
    `Não treináveis: ${counts.nonTrainable.toLocaleString("pt-BR")}`,
  ].join("\n");
}

/** What a layer is, beyond its shape: enough to tell a right block from a wrong one. */
export interface LayerDescription {
  type: string;
  outputShape: number[];
  params: number;
  /** Activation of Conv2D / SeparableConv2D / Dense layers ("relu", "sigmoid", "linear"). */
  activation?: string;
  /** Kernel size and padding of convolutions. */
  kernelSize?: number[];
  padding?: string;
  /** Pool size of pooling layers. */
  poolSize?: number[];
  /** Rate of Dropout layers. */
  rate?: number;
}

/** The layers of `model` (after its input) as plain data, names left out (they differ per kernel). */
export function describeLayers(model: tf.LayersModel): LayerDescription[] {
  noteReferenceCall("describeLayers");
  return model.layers.filter((l) => l.getClassName() !== "InputLayer").map((layer) => {
    const config = layer.getConfig();
    const shape = layer.outputShape as (number | null)[];
    const d: LayerDescription = { type: layer.getClassName(), outputShape: shape.slice(1).map((v) => v ?? -1), params: countOf(layer.weights) };
    if (typeof config.activation === "string") d.activation = config.activation;
    if (Array.isArray(config.kernelSize)) d.kernelSize = config.kernelSize as number[];
    if (typeof config.padding === "string" && d.kernelSize) d.padding = config.padding;
    if (Array.isArray(config.poolSize)) d.poolSize = config.poolSize as number[];
    if (typeof config.rate === "number") d.rate = config.rate;
    return d;
  });
}
