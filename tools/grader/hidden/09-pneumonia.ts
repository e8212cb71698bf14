// Hidden cases of notebook 09 (instructor grading only): other counts, block sizes,
// confusion matrices and image sizes, so that no hidden case repeats a public one.
import type { ExerciseCase } from "../../../lib/check/types";
import {
  architectureCase, blockParamsCase, classWeightCase, convBlockCase, countCase, denseBlockCase, dropoutsCase, matrixCase, metricsCase,
} from "../../../lib/exercises/09-pneumonia";

export const hidden: Record<string, ExerciseCase[]> = {
  "pneumonia-count-classes": [
    countCase("oculto: 1 NORMAL", 1, 0, 91),
    countCase("oculto: a divisão de treino do Keras (1076 e 3109)", 1076, 3109, 92),
  ],
  "pneumonia-class-weights": [
    classWeightCase("oculto: mais NORMAL que PNEUMONIA", 700, 100),
    classWeightCase("oculto: 1 e 9", 1, 9),
  ],
  "pneumonia-conv-block": [
    convBlockCase("oculto: convBlock(256) em 11x11x128", 256, [11, 11, 128]),
    convBlockCase("oculto: convBlock(5) em 3x9x2 (não quadrada)", 5, [3, 9, 2]),
  ],
  "pneumonia-dense-block": [
    denseBlockCase("oculto: denseBlock(64, 0.3) com 128 entradas", 64, 0.3, 128),
    denseBlockCase("oculto: denseBlock(1, 0.9) com 7 entradas", 1, 0.9, 7),
  ],
  "pneumonia-separable-params": [
    blockParamsCase("oculto: o segundo convBlock", 32, 64, true),
    blockParamsCase("oculto: o terceiro convBlock, se fosse comum", 64, 128, false),
    blockParamsCase("oculto: poucos canais", 5, 7, true),
    blockParamsCase("oculto: um filtro sobre um canal", 1, 1, false),
  ],
  "pneumonia-precision-recall": [
    metricsCase("oculto: muitos falsos negativos", [[200, 5], [150, 100]]),
    metricsCase("oculto: nenhum positivo real (revocação 0 por convenção)", [[7, 3], [0, 0]]),
  ],
  "pneumonia-metric-meaning": [
    matrixCase("oculto: muitos falsos positivos", [[40, 160], [3, 297]]),
    matrixCase("oculto: um só acerto positivo", [[50, 2], [8, 1]]),
    matrixCase("oculto: nenhum normal", [[0, 0], [5, 45]]),
  ],
  "pneumonia-architecture": [224, 100, 33].map(architectureCase),
  "pneumonia-dropouts": [224, 64].map(dropoutsCase),
};
