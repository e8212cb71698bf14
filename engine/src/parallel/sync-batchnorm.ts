// Synchronized BatchNormalization for data-parallel training. In training mode every replica
// normalizes with the mean and variance of the WHOLE batch (all slices together), and its
// backward pass uses the whole batch's gradient sums. So R replicas compute what one thread
// computes on the whole batch, up to float rounding: the training does not depend on the
// number of cores. The moving statistics are updated from the whole-batch statistics, hence
// identical in every replica. Inference (moving statistics) is untouched.
//
//   forward, x: [n, ..., C], statistics over every axis but the last; P_r = x.size / C
//     mean_r, M2_r = sum((x - mean_r)^2)    -> gather -> mu, var = M2 / P   (Chan's combination)
//     xhat = (x - mu) / sqrt(var + eps);  y = gamma * xhat + beta
//   backward, dy = gradient of this replica's loss L_r; the trainer weighs replica r by
//   w_r = n_r / n, so the batch loss is sum_r w_r L_r:
//     a_r = sum(dy), b_r = sum(dy * xhat)   -> gather -> A = sum_r w_r a_r, B = sum_r w_r b_r
//     dx = gamma / sqrt(var + eps) * (dy - (A + xhat * B) / P_r);  dgamma = b_r;  dbeta = a_r
// With one replica (w = 1, P_r = P) this is the textbook BatchNorm gradient.
import * as tf from "@tensorflow/tfjs";
import { inputGradFused, normalizeFused } from "../fused-batchnorm";
import { SharedGather } from "./shared-gather";
import { BatchNormInternals, batchNormInternals, overrideCall, restoreCall } from "../internals";


const isBatchNorm = (layer: tf.layers.Layer): boolean => layer.getClassName() === "BatchNormalization";

/** Numbers per replica the gather needs for `model`: 1 + 2 x the widest BatchNorm. */
export function syncGatherWidth(model: tf.LayersModel): number {
  const channels = model.layers.filter(isBatchNorm).map((l) => (l.outputShape as number[]).slice(-1)[0] ?? 0);
  return 1 + 2 * Math.max(1, ...channels);
}

/** Whole-batch mean and (biased) variance from each replica's [P_r, mean_r..., M2_r...]. */
export function combineMoments(rows: Float64Array[], channels: number): { mean: Float64Array; variance: Float64Array } {
  const total = rows.reduce((a, r) => a + r[0], 0);
  const mean = new Float64Array(channels), variance = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    let mu = 0;
    for (const r of rows) mu += r[0] * r[1 + c];
    mu /= total;
    let m2 = 0;
    for (const r of rows) m2 += r[1 + channels + c] + r[0] * (r[1 + c] - mu) ** 2;
    mean[c] = mu;
    variance[c] = m2 / total;
  }
  return { mean, variance };
}

/** sum_r share_r * row_r[offset + c] for c < channels. */
function weightedSums(rows: Float64Array[], shares: readonly number[], offset: number, channels: number): Float32Array {
  const out = new Float32Array(channels);
  for (let c = 0; c < channels; c++) out[c] = rows.reduce((a, r, i) => a + shares[i] * r[offset + c], 0);
  return out;
}

export class SyncBatchNorm {
  /** Each participant's share of the batch (n_r / n), set before every step. */
  private shares: number[] = [1];
  private readonly installed: tf.layers.Layer[] = [];

  constructor(private readonly gather: SharedGather) {}

  setShares(shares: readonly number[]): void {
    this.shares = [...shares];
  }

  /** Makes every BatchNormalization layer of `model` synchronized in training mode. */
  install(model: tf.LayersModel): void {
    for (const layer of model.layers.filter(isBatchNorm)) {
      const bn = batchNormInternals(layer);
      if (bn.axis !== -1 && bn.axis !== (layer.outputShape as number[]).length - 1) throw new Error(`BatchNorm sincronizada: ${layer.name} normaliza o eixo ${bn.axis}, só o último é suportado.`);
      if (!bn.gamma || !bn.beta) throw new Error(`BatchNorm sincronizada: ${layer.name} precisa de scale e center.`);
      overrideCall(layer, (original) => (inputs, kwargs) => (kwargs?.training ? this.forward(bn, Array.isArray(inputs) ? inputs[0] : inputs) : original(inputs, kwargs)));
      this.installed.push(layer);
    }
  }

