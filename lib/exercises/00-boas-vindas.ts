// Exercise of notebook 00 (welcome): a warm-up that shows how exercises and checks work.
// The mean reappears later: average pooling and dropout's preserved expectation.
import type { Exercise, ExerciseCase } from "../check/types";
import { seededRandom } from "../common/random";
import { noteReferenceCall } from "../check/reference-use";

/** The reference: arithmetic mean of a non-empty list. */
export function mean(values: readonly number[]): number {
  noteReferenceCall("mean");
  if (values.length === 0) throw new RangeError("a média de uma lista vazia não existe");
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** A seeded list of n numbers in [-5, 5). */
export function randomList(seed: number, n: number): number[] {
  const rng = seededRandom(seed);
  return Array.from({ length: n }, () => -5 + 10 * rng());
}

export function meanCase(name: string, values: number[]): ExerciseCase {
  return { name, args: [values], expected: mean(values), tolerance: 1e-9 };
}

export const exercises: Exercise[] = [
  {
    id: "warmup-mean",
    notebook: "00-boas-vindas",
    title: "Aquecimento: a média de uma lista",
    points: 1,
    symbol: "mean",
    kind: "function",
    reference: mean,
    offLimits: { probes: ["mean"] },
    cases: () => [
      meanCase("[1, 2, 3, 4]", [1, 2, 3, 4]),
      meanCase("um só número", [7]),
      meanCase("negativos e positivos se cancelam", [-1, 1, -2, 2]),
      meanCase("100 números aleatórios (semente 1)", randomList(1, 100)),
    ],
  },
];
