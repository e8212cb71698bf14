// Watches an exercise's references while its cases run: the course functions (probes,
// see reference-use.ts) and the TensorFlow.js kernels that compute the same thing
// (tf.conv2d runs the "Conv2D" kernel, whichever way it is called: tf.conv2d,
// tf.layers.conv2d, tf.fused.conv2d's fallback...). Used by check() and by the grader's
// injected cell (runCasesForGrader).
import * as tf from "@tensorflow/tfjs";
import { watchKernelRuns } from "cnn-course-engine";
import { fallbackLabel, noteReferenceCall, ReferenceUseError, startReferenceWatch, TAMPER_LABEL } from "./reference-use";
import type { Exercise } from "./types";

/** Every label watched while the cases of `ex` run. */
export function watchedLabels(ex: Exercise): string[] {
  return [fallbackLabel(ex.id), ...(ex.offLimits?.probes ?? []), ...(ex.offLimits?.tfKernels ?? []).map((k) => `tf:${k}`),
    ...(ex.offLimits?.tfLayers ? [TF_LAYERS_LABEL] : [])];
}

const TF_LAYERS_LABEL = "tf.layers";

/** Notes every call of a `tf.layers.*` factory until the returned function is called. */
function watchTfLayers(on: boolean): () => void {
  if (!on) return () => undefined;
  const layers = tf.layers as unknown as Record<string, unknown>;
  const originals = Object.entries(layers).filter((e): e is [string, (...a: unknown[]) => unknown] => typeof e[1] === "function");
  for (const [name, fn] of originals) {
    layers[name] = function (this: unknown, ...args: unknown[]): unknown {
      noteReferenceCall(TF_LAYERS_LABEL);
      return fn.apply(this, args);
    };
  }
  return () => { for (const [name, fn] of originals) layers[name] = fn; };
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
  const unpatchKernels = watchTfKernels(ex.offLimits?.tfKernels ?? []);
  const unpatchLayers = watchTfLayers(ex.offLimits?.tfLayers ?? false);
  const unpatch = (): boolean => { unpatchLayers(); return unpatchKernels(); };
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
