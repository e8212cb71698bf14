// The learning-rate schedule of the Keras example and an Adam whose rate follows it
// step by step (tfjs optimizers take a fixed number; Keras takes a schedule).
import * as tf from "@tensorflow/tfjs";
import { fusedAdamStep } from "cnn-course-engine";

export interface ExponentialDecayConfig {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  staircase: boolean;
  /**
   * Not in Keras' ExponentialDecay (a course deviation, 0 or absent in the Keras settings):
   * the rate grows linearly from initial/warmupSteps to initial over the first warmupSteps steps.
   */
  warmupSteps?: number;
}

/** keras.optimizers.schedules.ExponentialDecay(0.015, decay_steps=100000, decay_rate=0.96, staircase=True). */
export const KERAS_EXAMPLE_SCHEDULE: ExponentialDecayConfig = {
  initialLearningRate: 0.015, decaySteps: 100000, decayRate: 0.96, staircase: true,
};

/**
 * lr(step) = initial * rate^(step / decaySteps), the exponent floored when `staircase`;
 * times (step + 1) / warmupSteps during a warm-up, when one is set.
 */
export function exponentialDecay(cfg: ExponentialDecayConfig): (step: number) => number {
  if (!(cfg.decaySteps > 0)) throw new Error(`exponentialDecay: decaySteps deve ser > 0 (recebi ${cfg.decaySteps}).`);
  const warmup = cfg.warmupSteps ?? 0;
  if (!(warmup >= 0)) throw new Error(`exponentialDecay: warmupSteps deve ser >= 0 (recebi ${cfg.warmupSteps}).`);
  return (step: number) => {
    const p = step / cfg.decaySteps;
    const decayed = cfg.initialLearningRate * Math.pow(cfg.decayRate, cfg.staircase ? Math.floor(p) : p);
    return step < warmup ? decayed * (step + 1) / warmup : decayed;
  };
}

/** Keras' Adam defaults (keras.optimizers.Adam: beta_1 0.9, beta_2 0.999, epsilon 1e-7). */
export const KERAS_ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as const;

/**
 * Adam as Keras computes it, with a per-step learning rate from the schedule.
 * Keras: lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t); w -= lr_t * m / (sqrt(v) + epsilon).
 * tfjs: w -= lr * m_hat / (sqrt(v_hat) + epsilon), with m_hat, v_hat bias-corrected. The two
 * agree when tfjs' epsilon at step t is epsilon / sqrt(1 - beta2^t), which applyGradients sets
 * (at step 1 Keras' epsilon acts 32 times larger than tfjs' would).
 */
export class ScheduledAdam extends tf.AdamOptimizer {
  private readonly schedule: (step: number) => number;

  constructor(schedule: ExponentialDecayConfig = KERAS_EXAMPLE_SCHEDULE) {
    const fn = exponentialDecay(schedule);
    super(fn(0), KERAS_ADAM.beta1, KERAS_ADAM.beta2, KERAS_ADAM.epsilon);
    this.schedule = fn;
  }

  /** The rate the next step will use (Keras evaluates the schedule at `iterations`). */
  get currentLearningRate(): number {
    return this.learningRate;
  }

  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer["applyGradients"]>[0]): void {
    const step = this.iterations + 1;
    this.learningRate = this.schedule(this.iterations);
    this.epsilon = KERAS_ADAM.epsilon / Math.sqrt(1 - Math.pow(this.beta2, step));
    // One SIMD pass per variable on wasm (same bits as tfjs' fourteen kernels), else tfjs' own step.
    if (!Array.isArray(variableGradients) || !fusedAdamStep(this, variableGradients)) super.applyGradients(variableGradients);
  }

  /** Keras' hyper-parameters (epsilon as Keras names it, not the per-step tfjs value). */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: KERAS_ADAM.epsilon };
  }
}
