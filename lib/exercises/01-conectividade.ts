// Exercises of notebook 01 (dense vs convolutional connectivity): parameter counts,
// checked against the counts of real tf.layers layers.
import { convParams, denseParams } from "../lecture/parameters";
import type { Exercise } from "../check/types";
import { tfConvParams, tfDenseParams } from "./tf-reference";

const NOTEBOOK = "01-conectividade";

export const exercises: Exercise[] = [
  {
    id: "dense-params",
    notebook: NOTEBOOK,
    title: "Parâmetros de uma camada Dense",
    points: 1,
    symbol: "denseParams",
    kind: "function",
    reference: denseParams,
    offLimits: { probes: ["denseParams"] },
    cases: () => [
      ...([[4, 3], [784, 128], [10, 1]] as const).map(([inputs, units]) => ({
        name: `${inputs} entradas, ${units} neurônios (igual a tf.layers.dense)`, args: [inputs, units], expected: tfDenseParams(inputs, units),
      })),
      { name: "imagem 180x180x3 achatada, 128 neurônios", args: [180 * 180 * 3, 128], expected: denseParams(180 * 180 * 3, 128) },
    ],
  },
  {
    id: "conv-params",
    notebook: NOTEBOOK,
    title: "Parâmetros de uma camada convolucional",
    points: 1,
    symbol: "convParams",
    kind: "function",
    reference: convParams,
    offLimits: { probes: ["convParams"] },
    cases: () => [
      ...([[3, 1, 1], [3, 3, 16], [5, 16, 32], [1, 8, 4]] as const).map(([k, c, f]) => ({
        name: `filtros ${k}x${k}, ${c} canais de entrada, ${f} filtros (igual a tf.layers.conv2d)`, args: [k, c, f], expected: tfConvParams(k, c, f),
      })),
      { name: "filtros 3x3 sobre 256 canais, 256 filtros", args: [3, 256, 256], expected: convParams(3, 256, 256) },
    ],
  },
];
