// Hidden cases of notebook 08 (instructor grading only): other counts, block sizes, image
// sizes and confusion matrices; Parte 2 is judged again on the same model.
import type { ExerciseCase } from "../../../lib/check/types";
import {
  architectureOf, classWeightCase, convBlockCase, countCase, denseBlockCase, dropoutsOf, metricsCase, METRIC_MEANING_ANSWER,
  pooledSizesCase, verifyArchitecture, verifyDropouts,
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
  "pneumonia-pooled-sizes": [pooledSizesCase(224), pooledSizesCase(33)],
  "pneumonia-precision-recall": [
    metricsCase("oculto: muitos falsos negativos", [[200, 5], [150, 100]]),
    metricsCase("oculto: nenhum positivo real (revocação 0 por convenção)", [[7, 3], [0, 0]]),
  ],
  "pneumonia-metric-meaning": [{ name: "oculto: as duas alternativas", args: [], expected: { ...METRIC_MEANING_ANSWER } }],
  "pneumonia-architecture": [{ name: "oculto: as camadas de buildModel(180)", args: [], verify: verifyArchitecture(architectureOf(180)) }],
  "pneumonia-dropouts": [{ name: "oculto: as Dropout de buildModel(180)", args: [], verify: verifyDropouts(dropoutsOf(180)) }],
};
