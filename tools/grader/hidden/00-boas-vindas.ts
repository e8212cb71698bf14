// Hidden cases of notebook 00 (instructor grading only).
import { meanCase, randomList } from "../../../lib/exercises/00-boas-vindas";
import type { ExerciseCase } from "../../../lib/check/types";

export const hidden: Record<string, ExerciseCase[]> = {
  "warmup-mean": [
    meanCase("frações", [0.1, 0.2, 0.3]),
    meanCase("1000 números aleatórios (semente 99)", randomList(99, 1000)),
    meanCase("todos iguais", [3, 3, 3, 3, 3]),
  ],
};
