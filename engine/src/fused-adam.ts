// tfjs' AdamOptimizer.applyGradients in one SIMD pass per variable (kernels.wat, adamKeras) instead of
// fourteen elementwise kernels: the same float32 operations in the same order, so the same bits
// (test/engine/engine-simd.test.ts), and the moments stay the optimizer's own variables (checkpoints and
// getWeights/setWeights see no difference). Outputs are new tensors assigned to the variables, as
// tfjs does: a clone that shares a variable's memory (best weights) is never written through.
import * as tf from "@tensorflow/tfjs";
import { simdKernelsFor } from "./simd";
import { activeWasmBackend, adamInternals, byteOffset, NamedVariable, outputTensor, registeredVariable } from "./internals";

let enabled = true;

/** Turns the fused step on or off (on by default); returns the previous setting. For comparisons in tests. */
export function setFusedAdam(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** The moment variable of slot i, created as tfjs creates it (zeros, not trainable). */
function moment(slots: NamedVariable[], i: number, name: string, suffix: string, value: tf.Variable): tf.Variable {
  slots[i] ??= { originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
  return (slots[i] as { variable: tf.Variable }).variable;
}

/**
 * Applies one Adam step fused, or returns false (nothing done) where it cannot: not the wasm backend,
 * no SIMD, turned off, or a gradient that is not float32.
 */
export function fusedAdamStep(optimizer: tf.AdamOptimizer, gradients: { name: string; tensor: tf.Tensor }[]): boolean {
  const backend = enabled ? activeWasmBackend() : null;
  const kernels = backend ? simdKernelsFor(backend) : null;
  if (!backend || !kernels || gradients.some((g) => g.tensor.dtype !== "float32")) return false;
  const opt = adamInternals(optimizer);
  const f = Math.fround;
  const [c1, c2] = tf.tidy(() => [tf.sub(1, opt.accBeta1).dataSync()[0], tf.sub(1, opt.accBeta2).dataSync()[0]]);
  gradients.forEach(({ name, tensor: g }, i) => {
    const value = registeredVariable(name);
    const m = moment(opt.accumulatedFirstMoment, i, name, "m", value);
    const v = moment(opt.accumulatedSecondMoment, i, name, "v", value);
    const outs = [value, m, v].map((t) => backend.makeOutput(t.shape, "float32"));
    const at = (t: tf.TensorInfo): number => byteOffset(backend, t);
    kernels.adamKeras(at(value), at(g), at(m), at(v), at(outs[0]), at(outs[1]), at(outs[2]), value.size,
      f(opt.beta1), f(1 - opt.beta1), f(opt.beta2), f(1 - opt.beta2), c1, c2, f(opt.epsilon), f(-opt.learningRate));
    const [w2, m2, v2] = outs.map((info) => outputTensor(info));
    m.assign(m2);
    v.assign(v2);
    value.assign(w2);
    tf.dispose([w2, m2, v2]);
  });
  tf.tidy(() => {
    opt.accBeta1.assign(tf.mul(opt.accBeta1, opt.beta1));
    opt.accBeta2.assign(tf.mul(opt.accBeta2, opt.beta2));
  });
  opt.incrementIterations();
  return true;
}
