// Binary accuracy, precision and recall over a whole epoch, as Keras computes them:
// true/false positive/negative counts accumulate over every batch and the ratios are
// taken at the end (averaging per-batch precisions would weight small batches wrongly).
import { noteReferenceCall } from "../../check/reference-use";

/** Counts of a 2x2 confusion matrix (positive = PNEUMONIA = 1). */
export interface ConfusionCounts { tp: number; fp: number; tn: number; fn: number }

export interface BinaryMetrics { accuracy: number; precision: number; recall: number }

export function emptyCounts(): ConfusionCounts {
  return { tp: 0, fp: 0, tn: 0, fn: 0 };
}

/**
 * Adds one batch to `counts` (in place) and returns it. A prediction is positive when
 * its probability is above `threshold` (Keras: `y_pred > 0.5`).
 */
export function accumulateCounts(counts: ConfusionCounts, labels: ArrayLike<number>, probabilities: ArrayLike<number>, threshold = 0.5): ConfusionCounts {
  if (labels.length !== probabilities.length) {
    throw new Error(`accumulateCounts: ${labels.length} rótulos mas ${probabilities.length} previsões; devem ser do mesmo tamanho.`);
  }
  for (let i = 0; i < labels.length; i++) {
    const predicted = probabilities[i] > threshold;
    if (labels[i] === 1) counts[predicted ? "tp" : "fn"]++;
    else counts[predicted ? "fp" : "tn"]++;
  }
  return counts;
}

/** Ratios with Keras' divide-no-NaN convention (0 when nothing was counted). */
export function metricsFromCounts(c: ConfusionCounts): BinaryMetrics {
  noteReferenceCall("metricsFromCounts");
  const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
  return {
    accuracy: ratio(c.tp + c.tn, c.tp + c.tn + c.fp + c.fn),
    precision: ratio(c.tp, c.tp + c.fp),
    recall: ratio(c.tp, c.tp + c.fn),
  };
}

/** The confusion matrix as rows = true class, columns = predicted class (NORMAL, PNEUMONIA). */
export function confusionMatrix(c: ConfusionCounts): number[][] {
  return [[c.tn, c.fp], [c.fn, c.tp]];
}
