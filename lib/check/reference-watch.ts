// Watches an exercise's references while its cases run: the course functions (probes,
// see reference-use.ts) and the TensorFlow.js kernels that compute the same thing
// (tf.conv2d runs the "Conv2D" kernel, whichever way it is called: tf.conv2d,
// tf.layers.conv2d, tf.fused.conv2d's fallback...). Used by check() and by the grader's
// injected cell (runCasesForGrader).
import { watchKernelRuns } from "cnn-course-engine";
import { fallbackLabel, noteReferenceCall, ReferenceUseError, startReferenceWatch, TAMPER_LABEL } from "./reference-use";
import type { Exercise } from "./types";

/** Every label watched while the cases of `ex` run. */
export function watchedLabels(ex: Exercise): string[] {
  return [fallbackLabel(ex.id), ...(ex.offLimits?.probes ?? []), ...(ex.offLimits?.tfKernels ?? []).map((k) => `tf:${k}`)];
}

/**
 * Notes the watched kernels tfjs runs until the returned function is called; that function says
 * whether tfjs still had the watching hook (false: student code replaced it). The hook on
 * tf.engine().runKernelFunc, a private internal, lives in engine/src/internals.ts.
 */
function watchTfKernels(kernels: readonly string[]): () => boolean {
  if (kernels.length === 0) return () => true;
  const watched = new Set(kernels);
  return watchKernelRuns((name) => { if (watched.has(name)) noteReferenceCall(`tf:${name}`); });
}

/**
 * Runs one case's `body` with the references of `ex` watched. Throws ReferenceUseError when
 * one was reached, whatever the body did (returned or threw).
 */
export async function withReferenceWatch<T>(ex: Exercise, body: () => Promise<T>): Promise<T> {
  const stop = startReferenceWatch(watchedLabels(ex));
  const unpatch = watchTfKernels(ex.offLimits?.tfKernels ?? []);
  let outcome: { value: T } | { error: unknown };
  try {
    outcome = { value: await body() };
  } catch (error) {
    outcome = { error };
  }
  const intact = unpatch();
  const used = stop();
  if (!intact) used.push(TAMPER_LABEL);
  if (used.length) throw new ReferenceUseError(used);
  if ("error" in outcome) throw outcome.error;
  return outcome.value;
}