  /** Gives the layers back their own call (the model may train again on one thread). */
  uninstall(): void {
    for (const layer of this.installed.splice(0)) restoreCall(layer);
  }

  private wholeBatchMoments(x: tf.Tensor, axes: number[], channels: number): { mean: tf.Tensor1D; variance: tf.Tensor1D } {
    const { mean, m2 } = tf.tidy(() => {
      const m = tf.mean(x, axes);
      return { mean: m, m2: tf.sum(tf.square(tf.sub(x, m)), axes) };
    });
    const row = new Float64Array(1 + 2 * channels);
    row[0] = x.size / channels;
    row.set(mean.dataSync(), 1);
    row.set(m2.dataSync(), 1 + channels);
    tf.dispose([mean, m2]);
    const whole = combineMoments(this.gather.gather(row), channels);
    return { mean: tf.tensor1d(Float32Array.from(whole.mean)), variance: tf.tensor1d(Float32Array.from(whole.variance)) };
  }

  private forward(bn: BatchNormInternals, x: tf.Tensor): tf.Tensor {
    const channels = x.shape[x.rank - 1], axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
    const perReplica = x.size / channels;
    return tf.tidy(() => {
      const { mean, variance } = this.wholeBatchMoments(x, axes, channels);
      for (const [v, value] of [[bn.movingMean, mean], [bn.movingVariance, variance]] as const) {
        tf.tidy(() => { const old = v.read(); v.write(tf.sub(old, tf.mul(tf.sub(old, value), 1 - bn.momentum))); });
      }
      const invStd = tf.rsqrt(tf.add(variance, bn.epsilon));
      const normalize = tf.customGrad((...args: (tf.Tensor | ((save: tf.Tensor[]) => void))[]) => {
        const [input, gamma, beta] = args as tf.Tensor[];
        const save = args[3] as (s: tf.Tensor[]) => void;
        // one SIMD pass on wasm (fused-batchnorm.ts, same bits), else the tf ops it stands for
        const fused = normalizeFused(input, mean, invStd, gamma, beta);
        const xhat = fused?.xhat ?? tf.mul(tf.sub(input, mean), invStd);
        save([xhat, gamma, invStd]);
        return { value: fused?.y ?? tf.add(tf.mul(xhat, gamma), beta), gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => this.backward(dy as tf.Tensor, saved, axes, perReplica) };
      });
      return normalize(x, (bn.gamma as tf.LayerVariable).read(), (bn.beta as tf.LayerVariable).read());
    });
  }

  private backward(dy: tf.Tensor, [xhat, gamma, invStd]: tf.Tensor[], axes: number[], perReplica: number): tf.Tensor[] {
    const channels = xhat.shape[xhat.rank - 1];
    const { a, b } = tf.tidy(() => ({ a: tf.sum(dy, axes), b: tf.sum(tf.mul(dy, xhat), axes) }));
    const row = new Float64Array(2 * channels);
    row.set(a.dataSync(), 0);
    row.set(b.dataSync(), channels);
    const rows = this.gather.gather(row);
    const A = tf.tensor1d(weightedSums(rows, this.shares, 0, channels)), B = tf.tensor1d(weightedSums(rows, this.shares, channels, channels));
    const dx = tf.tidy(() => {
      const gi = tf.mul(gamma, invStd);
      return inputGradFused(dy, xhat, A, B, gi, perReplica) ?? tf.mul(gi, tf.sub(dy, tf.div(tf.add(A, tf.mul(xhat, B)), perReplica)));
    });
    tf.dispose([A, B]);
    return [dx, b, a];
  }
}
