// Where to put the threshold: ROC and precision-recall curves of a split's predicted
// probabilities, their areas, and the threshold that keeps validation recall above a
// floor with the best precision, then applied, unchanged, to the test split.
// Rule used everywhere in this file: an image is called PNEUMONIA when p >= threshold.
import { ConfusionCounts, metricsFromCounts } from "../training/metrics";
import { noteReferenceCall } from "../../check/reference-use";

/** P(PNEUMONIA) and the true label (0 NORMAL, 1 PNEUMONIA) of every image of a split. */
export interface Scores {
  probabilities: number[];
  labels: number[];
}

export interface OperatingPoint {
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  precision: number;
  recall: number;
  /** False positive rate: FP / (FP + TN). */
  fpr: number;
}

function assertScores(s: Scores, what: string): void {
  if (!s || !Array.isArray(s.probabilities) || !Array.isArray(s.labels)) {
    throw new Error(`${what}: esperava { probabilities: number[], labels: number[] }.`);
  }
  if (s.probabilities.length !== s.labels.length || s.labels.length === 0) {
    throw new Error(`${what}: ${s.probabilities.length} probabilidades para ${s.labels.length} rótulos (devem ser iguais e > 0).`);
  }
  if (s.labels.some((l) => l !== 0 && l !== 1)) throw new Error(`${what}: os rótulos devem ser 0 (NORMAL) ou 1 (PNEUMONIA).`);
}

/** Confusion counts when images with p >= threshold are called PNEUMONIA. */
export function countsAt(scores: Scores, threshold: number): ConfusionCounts {
  assertScores(scores, "countsAt");
  const c: ConfusionCounts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  scores.probabilities.forEach((p, i) => {
    const positive = p >= threshold;
    if (scores.labels[i] === 1) c[positive ? "tp" : "fn"]++;
    else c[positive ? "fp" : "tn"]++;
  });
  return c;
}

function point(threshold: number, c: ConfusionCounts): OperatingPoint {
  const m = metricsFromCounts(c);
  return { threshold, ...c, precision: m.precision, recall: m.recall, fpr: c.fp + c.tn === 0 ? 0 : c.fp / (c.fp + c.tn) };
}

/** The operating point of every distinct probability used as threshold, from the highest down (one sort, one sweep). */
export function operatingPoints(scores: Scores): OperatingPoint[] {
  assertScores(scores, "operatingPoints");
  const order = scores.probabilities.map((p, i) => i).sort((a, b) => scores.probabilities[b] - scores.probabilities[a]);
  const positives = scores.labels.reduce((s, l) => s + l, 0), negatives = scores.labels.length - positives;
  const points: OperatingPoint[] = [];
  let tp = 0, fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (scores.labels[i] === 1) tp++; else fp++;
    const p = scores.probabilities[i];
    // Ties: a threshold calls every image with that probability positive at once.
    if (k + 1 < order.length && scores.probabilities[order[k + 1]] === p) continue;
    points.push(point(p, { tp, fp, fn: positives - tp, tn: negatives - fp }));
  }
  return points;
}

export interface RocCurve {
  /** From (0, 0) (nothing called PNEUMONIA) to (1, 1) (everything), one point per distinct threshold. */
  fpr: number[];
  tpr: number[];
  thresholds: number[];
  /** Area under the curve (trapezoids): the chance a random PNEUMONIA image scores above a random NORMAL one. */
  auc: number;
}

export function rocCurve(scores: Scores): RocCurve {
  const points = operatingPoints(scores);
  const fpr = [0, ...points.map((p) => p.fpr)], tpr = [0, ...points.map((p) => p.recall)];
  let auc = 0;
  for (let k = 1; k < fpr.length; k++) auc += (fpr[k] - fpr[k - 1]) * (tpr[k] + tpr[k - 1]) / 2;
  return { fpr, tpr, thresholds: [Infinity, ...points.map((p) => p.threshold)], auc };
}

export interface PrCurve {
  recall: number[];
  precision: number[];
  thresholds: number[];
  /** Average precision: sum over thresholds of (recall gained) x precision (scikit-learn's definition). */
  averagePrecision: number;
  /** Fraction of PNEUMONIA in the split: the precision of a model that guesses. */
  baseline: number;
}

export function prCurve(scores: Scores): PrCurve {
  const points = operatingPoints(scores);
  let ap = 0, previousRecall = 0;
  for (const p of points) {
    ap += (p.recall - previousRecall) * p.precision;
    previousRecall = p.recall;
  }
  const positives = scores.labels.reduce((s, l) => s + l, 0);
  return {
    recall: points.map((p) => p.recall), precision: points.map((p) => p.precision), thresholds: points.map((p) => p.threshold),
    averagePrecision: ap, baseline: positives / scores.labels.length,
  };
}

export interface ThresholdChoice {
  threshold: number;
  validation: { precision: number; recall: number };
  test: { precision: number; recall: number };
}

/**
 * Chooses on VALIDATION the threshold (one of its probabilities) with recall >= minRecall and
 * the best precision (ties: the highest threshold), then measures it on TEST without changing it.
 */
export function chooseThreshold(splits: { validation: Scores; test: Scores }, minRecall: number): ThresholdChoice {
  noteReferenceCall("chooseThreshold");
  if (!(minRecall >= 0 && minRecall <= 1)) throw new Error(`chooseThreshold: minRecall deve estar entre 0 e 1 (recebi ${minRecall}).`);
  let best: OperatingPoint | null = null;
  for (const p of operatingPoints(splits.validation)) {
    if (p.recall >= minRecall && (best === null || p.precision > best.precision)) best = p;
  }
  if (best === null) throw new Error("chooseThreshold: nenhum limiar alcança a revocação pedida (a validação tem PNEUMONIA?).");
  const test = point(best.threshold, countsAt(splits.test, best.threshold));
  return {
    threshold: best.threshold,
    validation: { precision: best.precision, recall: best.recall },
    test: { precision: test.precision, recall: test.recall },
  };
}

/** Accuracy, precision, recall and the matrix [[TN, FP], [FN, TP]] at a threshold. */
export function metricsAt(scores: Scores, threshold: number): { accuracy: number; precision: number; recall: number; matrix: number[][] } {
  const c = countsAt(scores, threshold);
  return { ...metricsFromCounts(c), matrix: [[c.tn, c.fp], [c.fn, c.tp]] };
}

export type OutcomeKind = "VP" | "VN" | "FP" | "FN";

/**
 * Up to `perKind` images of each outcome at `threshold` (true/false positive/negative), the
 * most confident first: the clearest hits and the most confident mistakes.
 */
export function outcomeExamples(scores: Scores, threshold = 0.5, perKind = 2): { kind: OutcomeKind; index: number; probability: number; label: number }[] {
  const kindOf = (p: number, label: number): OutcomeKind => (p >= threshold ? (label === 1 ? "VP" : "FP") : (label === 1 ? "FN" : "VN"));
  const out: { kind: OutcomeKind; index: number; probability: number; label: number }[] = [];
  for (const kind of ["VP", "VN", "FP", "FN"] as OutcomeKind[]) {
    const confidence = (p: number): number => (kind === "VP" || kind === "FP" ? p : 1 - p);
    scores.probabilities.map((p, index) => ({ kind: kindOf(p, scores.labels[index]), index, probability: p, label: scores.labels[index] }))
      .filter((e) => e.kind === kind)
      .sort((a, b) => confidence(b.probability) - confidence(a.probability))
      .slice(0, perKind)
      .forEach((e) => out.push(e));
  }
  return out;
}
