// Binary cross-entropy with class weights, reduced as Keras does with `class_weight`:
// every sample's loss is multiplied by the weight of its true class, then the sum is
// divided by the batch size (not by the sum of the weights).
import * as tf from "@tensorflow/tfjs";
import type { LossFn, LossSpec } from "cnn-course-engine";

export interface ClassWeights { 0: number; 1: number }

/** Mean weighted BCE of a batch; labels and probabilities shaped [batch, 1]. */
export function weightedBinaryCrossentropy(labels: tf.Tensor, probabilities: tf.Tensor, classWeights?: ClassWeights): tf.Scalar {
  return tf.tidy(() => {
    // tfjs-layers clips to [eps, 1 - eps] and goes through logits, as Keras does.
    const perSample = tf.metrics.binaryCrossentropy(labels, probabilities);
    if (!classWeights) return tf.mean(perSample) as tf.Scalar;
    const y = labels.reshape(perSample.shape);
    const weights = tf.add(tf.mul(y, classWeights[1]), tf.mul(tf.sub(1, y), classWeights[0]));
    return tf.div(tf.sum(tf.mul(perSample, weights)), perSample.size) as tf.Scalar;
  });
}

/** The loss of a training step: targets vs the model's outputs, class-weighted as Keras' class_weight. */
export function classWeightedLoss(classWeights?: ClassWeights | null): LossFn {
  return (targets, outputs) => weightedBinaryCrossentropy(targets, outputs, classWeights ?? undefined);
}

/** The same loss as a LossSpec, so that every training thread of the engine builds it. */
export function classWeightedLossSpec(classWeights?: ClassWeights): LossSpec {
  return { module: __filename, name: "classWeightedLoss", options: classWeights ?? null };
}
