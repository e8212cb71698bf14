// P(PNEUMONIA) for every image of a split, computed from the logit in double precision:
// model.predict's float32 sigmoid rounds every logit above ~17 to exactly 1, and such ties
// would blur the ROC curve and the threshold search.
import * as tf from "@tensorflow/tfjs";
import { batchTensors, LabeledImages } from "../training/batches";
import { assertChain, logitsFrom } from "./model-parts";
import { Scores } from "./threshold";

export function predictScores(model: tf.LayersModel, data: LabeledImages, batchSize = 64): Scores {
  assertChain(model);
  const probabilities: number[] = [];
  for (let from = 0; from < data.count; from += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, data.count - from) }, (_, i) => from + i);
    const logits = tf.tidy(() => {
      const { x } = batchTensors(data, indices);
      return logitsFrom(model, x, 0);
    });
    for (const z of logits.dataSync()) probabilities.push(1 / (1 + Math.exp(-z)));
    logits.dispose();
  }
  return { probabilities, labels: Array.from(data.labels) };
}
