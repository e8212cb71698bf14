// Hidden cases of notebook 01 (instructor grading only): other layer sizes.
import type { ExerciseCase } from "../../../lib/check/types";
import { tfConvParams, tfDenseParams } from "../../../lib/exercises/tf-reference";

export const hidden: Record<string, ExerciseCase[]> = {
  "dense-params": ([[1, 1], [3, 7], [2048, 10], [150, 64]] as const).map(([i, u]) => ({
    name: `oculto: ${i} entradas, ${u} neurônios`, args: [i, u], expected: tfDenseParams(i, u),
  })),
  "conv-params": ([[7, 3, 64], [3, 32, 1], [2, 5, 7], [1, 1, 1]] as const).map(([k, c, f]) => ({
    name: `oculto: filtro ${k}x${k}, ${c} canais, ${f} filtros`, args: [k, c, f], expected: tfConvParams(k, c, f),
  })),
};
