// A drawn diagram of a whole CNN: one block per stage (the input, each layer), with the
// stage's output shape written under it. Volumes (rows x cols x channels) are drawn as a
// stack of maps whose size follows the rows and whose depth follows the channels; vectors
// (after Flatten) as a bar. Shapes are read from a real tf.layers model, never typed in.
// Only rectangles, text and lines: plotly draws it live and the SVG renderer statically.
import * as tf from "@tensorflow/tfjs";
import type { Figure, Trace } from "../view/chart/figure";
import { formatValueBR } from "../common/format";

export interface CnnStage {
  /** What the stage is, in Portuguese ("Conv2D 8 filtros 3x3 + ReLU"). */
  label: string;
  /** Output shape without the batch dimension: [rows, cols, channels] or [units]. */
  shape: number[];
}

type Config = { [key: string]: unknown };

function side(v: unknown): string {
  const a = Array.isArray(v) ? v : [v, v];
  return `${String(a[0])}x${String(a[1])}`;
}

/** The Portuguese label of one tf.layers layer. */
export function layerLabel(layer: tf.layers.Layer): string {
  const c = layer.getConfig() as Config;
  const act = typeof c.activation === "string" && c.activation !== "linear" ? ` + ${c.activation === "relu" ? "ReLU" : c.activation}` : "";
  switch (layer.getClassName()) {
    case "Conv2D": return `Conv2D: ${String(c.filters)} filtros ${side(c.kernelSize)}${act}`;
    case "MaxPooling2D": return `MaxPooling ${side(c.poolSize)}`;
    case "AveragePooling2D": return `AveragePooling ${side(c.poolSize)}`;
    case "Flatten": return "Flatten (desenrolar)";
    case "Dense": return `Dense: ${String(c.units)}${act}`;
    case "Dropout": return `Dropout ${formatValueBR(Number(c.rate), 3, true)}`;
    default: return layer.getClassName();
  }
}

/** The input and every layer of `model`, with its output shape (batch dimension dropped). */
export function modelStages(model: tf.LayersModel): CnnStage[] {
  const input = (model.inputs[0].shape as (number | null)[]).slice(1).map((d) => d ?? -1);
  const layers = model.layers.filter((l) => l.getClassName() !== "InputLayer");
  return [{ label: "entrada", shape: input },
    ...layers.map((l) => ({ label: layerLabel(l), shape: (l.outputShape as (number | null)[]).slice(1).map((d) => d ?? -1) }))];
}

/** The stages of a typical small CNN for 28x28 digits: two [convolution + ReLU -> pooling] blocks, Flatten, two Dense. */
export function typicalCnnStages(): CnnStage[] {
  const model = tf.sequential({ layers: [
    tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: "relu" }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: "relu" }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 64, activation: "relu" }),
    tf.layers.dense({ units: 10, activation: "softmax" }),
  ] });
  try {
    return modelStages(model);
  } finally {
    model.dispose();
  }
}

const COLORS: Record<string, string> = { entrada: "#9ecae1", Conv2D: "#fdae6b", Pooling: "#a1d99b", Flatten: "#bcbddc", Dense: "#fc9272" };

function colorOf(label: string): string {
  const key = Object.keys(COLORS).find((k) => label.includes(k));
  return key ? COLORS[key] : "#d9d9d9";
}

interface Box { shapes: Trace[]; right: number }

