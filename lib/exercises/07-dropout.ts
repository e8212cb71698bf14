// Exercise of notebook 07 (dropout): the forward pass of (inverted) dropout. The output
// is random, so the cases check properties instead of values: the mask is made of 0s and
// 1s, the output is the input times the mask divided by (1 - rate), the fraction of zeros
// is close to the rate, the mean is preserved, and two iterations draw different masks.
import type { Exercise, ExerciseCase, Json } from "../check/types";
import { preview } from "../check/compare";
import { Rng, seededRandom } from "../common/random";
import { dropoutForward } from "../lecture/dropout";

const NOTEBOOK = "07-dropout";

/** What the student writes: (activations, rate, random) -> { output, mask }. */
type DropoutFn = (x: number[], rate: number, random: Rng) => { output: number[]; mask: number[] };

interface DropoutInput { x: number[]; rate: number; seed: number }

/** Runs the submission twice with one seeded generator: this iteration and the next. */
export async function runDropout(submission: unknown, testCase: ExerciseCase): Promise<Json> {
  const { x, rate, seed } = testCase.input as unknown as DropoutInput;
  const random = seededRandom(seed);
  const fn = submission as DropoutFn;
  const first = await fn(x.slice(), rate, random);
  const second = await fn(x.slice(), rate, random);
  return { output: first?.output ?? null, mask: first?.mask ?? null, nextMask: second?.mask ?? null } as unknown as Json;
}

function isNumberArray(v: Json, n: number): v is number[] {
  return Array.isArray(v) && v.length === n && v.every((e) => typeof e === "number");
}

export interface DropoutChecks {
  /** Largest allowed |zero fraction - rate| (0 = do not check). */
  rateTolerance: number;
  /** Largest allowed |mean(output) - mean(x)| / mean(|x|) (0 = do not check). */
  meanTolerance: number;
  /** Require the second iteration's mask to differ from the first. */
  masksDiffer: boolean;
}

/** The property checks of one case; null when everything holds, else what is wrong (Portuguese). */
export function verifyDropout(checks: DropoutChecks) {
  return (obtained: Json, testCase: ExerciseCase): string | null => {
    const { x, rate } = testCase.input as unknown as DropoutInput;
    const n = x.length;
    const o = (obtained ?? {}) as { [k: string]: Json };
    if (!isNumberArray(o.output ?? null, n) || !isNumberArray(o.mask ?? null, n)) {
      return `esperava um objeto { output, mask } com dois arrays de ${n} números (um por neurônio); obtido: ${preview(obtained)}`;
    }
    const output = o.output as number[], mask = o.mask as number[];
    const notBinary = mask.findIndex((m) => m !== 0 && m !== 1);
    if (notBinary >= 0) return `a máscara deve ter só 0 (desligado) e 1 (mantido); mask[${notBinary}] = ${mask[notBinary]}.`;
    for (let i = 0; i < n; i++) {
      const expected = mask[i] * x[i] / (1 - rate);
      if (Math.abs(output[i] - expected) > 1e-9 * Math.max(1, Math.abs(expected))) {
        return mask[i] === 0
          ? `o neurônio ${i} foi desligado (mask = 0), então a saída deve ser 0; obtido ${output[i]}.`
          : `o neurônio ${i} foi mantido (mask = 1): esperado x / (1 - taxa) = ${x[i]} / ${1 - rate} = ${expected}, obtido ${output[i]}.`;
      }
    }
    const zeros = mask.filter((m) => m === 0).length / n;
    if (checks.rateTolerance > 0 && Math.abs(zeros - rate) > checks.rateTolerance) {
      return `a fração de neurônios desligados deveria ficar perto da taxa ${rate} (±${checks.rateTolerance}); obtido ${zeros.toFixed(4)}. ` +
        "Cada neurônio deve ser desligado quando random() < taxa.";
    }
    if (checks.meanTolerance > 0) {
      const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
      const scale = mean(x.map(Math.abs)) || 1;
      const diff = Math.abs(mean(output) - mean(x)) / scale;
      if (diff > checks.meanTolerance) {
        return `a média da saída (${mean(output).toFixed(4)}) deveria ficar perto da média da entrada (${mean(x).toFixed(4)}): ` +
          `diferença relativa ${diff.toFixed(4)} > ${checks.meanTolerance}. Os neurônios mantidos foram divididos por (1 - taxa)?`;
      }
    }
    if (checks.masksDiffer) {
      const next = o.nextMask ?? null;
      if (!isNumberArray(next, n)) return `a segunda chamada deveria devolver outra máscara de ${n} valores; obtido ${preview(next)}.`;
      if (next.every((m, i) => m === mask[i])) {
        return "duas iterações seguidas desligaram exatamente os mesmos neurônios: sorteie a máscara a cada chamada, usando `random()`.";
      }
    }
    return null;
  };
}

/** A case on `n` activations drawn from `seed` (values in [0.5, 2), never 0, so every dropped neuron shows). */
export function dropoutCase(name: string, n: number, rate: number, seed: number, checks: DropoutChecks): ExerciseCase {
  const rng = seededRandom(seed * 7 + 1);
  const x = Array.from({ length: n }, () => Number((0.5 + 1.5 * rng()).toFixed(3)));
  return { name, input: { x, rate, seed }, verify: verifyDropout(checks) };
}

const FULL: DropoutChecks = { rateTolerance: 0.02, meanTolerance: 0.05, masksDiffer: true };

export const exercises: Exercise[] = [
  {
    id: "dropout-forward",
    notebook: NOTEBOOK,
    title: "Dropout (invertido) no treinamento",
    points: 3,
    symbol: "dropoutForward",
    kind: "function", reference: { implementation: dropoutForward, probes: ["dropoutForward", "dropoutMask"] },
    run: runDropout,
    cases: () => [
      dropoutCase("8 neurônios, taxa 0.5: a máscara aplicada nos neurônios certos", 8, 0.5, 71, { rateTolerance: 0, meanTolerance: 0, masksDiffer: false }),
      dropoutCase("10000 neurônios, taxa 0.2: ~20% zerados, média preservada, máscaras novas", 10000, 0.2, 72, FULL),
      dropoutCase("10000 neurônios, taxa 0.5: ~50% zerados, média preservada, máscaras novas", 10000, 0.5, 73, FULL),
      dropoutCase("taxa 0: nada é desligado e a saída é a entrada", 50, 0, 74, { rateTolerance: 1e-12, meanTolerance: 1e-9, masksDiffer: false }),
    ],
  },
];
