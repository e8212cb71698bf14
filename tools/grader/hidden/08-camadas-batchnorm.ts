// Hidden cases of notebook 08 (instructor grading only): other batches, shapes, kernels and networks.
import type { ExerciseCase } from "../../../lib/check/types";
import {
  bnInferenceCase, bnSetup, bnTrainCase, convLayerCase, receptiveFieldCase, vggSteps,
} from "../../../lib/exercises/08-camadas-batchnorm";

export const hidden: Record<string, ExerciseCase[]> = {
  "batchnorm-train": [
    bnTrainCase("oculto: lote 7x2", bnSetup(8801, 7, 2)),
    bnTrainCase("oculto: lote 3x6, momentum 0,5", bnSetup(8802, 3, 6, { trainedMoving: true, momentum: 0.5 })),
    bnTrainCase("oculto: valores pequenos", bnSetup(8803, 4, 3, { low: 0, high: 0.08, trainedMoving: true })),
  ],
  "batchnorm-inference": [
    bnInferenceCase("oculto: lote 5x2", bnSetup(8811, 5, 2, { trainedMoving: true })),
    bnInferenceCase("oculto: um exemplo, 6 características", bnSetup(8812, 1, 6, { trainedMoving: true, low: 0, high: 0.1 })),
  ],
  "conv2d-layer": [
    convLayerCase(8821, [8, 7, 3], [3, 2, 5], 2, 1),
    convLayerCase(8822, [5, 9, 2], [1, 4, 2], 3, 0),
    convLayerCase(8823, [4, 4, 6], [3, 3, 1], 1, 1),
  ],
  "receptive-field": [
    receptiveFieldCase("oculto: conv 7x7 passo 2, pooling 3x3 passo 2, duas conv 3x3", [
      { kernel: 7, stride: 2 }, { kernel: 3, stride: 2 }, { kernel: 3, stride: 1 }, { kernel: 3, stride: 1 },
    ]),
    receptiveFieldCase("oculto: quatro blocos de conv 5x5", vggSteps(4, 5)),
    receptiveFieldCase("oculto: convoluções de passo 2 seguidas", [{ kernel: 3, stride: 2 }, { kernel: 3, stride: 2 }, { kernel: 3, stride: 2 }, { kernel: 1, stride: 1 }]),
  ],
};
