// Dropout masks of the whole batch for data-parallel training: every replica draws the mask of
// the WHOLE batch from the step's seed, exactly as tfjs' dropout draws it on one thread, and keeps
// the rows of its own slice. So a step on R threads drops the same units as on one thread.
//
//   x: [n_r, ...], rows start_r .. start_r + n_r of a batch of N
//   u = uniform[0, 1) of shape [N, ...] (the step's random stream, as tf.dropout draws it)
//   y = x * floor(u[start_r : start_r + n_r] + keep) / keep,   keep = 1 - rate
// The cost: each replica draws N instead of n_r numbers per dropout layer (at 180x180 and batch 50,
// about 0.8 million numbers per layer and step).
import * as tf from "@tensorflow/tfjs";
import { dropoutInternals, overrideCall, restoreCall } from "../internals";

export class SyncDropout {
  private start = 0;
  private total = 0;
  private readonly installed: tf.layers.Layer[] = [];

  /** This replica's rows in the step's batch. */
  setRows(start: number, total: number): void {
    this.start = start;
    this.total = total;
  }

  /** Makes every Dropout layer of `model` draw whole-batch masks in training mode. */
  install(model: tf.LayersModel): void {
    for (const layer of model.layers.filter((l) => l.getClassName() === "Dropout")) {
      const d = dropoutInternals(layer);
      if (d.noiseShape) throw new Error(`Dropout sincronizado: ${layer.name} tem noiseShape, não suportado.`);
      overrideCall(layer, (original) => (inputs, kwargs) => {
        const x = Array.isArray(inputs) ? inputs[0] : inputs;
        return kwargs?.training && d.rate > 0 && d.rate < 1 ? this.forward(x, d.rate, d.seed) : original(inputs, kwargs);
      });
      this.installed.push(layer);
    }
  }

  /** Gives the layers back their own call. */
  uninstall(): void {
    for (const layer of this.installed.splice(0)) restoreCall(layer);
  }

  private forward(x: tf.Tensor, rate: number, seed: number | undefined): tf.Tensor {
    if (this.start + x.shape[0] > this.total) throw new Error(`Dropout sincronizado: linhas ${this.start}..${this.start + x.shape[0]} num lote de ${this.total}.`);
    return tf.tidy(() => {
      const rest = x.shape.slice(1);
      const whole = tf.randomUniform([this.total, ...rest], 0, 1, "float32", seed);
      const mine = tf.slice(whole, [this.start, ...rest.map(() => 0)], [x.shape[0], ...rest]);
      const keep = 1 - rate;
      return tf.mul(x, tf.div(tf.floor(tf.add(mine, keep)), keep));
    });
  }
}
