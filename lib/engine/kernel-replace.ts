// Replacing a backend's kernel with one of the course's that falls back to the original for the
// cases it does not handle (other dtypes, other patterns).
import * as tf from "@tensorflow/tfjs";

/** A tfjs kernel function as the course's replacements see it (and call the original). */
export type Fallback = (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }) => tf.TensorInfo | tf.TensorInfo[];

/** Registers make(original) as `kernelName` on `backendName`; once only (a second call keeps the first). */
export function replaceKernel(kernelName: string, backendName: string, make: (fallback: Fallback) => Fallback): void {
  const original = tf.getKernel(kernelName, backendName);
  if (original == null) return;
  if ((original.kernelFunc as { courseKernel?: boolean }).courseKernel) return; // already ours
  const kernelFunc = make(original.kernelFunc as unknown as Fallback) as unknown as tf.KernelFunc;
  (kernelFunc as { courseKernel?: boolean }).courseKernel = true;
  tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({ ...original, kernelFunc });
}
