// The learning-rate schedule of the Keras example and an Adam whose rate follows it
// step by step (tfjs optimizers take a fixed number; Keras takes a schedule).
import * as tf from "@tensorflow/tfjs";

export interface ExponentialDecayConfig {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  staircase: boolean;
}

/** keras.optimizers.schedules.ExponentialDecay(0.015, decay_steps=100000, decay_rate=0.96, staircase=True). */
export const KERAS_EXAMPLE_SCHEDULE: ExponentialDecayConfig = {
  initialLearningRate: 0.015, decaySteps: 100000, decayRate: 0.96, staircase: true,
};

/** lr(step) = initial * rate^(step / decaySteps), the exponent floored when `staircase`. */
export function exponentialDecay(cfg: ExponentialDecayConfig): (step: number) => number {
  if (!(cfg.decaySteps > 0)) throw new Error(`exponentialDecay: decaySteps deve ser > 0 (recebi ${cfg.decaySteps}).`);
  return (step: number) => {
    const p = step / cfg.decaySteps;
    return cfg.initialLearningRate * Math.pow(cfg.decayRate, cfg.staircase ? Math.floor(p) : p);
  };
}

/** Adam (Keras defaults: beta1 0.9, beta2 0.999, epsilon 1e-7) with a per-step learning rate. */
export class ScheduledAdam extends tf.AdamOptimizer {
  private readonly schedule: (step: number) => number;

  constructor(schedule: ExponentialDecayConfig = KERAS_EXAMPLE_SCHEDULE) {
    const fn = exponentialDecay(schedule);
    super(fn(0), 0.9, 0.999, 1e-7);
    this.schedule = fn;
  }

  /** The rate the next step will use (Keras evaluates the schedule at `iterations`). */
  get currentLearningRate(): number {
    return this.learningRate;
  }

  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer["applyGradients"]>[0]): void {
    this.learningRate = this.schedule(this.iterations);
    super.applyGradients(variableGradients);
  }
}
