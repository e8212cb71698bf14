// Exercise of notebook 07 (dropout): the forward pass of (inverted) dropout. The output
// is random, so the cases check properties instead of values: the mask is made of 0s and
// 1s, the output is the input times the mask divided by (1 - rate), the fraction of zeros
// is close to the rate, the mean is preserved, two iterations draw different masks, the
// same seed gives the same mask (the draws come from the given `random`, not Math.random),
// and the number of dropped neurons varies from one iteration to the next (each neuron is
// drawn on its own, instead of dropping exactly round(rate * n) of them).
import type { Exercise, ExerciseCase, Json } from "../check/types";
import { formatScalar, formatTolerance, preview } from "../check/compare";
import { formatBR } from "../common/format";
import { Rng, seededRandom } from "../common/random";
import { dropoutForward } from "../lecture/dropout";

const NOTEBOOK = "07-dropout";

/** What the student writes: (activations, rate, random) -> { output, mask }. */
type DropoutFn = (x: number[], rate: number, random: Rng) => { output: number[]; mask: number[] };

interface DropoutInput { x: number[]; rate: number; seed: number; iterations?: number }

/**
 * Runs the submission twice with one seeded generator (this iteration and the next), once
 * more with a fresh generator of the same seed, and, when the case asks for `iterations`,
 * that many times more, keeping only how many neurons each iteration dropped.
 */
