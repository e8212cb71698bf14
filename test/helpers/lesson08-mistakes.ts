// Plausible wrong answers to the notebook-08 exercises, written the way a student would.
// test/lessons/lesson08.test.ts shows that each one fails some public case.
import { batchNormInference, batchNormTrain, columnMoments, normalizeColumns } from "../../lib/lecture/batchnorm";
import { conv2dLayer, ConvKernel } from "../../lib/lecture/conv-layer";
import { LayerStep, receptiveFields } from "../../lib/lecture/receptive-field";
import type { Matrix, Volume } from "../../lib/lecture/convolution";
import type { ExerciseTrial } from "./exercise-trials";

export type Bn = typeof batchNormTrain;
export const bnRowsInsteadOfColumns: Bn = (x, gamma, beta, mm, mv, m, e) => {
  const t = (a: Matrix): Matrix => a[0].map((_, j) => a.map((row) => row[j]));
  const { mean, variance } = columnMoments(t(x)); // one mean per example, over its features
  return { ...batchNormTrain(x, gamma, beta, mm, mv, m, e), output: x.map((row, n) => row.map((v, j) => gamma[j] * (v - mean[n]) / Math.sqrt(variance[n] + (e ?? 1e-3)) + beta[j])) };
};
export const bnNoEpsilon: Bn = (x, gamma, beta, mm, mv, m) => batchNormTrain(x, gamma, beta, mm, mv, m, 0);
export const bnSwappedMomentum: Bn = (x, gamma, beta, mm, mv, m = 0.99, e) => batchNormTrain(x, gamma, beta, mm, mv, 1 - m, e);
export const bnUnbiased: Bn = (x, gamma, beta, mm, mv, m, e) => {
  const n = x.length;
  const r = batchNormTrain(x, gamma, beta, mm, mv, m, e);
  const variance = r.variance.map((v) => (n > 1 ? v * n / (n - 1) : v));
  return { ...r, output: normalizeColumns(x, gamma, beta, r.mean, variance, e ?? 1e-3) };
};
export const bnNoUpdate: Bn = (x, gamma, beta, mm, mv, m, e) => ({ ...batchNormTrain(x, gamma, beta, mm, mv, m, e), movingMean: mm, movingVariance: mv });
export type BnInfer = typeof batchNormInference;
export const inferWithBatchStats: BnInfer = (x, gamma, beta, mm, mv, e) => batchNormTrain(x, gamma, beta, mm, mv, 0.99, e).output;
export const inferNoEpsilon: BnInfer = (x, gamma, beta, mm, mv) => batchNormInference(x, gamma, beta, mm, mv, 0);

export const convNoBias = (input: Volume, kernel: ConvKernel, bias: number[], s: number, p: number): Volume => conv2dLayer(input, kernel, bias.map(() => 0), s, p);
export const convFirstChannel = (input: Volume, kernel: ConvKernel, bias: number[], s: number, p: number): Volume =>
  conv2dLayer(input.map((r) => r.map((px) => [px[0]])), kernel.map((r) => r.map((cell) => [cell[0]])), bias, s, p);
export const convOneSliceForAllChannels = (input: Volume, kernel: ConvKernel, bias: number[], s: number, p: number): Volume =>
  conv2dLayer(input, kernel.map((r) => r.map((cell) => cell.map(() => cell[0]))), bias, s, p);
export const convSquareKernel = (input: Volume, kernel: ConvKernel, bias: number[], s: number, p: number): Volume => {
  const k = kernel.length; // assumes kw = kh
  const square = Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, b) => kernel[a][b] ?? kernel[a][0].map((ch) => ch.map(() => 0))));
  return conv2dLayer(input, square, bias, s, p);
};

export const fieldsNoJump = (layers: LayerStep[]): number[] => receptiveFields(layers.map((l) => ({ kernel: l.kernel, stride: 1 })));
export const fieldsFromZero = (layers: LayerStep[]): number[] => receptiveFields(layers).map((r) => r - 1);
export const fieldsKTimesJump = (layers: LayerStep[]): number[] => {
  let r = 1, j = 1;
  return layers.map((l) => { r += l.kernel * j; j *= l.stride; return r; });
};
export const fieldsJumpUpdatedFirst = (layers: LayerStep[]): number[] => {
  let r = 1, j = 1;
  return layers.map((l) => { j *= l.stride; r += (l.kernel - 1) * j; return r; });
};

const NB = "08-camadas-batchnorm";
/** Each mistake with what it gets wrong (for the report). */
export const lesson08Trials: (ExerciseTrial & { what: string })[] = [
  { id: "batchnorm-train", notebook: NB, reference: batchNormTrain, mistake: bnRowsInsteadOfColumns, what: "normalizes each example over its features (wrong axis)" },
  { id: "batchnorm-train", notebook: NB, reference: batchNormTrain, mistake: bnNoEpsilon, what: "forgets epsilon" },
  { id: "batchnorm-train", notebook: NB, reference: batchNormTrain, mistake: bnSwappedMomentum, what: "swaps momentum and 1 - momentum in the moving update" },
  { id: "batchnorm-train", notebook: NB, reference: batchNormTrain, mistake: bnUnbiased, what: "divides the variance by N - 1" },
  { id: "batchnorm-train", notebook: NB, reference: batchNormTrain, mistake: bnNoUpdate, what: "returns the moving statistics unchanged" },
  { id: "batchnorm-inference", notebook: NB, reference: batchNormInference, mistake: inferWithBatchStats, what: "uses the batch statistics at inference" },
  { id: "batchnorm-inference", notebook: NB, reference: batchNormInference, mistake: inferNoEpsilon, what: "forgets epsilon at inference" },
  { id: "conv2d-layer", notebook: NB, reference: conv2dLayer, mistake: convNoBias, what: "forgets the bias" },
  { id: "conv2d-layer", notebook: NB, reference: conv2dLayer, mistake: convFirstChannel, what: "uses only the first input channel" },
  { id: "conv2d-layer", notebook: NB, reference: conv2dLayer, mistake: convOneSliceForAllChannels, what: "uses channel 0's weights for every channel" },
  { id: "conv2d-layer", notebook: NB, reference: conv2dLayer, mistake: convSquareKernel, what: "assumes a square kernel (kw = kh)" },
  { id: "receptive-field", notebook: NB, reference: receptiveFields, mistake: fieldsNoJump, what: "forgets the jump of the pooling strides" },
  { id: "receptive-field", notebook: NB, reference: receptiveFields, mistake: fieldsFromZero, what: "starts from 0 instead of 1 (off by one)" },
  { id: "receptive-field", notebook: NB, reference: receptiveFields, mistake: fieldsKTimesJump, what: "adds k * jump instead of (k - 1) * jump (off by one per layer)" },
  { id: "receptive-field", notebook: NB, reference: receptiveFields, mistake: fieldsJumpUpdatedFirst, what: "multiplies the jump by the stride before using it" },
];
