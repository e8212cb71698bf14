// Keras' initializers on a tfjs model. Keras gives Conv2D and Dense kernels
// `glorot_uniform`; tfjs-layers gives them `glorotNormal` (a truncated normal) unless told
// otherwise. SeparableConv2D already uses glorotUniform in both libraries. The notebook's
// blocks are written by students exactly as the Keras example writes them (no initializer
// argument), so buildModel() applies Keras' default afterwards, to whoever wrote the layer.
import * as tf from "@tensorflow/tfjs";


interface KernelLayer {
  kernel: tf.LayerVariable | null;
  kernelInitializer: ReturnType<typeof tf.initializers.glorotUniform>;
}

type SerializedInitializer = { className?: string; config?: { scale?: number; mode?: string; distribution?: string } };

/** True when `key` of the layer's config is glorotNormal (tfjs serializes it as VarianceScaling, fanAvg, normal). */
export function isGlorotNormal(layer: tf.layers.Layer, key = "kernelInitializer"): boolean {
  const v = layer.getConfig()[key] as SerializedInitializer | undefined;
  return v?.className === "VarianceScaling" && v.config?.scale === 1 && v.config.mode === "fanAvg" && v.config.distribution === "normal";
}

/**
 * Redraws, as glorotUniform, every Conv2D and Dense kernel left at tfjs' default
 * (glorotNormal), and records the new initializer in the layer's config. Kernels given an
 * explicit initializer are kept. Draws from Math.random like any unseeded tfjs initializer:
 * call it inside withSeededMathRandom to repeat. Returns how many kernels it redrew.
 */
export function applyKerasKernelInitializers(model: tf.LayersModel): number {
  let redrawn = 0;
  for (const layer of model.layers) {
    const type = layer.getClassName();
    if ((type !== "Conv2D" && type !== "Dense") || !isGlorotNormal(layer)) continue;
    const target = layer as unknown as KernelLayer;
    if (!target.kernel) continue;
    const uniform = tf.initializers.glorotUniform({});
    const values = uniform.apply(target.kernel.shape);
    target.kernel.write(values);
    values.dispose();
    target.kernelInitializer = uniform;
    redrawn++;
  }
  return redrawn;
}
