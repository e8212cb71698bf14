// A Dropout layer whose masks are reproducible AND change at every training step.
// tf.layers.dropout({ seed }) reuses the same seed on every call, so it would switch off
// the same neurons at every iteration (not dropout at all); without a seed it draws from
// Math.random and runs cannot be repeated. Here call number k uses seed + k.
import * as tf from "@tensorflow/tfjs";
import { checkDropoutRate } from "../lecture/dropout";

export interface SeededDropoutArgs { rate: number; seed: number; name?: string }

export class SeededDropout extends tf.layers.Layer {
  static readonly className = "SeededDropout";
  readonly rate: number;
  private readonly seed: number;
  private calls = 0;

  constructor(args: SeededDropoutArgs) {
    super({ name: args.name });
    checkDropoutRate(args.rate);
    this.rate = args.rate;
    this.seed = args.seed;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    // Inference (predict, evaluate): every neuron on, no scaling (inverted dropout).
    if (!kwargs.training || this.rate === 0) return input;
    return tf.dropout(input, this.rate, undefined, this.seed + this.calls++);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
tf.serialization.registerClass(SeededDropout);
