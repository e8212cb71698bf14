// Hidden cases of notebook 10 (instructor grading only): other map sizes and channel
// counts, a single channel, a revocação mínima of 1 and a validation split with another
// prevalence than test.
import type { ExerciseCase } from "../../../lib/check/types";
import { combineCase, thresholdCase, weightsCase } from "../../../lib/exercises/10-o-que-o-modelo-ve";

export const hidden: Record<string, ExerciseCase[]> = {
  "gradcam-weights": [
    weightsCase("oculto: mapas 2x9 com 5 canais", 2, 9, 5, 101),
    weightsCase("oculto: um só canal, 6x4", 6, 4, 1, 102),
  ],
  "gradcam-combine": [
    combineCase("oculto: mapas 3x8 com 4 canais", 3, 8, 4, 103),
    combineCase("oculto: um só canal, 5x5", 5, 5, 1, 104),
  ],
  "threshold-choice": [
    thresholdCase("oculto: revocação mínima 1 (todas as PNEUMONIA)", 1, [105, 106]),
    thresholdCase("oculto: validação pequena com 1 casa decimal", 0.95, [107, 108], { n: 80, digits: 1 }),
    thresholdCase("oculto: outra prevalência (40% PNEUMONIA)", 0.98, [109, 110], { prevalence: 0.4 }),
  ],
};