/** One stage at x: a stack of up to 6 maps (volumes) or a bar (vectors). */
function stageBox(stage: CnnStage, x: number, maxRows: number, maxChannels: number, maxUnits: number): Box {
  const color = colorOf(stage.label);
  const rect = (x0: number, y0: number, x1: number, y1: number): Trace =>
    ({ type: "rect", x0, y0, x1, y1, fillcolor: color, line: { color: "#555", width: 1 } });
  if (stage.shape.length === 3) {
    const [rows, , channels] = stage.shape;
    const size = 0.35 + 1.25 * Math.sqrt(rows / maxRows);
    const layersDrawn = Math.max(1, Math.min(6, Math.round(1 + 5 * Math.log2(channels) / Math.max(1, Math.log2(maxChannels)))));
    const step = 0.07;
    const shapes = Array.from({ length: layersDrawn }, (_, i) => {
      const k = layersDrawn - 1 - i; // back to front
      return rect(x + k * step, -size / 2 + k * step, x + size + k * step, size / 2 + k * step);
    });
    return { shapes, right: x + size + (layersDrawn - 1) * step };
  }
  const units = stage.shape.reduce((a, b) => a * b, 1);
  const height = 0.4 + 2.2 * Math.log10(1 + units) / Math.log10(1 + maxUnits);
  return { shapes: [rect(x, -height / 2, x + 0.14, height / 2)], right: x + 0.14 };
}

/** The diagram of `stages`, left to right, with each stage's label above and its shape below. */
export function cnnDiagram(stages: CnnStage[], opts: { title?: string; width?: number } = {}): Figure {
  if (!Array.isArray(stages) || stages.length === 0) throw new Error("cnnDiagram: passe uma lista de etapas { label, shape } (por exemplo modelStages(model)).");
  const volumes = stages.filter((s) => s.shape.length === 3);
  const maxRows = Math.max(1, ...volumes.map((s) => s.shape[0]));
  const maxChannels = Math.max(2, ...volumes.map((s) => s.shape[2]));
  const maxUnits = Math.max(1, ...stages.filter((s) => s.shape.length !== 3).map((s) => s.shape.reduce((a, b) => a * b, 1)));
  const shapes: Trace[] = [];
  const annotations: Trace[] = [];
  // One slot per stage, wide enough for its two label lines; the block is centred in its slot.
  const SLOT = 2;
  stages.forEach((stage, i) => {
    const probe = stageBox(stage, 0, maxRows, maxChannels, maxUnits);
    const left = i * SLOT + (SLOT - 0.5 - probe.right) / 2;
    const box = stageBox(stage, left, maxRows, maxChannels, maxUnits);
    shapes.push(...box.shapes);
    const center = (left + box.right) / 2;
    const [name, detail] = stage.label.split(": ");
    annotations.push({ x: center, y: 1.62, text: name, showarrow: false, font: { size: 12 } });
    if (detail) annotations.push({ x: center, y: 1.4, text: detail, showarrow: false, font: { size: 11 } });
    annotations.push({ x: center, y: -1.5, text: `<b>${stage.shape.join("×")}</b>`, showarrow: false, font: { size: 12 } });
    if (i < stages.length - 1) {
      const next = (i + 1) * SLOT + (SLOT - 0.5 - stageBox(stages[i + 1], 0, maxRows, maxChannels, maxUnits).right) / 2;
      shapes.push({ type: "line", x0: box.right + 0.08, y0: 0, x1: next - 0.14, y1: 0, line: { color: "#555", width: 2 } });
      annotations.push({ x: next - 0.1, y: 0, text: "▶", showarrow: false, font: { size: 10, color: "#555" } });
    }
  });
  const x = stages.length * SLOT;
  const axis = { visible: false, showgrid: false, zeroline: false };
  return {
    data: [{ type: "scatter", mode: "markers", x: [0, x - 0.5], y: [0, 0], marker: { size: 0, opacity: 0 }, hoverinfo: "skip", showlegend: false }],
    layout: {
      title: { text: opts.title ?? "A rede convolucional completa: a forma da saída de cada etapa" },
      width: opts.width ?? Math.max(640, Math.round(125 * stages.length)), height: 380, showlegend: false,
      margin: { l: 20, r: 20, t: 60, b: 20 },
      xaxis: { ...axis, range: [-0.1, x - 0.4] }, yaxis: { ...axis, range: [-1.8, 1.85] },
      shapes, annotations,
    },
  };
}
