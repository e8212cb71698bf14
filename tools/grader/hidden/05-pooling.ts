// Hidden cases of notebook 05 (instructor grading only): other sizes, windows, strides and seeds.
import type { ExerciseCase } from "../../../lib/check/types";
import { pooledParamsCase, randomPoolCase } from "../../../lib/exercises/05-pooling";

export const hidden: Record<string, ExerciseCase[]> = {
  "max-pool": [
    randomPoolCase("max", 501, 8, 8, 2, 2),
    randomPoolCase("max", 502, 9, 6, 3, 3),
    randomPoolCase("max", 503, 5, 7, 3, 1),
    randomPoolCase("max", 504, 2, 2, 2, 1),
  ],
  "avg-pool": [
    randomPoolCase("average", 511, 8, 8, 2, 2),
    randomPoolCase("average", 512, 9, 6, 3, 3),
    randomPoolCase("average", 513, 5, 7, 3, 1),
    randomPoolCase("average", 514, 6, 10, 4, 2),
  ],
  "pooled-dense-params": [
    pooledParamsCase("oculto", 7, 5, 1, 2, 2, 3),
    pooledParamsCase("oculto", 90, 90, 32, 2, 2, 64),
    pooledParamsCase("oculto", 11, 9, 4, 3, 2, 7),
  ],
};
