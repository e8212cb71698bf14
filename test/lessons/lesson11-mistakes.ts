// Plausible wrong answers to the notebook-11 exercises (backward passes), written the way a
// student would. test/lessons/lesson11.test.ts shows that each one fails some public case.
import {
  batchNormBackward, convBackward, dropoutBackward, gradientCheck, maxPoolBackward,
} from "../../lib/lecture/backward";
import { columnMoments } from "../../lib/lecture/batchnorm";
import type { ConvKernel } from "../../lib/lecture/conv-layer";
import type { Matrix } from "../../lib/lecture/convolution";
import type { ExerciseTrial } from "../helpers/exercise-trials";

type F = (x: number[]) => number;

// The mistakes are run with the reference watch on (as a student's code would be), so they
// build on these copies of the references, which note no reference call.
const relativeError = (a: number[], b: number[]): number =>
  Math.max(0, ...a.map((v, i) => Math.abs(v - b[i]) / Math.max(1e-8, Math.abs(v) + Math.abs(b[i]))));
const numericOf = (f: F, x: number[], h: number): number[] => x.map((v, i) => {
  x[i] = v + h; const plus = f(x); x[i] = v - h; const minus = f(x); x[i] = v;
  return (plus - minus) / (2 * h);
});
function convGradients(dout: number[][][][], x: number[][][][], k: ConvKernel, s: number, p: number, stride = s) {
  const [h, w, ch, filters] = [x[0].length, x[0][0].length, x[0][0][0].length, k[0][0][0].length];
  const dx = x.map((im) => im.map((r) => r.map(() => new Array<number>(ch).fill(0))));
  const dW = k.map((r) => r.map(() => Array.from({ length: ch }, () => new Array<number>(filters).fill(0))));
  const db = new Array<number>(filters).fill(0);
  dout.forEach((map, n) => map.forEach((line, i) => line.forEach((px, j) => px.forEach((g, f) => {
    db[f] += g;
    k.forEach((krow, a) => krow.forEach((_, b) => {
      const r = i * stride + a - p, c = j * stride + b - p;
      if (r < 0 || r >= h || c < 0 || c >= w) return;
      for (let cc = 0; cc < ch; cc++) { dW[a][b][cc][f] += x[n][r][c][cc] * g; dx[n][r][c][cc] += k[a][b][cc][f] * g; }
    }));
  }))));
  return { dx, dW, db };
}
function bnGradients(dout: Matrix, x: Matrix, gamma: number[], eps: number) {
  const n = x.length, { mean, variance } = columnMoments(x);
  const inv = variance.map((v) => 1 / Math.sqrt(v + eps));
  const xhat = x.map((r) => r.map((v, j) => (v - mean[j]) * inv[j]));
  const dbeta = gamma.map((_, j) => dout.reduce((s, r) => s + r[j], 0));
  const dgamma = gamma.map((_, j) => dout.reduce((s, r, i) => s + r[j] * xhat[i][j], 0));
  const dx = x.map((r, i) => r.map((_, j) => (gamma[j] * inv[j] / n) * (n * dout[i][j] - dbeta[j] - xhat[i][j] * dgamma[j])));
  return { dx, dgamma, dbeta, inv };
}

// ---------- gradient check ----------
export const checkForwardDifference = (f: F, x: number[], analytic: number[], h: number) => {
  const base = f(x);
  const numeric = x.map((v, i) => { x[i] = v + h; const plus = f(x); x[i] = v; return (plus - base) / h; });
  return { numeric, relativeError: relativeError(analytic, numeric) };
};
export const checkNotRestored = (f: F, x: number[], analytic: number[], h: number) => {
  const numeric = x.map((_, i) => { x[i] += h; const plus = f(x); x[i] -= 2 * h; return (plus - f(x)) / (2 * h); });
  return { numeric, relativeError: relativeError(analytic, numeric) };
};
export const checkDenominatorAnalyticOnly = (f: F, x: number[], analytic: number[], h: number) => {
  const numeric = numericOf(f, x, h);
  return { numeric, relativeError: Math.max(...analytic.map((a, i) => Math.abs(a - numeric[i]) / Math.max(1e-8, Math.abs(a)))) };
};
export const checkMeanError = (f: F, x: number[], analytic: number[], h: number) => {
  const numeric = numericOf(f, x, h);
  const errors = analytic.map((a, i) => Math.abs(a - numeric[i]) / Math.max(1e-8, Math.abs(a) + Math.abs(numeric[i])));
  return { numeric, relativeError: errors.reduce((s, e) => s + e, 0) / errors.length };
};
export const checkNoFloor = (f: F, x: number[], analytic: number[], h: number) => {
  const numeric = numericOf(f, x, h);
  return { numeric, relativeError: Math.max(...analytic.map((a, i) => Math.abs(a - numeric[i]) / (Math.abs(a) + Math.abs(numeric[i])))) };
};

