// Hidden cases of notebook 11 (instructor grading only): other functions, sizes, strides, rates and batches.
import type { ExerciseCase } from "../../../lib/check/types";
import {
  batchNormBackwardCase, convBackwardCase, distinctMap, dropoutBackwardCase, gradientCheckCase, maxPoolCase, maxPoolTieCase,
} from "../../../lib/exercises/11-retropropagacao";

export const hidden: Record<string, ExerciseCase[]> = {
  "gradient-check": [
    gradientCheckCase("senos encadeados", [2.1, -0.3, 0.9], 1e-4, { index: 0, by: -1 }),
    gradientCheckCase("entropia cruzada da softmax (classe 0)", [0.2, 0.4, -1, 2, 0.1], 1e-5),
    gradientCheckCase("só as pontas contam", [-1.4, 0.2, 0.2, 0.9, 0.5], 1e-4, { index: 4, by: 1.01 }),
  ],
  "conv-backward": [
    convBackwardCase(1211, [4, 4, 5, 1], [2, 3, 2], 1, 1),
    convBackwardCase(1212, [2, 8, 6, 2], [4, 4, 1], 3, 0),
    convBackwardCase(1213, [3, 3, 3, 4], [1, 1, 5], 1, 0, " (filtro 1x1)"),
  ],
  "maxpool-backward": [
    maxPoolCase("oculto: mapa 6x8 sem empates", distinctMap(6, 8, 1221), 2, 2, 1222),
    maxPoolCase("oculto: mapa 6x6 sem empates, janela 3, passo 1", distinctMap(6, 6, 1223), 3, 1, 1224),
    maxPoolTieCase("oculto: um mapa constante", [[2, 2, 2], [2, 2, 2], [2, 2, 2]], 2, 1, 1225),
    maxPoolTieCase("oculto: empates em colunas", [[0, 4, 4, 0], [0, 4, 4, 0], [1, 1, 2, 2], [1, 1, 2, 2]], 2, 2, 1226),
  ],
  "dropout-backward": [
    dropoutBackwardCase(40, 0.3, 1231),
    dropoutBackwardCase(6, 0.1, 1232),
  ],
  "batchnorm-backward": [
    batchNormBackwardCase("oculto", 1241, 10, 3),
    batchNormBackwardCase("oculto: ε de 1e-5 (o padrão do PyTorch)", 1242, 3, 5, 2, 1e-5),
    batchNormBackwardCase("oculto: lote 16x2", 1243, 16, 2, 1),
  ],
};
