// The receptive field: how many input pixels (along one side) one neuron of a layer sees.
// A k x k layer adds k - 1 neighbours of the layer below; those neighbours are `jump`
// input pixels apart, where jump is the product of the strides so far (pooling 2x2
// doubles it). With r and j starting at 1 (one pixel sees itself):
//   r_out = r_in + (k - 1) * j_in,   j_out = j_in * s.
import * as tf from "@tensorflow/tfjs";
import { buildModel } from "../pneumonia/model/build";
import { noteReferenceCall } from "../check/reference-use";

/** What the receptive field needs from a layer: its (square) window and its step. */
export interface LayerStep { kernel: number; stride: number }

/** A layer of a real model with its window and step (1 and 1 for layers that mix no neighbours). */
export interface LayerGeometry extends LayerStep { name: string; type: string; outputSide: number; channels: number }

function checkStep(layer: LayerStep, i: number): void {
  for (const key of ["kernel", "stride"] as const) {
    if (!Number.isInteger(layer?.[key]) || layer[key] < 1) {
      throw new Error(`camada ${i}: ${key} deve ser um inteiro >= 1 (recebi ${String(layer?.[key])}).`);
    }
  }
}

/** Receptive field side and jump after each layer. layers: L steps -> L entries { size, jump }. */
export function receptiveFieldTable(layers: LayerStep[]): { size: number; jump: number }[] {
  noteReferenceCall("receptiveFieldTable");
  let size = 1, jump = 1;
  return layers.map((layer, i) => {
    checkStep(layer, i);
    size += (layer.kernel - 1) * jump;
    jump *= layer.stride;
    return { size, jump };
  });
}

/** Receptive field side (input pixels) of one neuron after each layer. layers: L -> L numbers. */
export function receptiveFields(layers: LayerStep[]): number[] {
  return receptiveFieldTable(layers).map((r) => r.size);
}

function firstNumber(value: unknown, fallback: number): number {
  if (Array.isArray(value)) return Number(value[0]);
  return value == null ? fallback : Number(value);
}

/**
 * The window and step of each layer of `model` up to its Flatten (after it every neuron sees
 * the whole image): Conv2D and SeparableConv2D (depthwise k x k, then 1 x 1) use kernelSize and
 * strides, pooling uses poolSize and strides; every other layer is 1 and 1.
 */
export function layerGeometry(model: tf.LayersModel): LayerGeometry[] {
  const out: LayerGeometry[] = [];
  for (const layer of model.layers) {
    const type = layer.getClassName();
    if (type === "Flatten") break;
    const config = layer.getConfig() as Record<string, unknown>;
    const isPool = /Pooling2D$/.test(type), isConv = /Conv2D$/.test(type);
    const kernel = isPool ? firstNumber(config.poolSize, 2) : isConv ? firstNumber(config.kernelSize, 1) : 1;
    const stride = isPool ? firstNumber(config.strides, kernel) : isConv ? firstNumber(config.strides, 1) : 1;
    const shape = layer.outputShape as number[];
    out.push({ name: layer.name, type, kernel, stride, outputSide: shape[1], channels: shape[3] });
  }
  return out;
}

/** The pneumonia CNN's layers up to the Flatten (built once per image size, then disposed). */
export function pneumoniaGeometry(imageSize = 180): LayerGeometry[] {
  const model = buildModel(imageSize);
  try {
    return layerGeometry(model);
  } finally {
    model.dispose();
  }
}

/** One row per stage of the pneumonia CNN: where each MaxPooling2D ends a block. */
export interface BlockField { block: string; side: number; channels: number; receptiveField: number; jump: number; fractionOfImage: number }

/** For each block of the pneumonia CNN (the two first convolutions, then the four convBlocks): map side, filters and receptive field. */
export function pneumoniaBlockFields(imageSize = 180): BlockField[] {
  const geometry = pneumoniaGeometry(imageSize);
  const table = receptiveFieldTable(geometry);
  const rows: BlockField[] = [];
  geometry.forEach((layer, i) => {
    if (layer.type !== "MaxPooling2D") return;
    const filters = geometry[i - 1].channels;
    rows.push({
      block: rows.length === 0 ? "Conv2D x2 (16)" : `convBlock(${filters})`, side: layer.outputSide, channels: layer.channels,
      receptiveField: table[i].size, jump: table[i].jump, fractionOfImage: Math.min(1, table[i].size / imageSize),
    });
  });
  return rows;
}