// ---------- conv ----------
type Conv = typeof convBackward;
/** dW and db from the first image only: the gradient not summed over the batch. */
export const convFirstImageOnly: Conv = (dout, x, k, s, p) => {
  const all = convGradients(dout, x, k, s, p), first = convGradients(dout.slice(0, 1), x.slice(0, 1), k, s, p);
  return { dx: all.dx, dW: first.dW, db: first.db };
};
/** dW and db averaged over the batch (divided by N), as if the loss were a mean the layer must take. */
export const convBatchAveraged: Conv = (dout, x, k, s, p) => {
  const g = convGradients(dout, x, k, s, p), n = x.length;
  return { dx: g.dx, dW: g.dW.map((r) => r.map((c) => c.map((f) => f.map((v) => v / n)))), db: g.db.map((v) => v / n) };
};
/** dx with the kernel flipped (180°), as the "full convolution" formula says for a true convolution. */
export const convFlippedKernelForDx: Conv = (dout, x, k, s, p) => {
  const flipped: ConvKernel = k.slice().reverse().map((row) => row.slice().reverse());
  return { ...convGradients(dout, x, k, s, p), dx: convGradients(dout, x, flipped, s, p).dx };
};
/** The window's position without the stride (i + a instead of i * s + a). */
export const convNoStride: Conv = (dout, x, k, s, p) => convGradients(dout, x, k, s, p, 1);

// ---------- max pooling ----------
type Pool = typeof maxPoolBackward;
const windows = (dout: Matrix, s: number, k: number, visit: (i: number, j: number, cells: [number, number][]) => void): void =>
  dout.forEach((line, i) => line.forEach((_, j) => {
    const cells: [number, number][] = [];
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) cells.push([i * s + a, j * s + b]);
    visit(i, j, cells);
  }));
/** Every value of the window gets the window's gradient. */
export const poolSpreadWholeWindow: Pool = (dout, x, k, s) => {
  const dx = x.map((r) => r.map(() => 0));
  windows(dout, s, k, (i, j, cells) => cells.forEach(([r, c]) => { dx[r][c] += dout[i][j]; }));
  return dx;
};
/** The gradient divided equally over the window (average pooling's gradient). */
export const poolAverageGradient: Pool = (dout, x, k, s) => poolSpreadWholeWindow(dout, x, k, s).map((r) => r.map((v) => v / (k * k)));
/** Every tied maximum gets the whole gradient. */
export const poolAllTiedMaxima: Pool = (dout, x, k, s) => {
  const dx = x.map((r) => r.map(() => 0));
  windows(dout, s, k, (i, j, cells) => {
    const best = Math.max(...cells.map(([r, c]) => x[r][c]));
    cells.forEach(([r, c]) => { if (x[r][c] === best) dx[r][c] += dout[i][j]; });
  });
  return dx;
};
/** `>=` instead of `>`: the LAST tied maximum gets it (what tfjs' original wasm kernel does). */
export const poolLastTiedMaximum: Pool = (dout, x, k, s) => {
  const dx = x.map((r) => r.map(() => 0));
  windows(dout, s, k, (i, j, cells) => {
    let best = cells[0];
    cells.forEach(([r, c]) => { if (x[r][c] >= x[best[0]][best[1]]) best = [r, c]; });
    dx[best[0]][best[1]] += dout[i][j];
  });
  return dx;
};
/** `=` instead of `+=`: overlapping windows overwrite each other's gradient. */
export const poolOverwrites: Pool = (dout, x, k, s) => {
  const dx = x.map((r) => r.map(() => 0));
  windows(dout, s, k, (i, j, cells) => {
    let best = cells[0];
    cells.forEach(([r, c]) => { if (x[r][c] > x[best[0]][best[1]]) best = [r, c]; });
    dx[best[0]][best[1]] = dout[i][j];
  });
  return dx;
};

