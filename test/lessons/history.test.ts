// The one history shape of the digit and X-ray trainings, and its conversion to Keras' history.
import { strict as assert } from "assert";
import { toKerasHistory } from "../../lib/common/history";
import { historyRecord } from "../../lib/digits/digit-training";
import { EpochLogs } from "../../lib/pneumonia/training/fit";
import { kerasHistory } from "../../lib/pneumonia/training/pipeline";

describe("training history", () => {
  it("the digit history becomes Keras' loss/val_loss/accuracy/val_accuracy, one value per epoch", () => {
    const epochs = [
      { epoch: 1, loss: 0.9, accuracy: 0.7, valLoss: 1.1, valAccuracy: 0.6 },
      { epoch: 2, loss: 0.5, accuracy: 0.85, valLoss: 0.8, valAccuracy: 0.75 },
    ];
    assert.deepEqual(historyRecord({ epochs, seconds: 1, backend: "cpu" }),
      { loss: [0.9, 0.5], val_loss: [1.1, 0.8], accuracy: [0.7, 0.85], val_accuracy: [0.6, 0.75] });
  });

  it("the X-ray history becomes Keras' binary metrics with their val_ twins", () => {
    const logs: EpochLogs[] = [1, 2].map((e) => ({
      epoch: e, loss: 1 / e, binaryAccuracy: 0.5 + e / 10, precision: 0.6, recall: 0.7 + e / 100,
      valLoss: 2 / e, valBinaryAccuracy: 0.4, valPrecision: 0.3 + e / 10, valRecall: 0.2, learningRate: 0.01, seconds: 3,
    }));
    const h = kerasHistory(logs);
    assert.deepEqual(Object.keys(h).sort(), ["binary_accuracy", "loss", "precision", "recall", "val_binary_accuracy", "val_loss", "val_precision", "val_recall"]);
    assert.deepEqual(h.loss, [1, 0.5]);
    assert.deepEqual(h.val_loss, [2, 1]);
    assert.deepEqual(h.recall, [0.71, 0.72]);
    assert.deepEqual(h.val_precision, [0.4, 0.5]);
  });

  it("toKerasHistory picks only the fields it is given", () => {
    assert.deepEqual(toKerasHistory([{ epoch: 1, loss: 3, valLoss: 4 }], { loss: "loss" }), { loss: [3] });
  });
});
