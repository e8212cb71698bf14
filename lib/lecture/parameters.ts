// One place for the parameter formulas of the lecture: how many trainable numbers a Dense
// layer, a Conv2D layer, a Dense layer after pooling and the digit CNN need. Each is checked
// against tf.layers' own count (lib/exercises/tf-reference.ts; test/lessons/connectivity.test.ts).
import { outputSize } from "./convolution";
import { noteReferenceCall } from "../check/reference-use";

/** Throws a Portuguese error unless `value` is an integer >= 1. */
export function assertCount(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} deve ser um inteiro >= 1, recebi ${value}.`);
}

/** Parameters of a Dense layer: one weight per (input, unit) pair plus one bias per unit. */
export function denseParams(inputs: number, units: number, bias = true): number {
  noteReferenceCall("denseParams");
  assertCount(inputs, "inputs (número de entradas)");
  assertCount(units, "units (número de neurônios)");
  return inputs * units + (bias ? units : 0);
}

/**
 * Parameters of a Conv2D layer: each of the `filters` filters has kRows x kCols x inChannels
 * weights (shared by every position of the image) plus one bias. The image size does not matter.
 */
export function convParams(kernelSize: number | [number, number], inChannels: number, filters: number, bias = true): number {
  noteReferenceCall("convParams");
  const [kRows, kCols] = typeof kernelSize === "number" ? [kernelSize, kernelSize] : kernelSize;
  assertCount(kRows, "tamanho do filtro");
  assertCount(kCols, "tamanho do filtro");
  assertCount(inChannels, "inChannels (canais de entrada)");
  assertCount(filters, "filters (número de filtros)");
  return kRows * kCols * inChannels * filters + (bias ? filters : 0);
}

/**
 * Parameters of a Dense layer of `units` neurons fed with rows x cols x channels maps after a
 * poolSize x poolSize pooling moved by `stride` (the pooling itself has none).
 */
export function denseParamsAfterPooling(rows: number, cols: number, channels: number, poolSize: number, stride: number, units: number): number {
  noteReferenceCall("denseParamsAfterPooling");
  return denseParams(outputSize(rows, poolSize, stride) * outputSize(cols, poolSize, stride) * channels, units);
}

/**
 * Trainable parameters of Conv2D(filters, k x k, stride 1, valid) -> pooling (poolSize, step poolSize)
 * -> Flatten -> Dense(classes) on imageSize x imageSize x channels images (the digit CNN's shape).
 */
export function cnnParams(imageSize: number, channels: number, filters: number, kernelSize: number, poolSize: number, classes: number): number {
  noteReferenceCall("cnnParams");
  const side = outputSize(imageSize, kernelSize);
  return convParams(kernelSize, channels, filters) + denseParamsAfterPooling(side, side, filters, poolSize, poolSize, classes);
}
