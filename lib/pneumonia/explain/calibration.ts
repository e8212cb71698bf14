// Calibration: does "80% PNEUMONIA" come true about 80% of the time? The probabilities are
// grouped in equal-width bins; in each bin the mean predicted probability is compared with
// the fraction of images that really have pneumonia (a reliability diagram).
import { Scores } from "./threshold";

export interface ReliabilityBin {
  /** The bin holds probabilities in [lo, hi) (the last one includes 1). */
  lo: number;
  hi: number;
  count: number;
  /** Mean P(PNEUMONIA) of the bin's images (NaN when empty). */
  meanPredicted: number;
  /** Fraction of the bin's images that are PNEUMONIA (NaN when empty). */
  fractionPositive: number;
}

export interface Reliability {
  bins: ReliabilityBin[];
  /** Expected calibration error: the bins' |meanPredicted - fractionPositive|, weighted by their share of images. */
  ece: number;
}

export function reliability(scores: Scores, binCount = 10): Reliability {
  if (!Number.isInteger(binCount) || binCount < 1) throw new Error(`reliability: binCount deve ser um inteiro >= 1 (recebi ${binCount}).`);
  if (scores.probabilities.length !== scores.labels.length) throw new Error("reliability: uma probabilidade por rótulo.");
  const sums = Array.from({ length: binCount }, () => ({ count: 0, predicted: 0, positives: 0 }));
  scores.probabilities.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) throw new Error(`reliability: probabilidade ${p} fora de [0, 1] na posição ${i}.`);
    const b = Math.min(binCount - 1, Math.floor(p * binCount));
    sums[b].count++;
    sums[b].predicted += p;
    sums[b].positives += scores.labels[i];
  });
  const n = scores.labels.length;
  let ece = 0;
  const bins = sums.map((s, b) => {
    const meanPredicted = s.count ? s.predicted / s.count : NaN, fractionPositive = s.count ? s.positives / s.count : NaN;
    if (s.count) ece += (s.count / n) * Math.abs(meanPredicted - fractionPositive);
    return { lo: b / binCount, hi: (b + 1) / binCount, count: s.count, meanPredicted, fractionPositive };
  });
  return { bins, ece };
}
