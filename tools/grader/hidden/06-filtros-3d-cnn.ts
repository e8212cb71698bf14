// Hidden cases of notebook 06 (instructor grading only): other volumes, filters and networks.
import type { ExerciseCase } from "../../../lib/check/types";
import { cnnParamsCase, randomConvVolumeCase, randomVector, unflattenCase } from "../../../lib/exercises/06-filtros-3d-cnn";
import { seededRandom } from "../../../lib/common/random";

const rng = seededRandom(6060);

export const hidden: Record<string, ExerciseCase[]> = {
  "conv-multichannel": [
    randomConvVolumeCase(601, [9, 7, 3], 3, 2),
    randomConvVolumeCase(602, [5, 6, 8], 2, 1),
    randomConvVolumeCase(603, [10, 10, 1], 5, 3),
  ],
  unflatten: [
    unflattenCase("oculto: aleatório", randomVector(24, rng), 4, 2, 3),
    unflattenCase("oculto: aleatório, uma linha", randomVector(20, rng), 1, 5, 4),
    unflattenCase("oculto: aleatório, 2 mapas de 3x7", randomVector(42, rng), 3, 7, 2),
  ],
  "cnn-params": [
    cnnParamsCase("oculto", 64, 3, 16, 3, 2, 2),
    cnnParamsCase("oculto", 15, 1, 6, 4, 2, 5),
  ],
};