// ---------- dropout ----------
type Drop = typeof dropoutBackward;
export const dropoutNoScale: Drop = (dout, mask) => dout.map((g, i) => g * mask[i]);
export const dropoutTimesKeep: Drop = (dout, mask, rate) => dout.map((g, i) => g * mask[i] * (1 - rate));
export const dropoutNoMask: Drop = (dout, _mask, rate) => dout.map((g) => g / (1 - rate));
export const dropoutDividesByRate: Drop = (dout, mask, rate) => dout.map((g, i) => (g * mask[i]) / rate);

// ---------- BatchNorm ----------
type Bn = typeof batchNormBackward;
/** dx = dout * gamma / sqrt(var + eps): as if the mean and the variance were constants. */
export const bnNoMeanVarianceTerms: Bn = (dout, x, gamma, eps) => {
  const { dgamma, dbeta, inv } = bnGradients(dout, x, gamma, eps);
  return { dgamma, dbeta, dx: dout.map((row) => row.map((g, j) => g * gamma[j] * inv[j])) };
};
/** The path through the mean kept, the one through the variance forgotten. */
export const bnNoVarianceTerm: Bn = (dout, x, gamma, eps) => {
  const n = x.length, { dgamma, dbeta, inv } = bnGradients(dout, x, gamma, eps);
  return { dgamma, dbeta, dx: dout.map((row) => row.map((v, j) => gamma[j] * inv[j] * (v - dbeta[j] / n))) };
};
/** dgamma and dbeta averaged over the batch instead of summed. */
export const bnParamsAveraged: Bn = (dout, x, gamma, eps) => {
  const g = bnGradients(dout, x, gamma, eps), n = x.length;
  return { dx: g.dx, dgamma: g.dgamma.map((v) => v / n), dbeta: g.dbeta.map((v) => v / n) };
};
/** epsilon forgotten in the backward pass. */
export const bnNoEpsilon: Bn = (dout, x, gamma) => {
  const { dx, dgamma, dbeta } = bnGradients(dout, x, gamma, 0);
  return { dx, dgamma, dbeta };
};

const NB = "11-retropropagacao";
/** Each exercise's first mistake, and the others by what they get wrong. */
export const lesson11Trials: ExerciseTrial[] = [
  {
    id: "gradient-check", notebook: NB, reference: gradientCheck, mistake: checkForwardDifference,
    moreMistakes: {
      "x not restored after each component": checkNotRestored,
      "relative error divided by |analytic| only": checkDenominatorAnalyticOnly,
      "mean of the relative errors instead of the largest": checkMeanError,
      "no 1e-8 floor (0/0 where both gradients are 0)": checkNoFloor,
    },
  },
  {
    id: "conv-backward", notebook: NB, reference: convBackward, mistake: convFirstImageOnly,
    moreMistakes: {
      "dW and db averaged over the batch": convBatchAveraged,
      "dx with the kernel flipped": convFlippedKernelForDx,
      "window position without the stride": convNoStride,
    },
  },
  {
    id: "maxpool-backward", notebook: NB, reference: maxPoolBackward, mistake: poolSpreadWholeWindow,
    moreMistakes: {
      "gradient divided over the window (average pooling's)": poolAverageGradient,
      "every tied maximum gets the gradient": poolAllTiedMaxima,
      "the last tied maximum gets it (>=)": poolLastTiedMaximum,
      "overlapping windows overwrite (= instead of +=)": poolOverwrites,
    },
  },
  {
    id: "dropout-backward", notebook: NB, reference: dropoutBackward, mistake: dropoutNoScale,
    moreMistakes: {
      "multiplied by 1 - p instead of divided": dropoutTimesKeep,
      "mask ignored": dropoutNoMask,
      "divided by p": dropoutDividesByRate,
    },
  },
  {
    id: "batchnorm-backward", notebook: NB, reference: batchNormBackward, mistake: bnNoMeanVarianceTerms,
    moreMistakes: {
      "the path through the variance forgotten": bnNoVarianceTerm,
      "dgamma and dbeta averaged over the batch": bnParamsAveraged,
      "epsilon forgotten": bnNoEpsilon,
    },
  },
];
