// build_model() of the Keras example, layer for layer (Rescaling(1/255) first), with Keras'
// initializers (glorot_uniform kernels, zero biases).
import * as tf from "@tensorflow/tfjs";
import { convBlock, denseBlock, ConvBlockFn, DenseBlockFn, SymbolicTensor } from "./blocks";
import { applyKerasKernelInitializers } from "./keras-init";
import { withSeededMathRandom } from "cnn-course-engine";
import { noteReferenceCall } from "../../check/reference-use";

export interface BuildModelOptions {
  /** Seed for every initializer (default 42), so two builds start from the same weights. */
  seed?: number;
  /** Replaces the reference block (the notebook passes the student's version). */
  convBlock?: ConvBlockFn;
  denseBlock?: DenseBlockFn;
  /**
   * "flatten": the Keras example (Flatten → Dense 512 → 128 → 64 → 1). "gap": a named deviation,
   * GlobalAveragePooling2D → Dense(1) (Network in Network, ResNet): one number per channel of the last
   * block, so the head has 257 weights at any image size (at 180x180 the Keras head holds 94% of them).
   */
  head?: ModelHead;
}

export type ModelHead = "flatten" | "gap";

/** Smallest input the five 2x2 poolings leave at least one pixel for. */
export const MIN_IMAGE_SIZE = 32;

/** The pneumonia CNN for `imageSize` x `imageSize` RGB images with values 0..255; output P(PNEUMONIA). */
export function buildModel(imageSize = 180, opts: BuildModelOptions = {}): tf.LayersModel {
  noteReferenceCall("buildModel");
  if (!Number.isInteger(imageSize) || imageSize < MIN_IMAGE_SIZE) {
    throw new Error(`buildModel: imageSize deve ser um inteiro >= ${MIN_IMAGE_SIZE} (o modelo reduz a imagem 32 vezes); recebi ${imageSize}.`);
  }
  const conv = opts.convBlock ?? convBlock;
  const dense = opts.denseBlock ?? denseBlock;
  return withSeededMathRandom(opts.seed ?? 42, () => {
    const inputs = tf.input({ shape: [imageSize, imageSize, 3] });
    let x = tf.layers.rescaling({ scale: 1 / 255 }).apply(inputs) as SymbolicTensor;
    x = tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: "relu", padding: "same" }).apply(x) as SymbolicTensor;
    x = tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: "relu", padding: "same" }).apply(x) as SymbolicTensor;
    x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as SymbolicTensor;

    x = conv(32, x);
    x = conv(64, x);

    x = conv(128, x);
    x = tf.layers.dropout({ rate: 0.2 }).apply(x) as SymbolicTensor;

    x = conv(256, x);
    x = tf.layers.dropout({ rate: 0.2 }).apply(x) as SymbolicTensor;

    if ((opts.head ?? "flatten") === "flatten") {
      x = tf.layers.flatten().apply(x) as SymbolicTensor;
      x = dense(512, 0.7, x);
      x = dense(128, 0.5, x);
      x = dense(64, 0.3, x);
    } else if (opts.head === "gap") x = tf.layers.globalAveragePooling2d({}).apply(x) as SymbolicTensor;
    else throw new Error(`buildModel: head "${String(opts.head)}" desconhecida: use "flatten" (o Keras) ou "gap".`);

    const outputs = tf.layers.dense({ units: 1, activation: "sigmoid" }).apply(x) as SymbolicTensor;
    const model = tf.model({ inputs, outputs });
    // Keras' glorot_uniform where tfjs would leave glorotNormal (also in the student's blocks).
    applyKerasKernelInitializers(model);
    return model;
  });
}