export async function runDropout(submission: unknown, testCase: ExerciseCase): Promise<Json> {
  const { x, rate, seed, iterations } = testCase.input as unknown as DropoutInput;
  const random = seededRandom(seed);
  const fn = submission as DropoutFn;
  const first = await fn(x.slice(), rate, random);
  const second = await fn(x.slice(), rate, random);
  const again = await fn(x.slice(), rate, seededRandom(seed));
  const zeroCounts: number[] = [];
  for (let t = 0; t < (iterations ?? 0); t++) {
    const mask = (await fn(x.slice(), rate, random))?.mask;
    zeroCounts.push(Array.isArray(mask) ? mask.filter((m) => m === 0).length : -1);
  }
  return {
    output: first?.output ?? null, mask: first?.mask ?? null, nextMask: second?.mask ?? null,
    sameSeedMask: again?.mask ?? null, zeroCounts,
  } as unknown as Json;
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

/** The same seed must give the same mask: the draws come from `random`, not from Math.random(). */
export function verifyReproducible(o: { [k: string]: Json }, mask: number[]): string | null {
  const again = o.sameSeedMask ?? null;
  if (!isNumberArray(again, mask.length) || again.some((m, i) => m !== mask[i])) {
    return "com um gerador novo da mesma semente, a máscara deveria ser a mesma (o `check` precisa ser reprodutível): " +
      "sorteie com o `random()` recebido, não com Math.random().";
  }
  return null;
}

/**
 * The number of dropped neurons over many iterations varies like a binomial (variance
 * n·rate·(1 - rate)): dropping exactly round(rate·n) neurons by shuffling gives variance 0.
 */
export function verifyCountSpread(counts: number[], n: number, rate: number): string | null {
  if (counts.length === 0 || counts.some((c) => c < 0)) return "cada iteração deveria devolver uma máscara (array de 0 e 1).";
  const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
  const variance = counts.reduce((a, c) => a + (c - mean) ** 2, 0) / (counts.length - 1);
  const binomial = n * rate * (1 - rate);
  if (variance < 0.5 * binomial || variance > 2 * binomial) {
    const distinct = [...new Set(counts)].sort((a, b) => a - b);
    return `em ${counts.length} iterações com ${n} neurônios, o número de desligados deveria variar, com variância perto de ` +
      `n·taxa·(1 − taxa) = ${formatBR(binomial, 2)} (cada neurônio sorteado independentemente: random() < taxa); obtido variância ` +
      `${formatBR(variance, 2)} (valores ${preview(distinct, 60)}). Não escolha um número fixo de neurônios para desligar.`;
  }
  return null;
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
    const repeatable = verifyReproducible(o, mask);
    if (repeatable) return repeatable;
    const notBinary = mask.findIndex((m) => m !== 0 && m !== 1);
    if (notBinary >= 0) return `a máscara deve ter só 0 (desligado) e 1 (mantido); mask[${notBinary}] = ${formatScalar(mask[notBinary])}.`;
    for (let i = 0; i < n; i++) {
      const expected = mask[i] * x[i] / (1 - rate);
      if (Math.abs(output[i] - expected) > 1e-9 * Math.max(1, Math.abs(expected))) {
        return mask[i] === 0
          ? `o neurônio ${i} foi desligado (mask = 0), então a saída deve ser 0; obtido ${formatScalar(output[i])}.`
          : `o neurônio ${i} foi mantido (mask = 1): esperado x / (1 - taxa) = ${formatScalar(x[i])} / ${formatScalar(1 - rate)} = ${formatScalar(expected)}, obtido ${formatScalar(output[i])}.`;
      }
    }
    const zeros = mask.filter((m) => m === 0).length / n;
    if (checks.rateTolerance > 0 && Math.abs(zeros - rate) > checks.rateTolerance) {
      return `a fração de neurônios desligados deveria ficar perto da taxa ${formatScalar(rate)} (±${formatTolerance(checks.rateTolerance)}); obtido ${formatBR(zeros, 4)}. ` +
        "Cada neurônio deve ser desligado quando random() < taxa.";
    }
    if (checks.meanTolerance > 0) {
      const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
      const scale = mean(x.map(Math.abs)) || 1;
      const diff = Math.abs(mean(output) - mean(x)) / scale;
      if (diff > checks.meanTolerance) {
        return `a média da saída (${formatBR(mean(output), 4)}) deveria ficar perto da média da entrada (${formatBR(mean(x), 4)}): ` +
          `diferença relativa ${formatBR(diff, 4)} > ${formatTolerance(checks.meanTolerance)}. Os neurônios mantidos foram divididos por (1 - taxa)?`;
      }
    }
    const { iterations } = testCase.input as unknown as DropoutInput;
    if (iterations) {
      const spread = verifyCountSpread(Array.isArray(o.zeroCounts) ? (o.zeroCounts as number[]) : [], n, rate);
      if (spread) return spread;
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

/**
 * A case on `n` activations drawn from `seed` (values in [0.5, 2), never 0, so every dropped
 * neuron shows); with `iterations`, the count of dropped neurons is also checked over that many draws.
 */
export function dropoutCase(name: string, n: number, rate: number, seed: number, checks: DropoutChecks, iterations = 0): ExerciseCase {
  const rng = seededRandom(seed * 7 + 1);
  const x = Array.from({ length: n }, () => Number((0.5 + 1.5 * rng()).toFixed(3)));
  const input: { [key: string]: Json } = { x, rate, seed };
  if (iterations) input.iterations = iterations;
  return { name, input, verify: verifyDropout(checks) };
}

const FULL: DropoutChecks = { rateTolerance: 0.02, meanTolerance: 0.05, masksDiffer: true };

export const exercises: Exercise[] = [
  {
    id: "dropout-forward",
    notebook: NOTEBOOK,
    title: "Dropout (invertido) no treinamento",
    points: 3,
    symbol: "dropoutForward",
    kind: "function",
    offLimits: { probes: ["dropoutForward", "dropoutMask"] },
    run: runDropout,
    reference: (x: number[], rate: number, random: Rng) => dropoutForward(x, rate, random),
    cases: () => [
      dropoutCase("8 neurônios, taxa 0,5: a máscara aplicada nos neurônios certos", 8, 0.5, 71, { rateTolerance: 0, meanTolerance: 0, masksDiffer: false }),
      dropoutCase("10.000 neurônios, taxa 0,2: ~20% zerados, média preservada, máscaras novas", 10000, 0.2, 72, FULL),
      dropoutCase("10.000 neurônios, taxa 0,5: ~50% zerados, média preservada, máscaras novas", 10000, 0.5, 73, FULL),
      dropoutCase("taxa 0: nada é desligado e a saída é a entrada", 50, 0, 74, { rateTolerance: 1e-12, meanTolerance: 1e-9, masksDiffer: false }),
      dropoutCase("20 neurônios, taxa 0,5, 300 iterações: o número de desligados varia (cada um é sorteado)", 20, 0.5, 75,
        { rateTolerance: 0, meanTolerance: 0, masksDiffer: true }, 300),
    ],
  },
];
