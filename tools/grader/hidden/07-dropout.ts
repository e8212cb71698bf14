// Hidden cases of notebook 07 (instructor grading only): other rates, sizes and seeds.
import type { ExerciseCase } from "../../../lib/check/types";
import { dropoutCase } from "../../../lib/exercises/07-dropout";

export const hidden: Record<string, ExerciseCase[]> = {
  "dropout-forward": [
    dropoutCase("oculto: 20000 neurônios, taxa 0,7", 20000, 0.7, 701, { rateTolerance: 0.02, meanTolerance: 0.06, masksDiffer: true }),
    dropoutCase("oculto: 10.000 neurônios, taxa 0,1", 10000, 0.1, 702, { rateTolerance: 0.02, meanTolerance: 0.05, masksDiffer: true }),
    dropoutCase("oculto: 3 neurônios, taxa 0,3", 3, 0.3, 703, { rateTolerance: 0, meanTolerance: 0, masksDiffer: false }),
    dropoutCase("oculto: 30 neurônios, taxa 0,2, 400 iterações", 30, 0.2, 704, { rateTolerance: 0, meanTolerance: 0, masksDiffer: true }, 400),
  ],
};
