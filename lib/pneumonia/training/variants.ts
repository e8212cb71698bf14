// The classroom preset's seed tables side by side (issue 25): the Keras model and its named
// deviation with global average pooling, each with Keras' split by image and with the split by
// patient. Per table: parameters, test metrics, the validation/test gap, and the screening threshold
// chosen on validation for recall >= 0.95, measured on test, against the goal that beats the Keras
// page (precision >= 0.85 at recall >= 0.95 on test). Every figure comes from docs/results.
import * as path from "path";
import { projectRoot } from "../../common/config";
import { platform } from "../../common/platform";
import { displayBundle } from "../../view/display";
import { latestResultsFile } from "./results";
import { SeedRow, SeedSummary, SeedTable, summarizeSeeds } from "./seed-table";

/** Test precision and recall at the threshold chosen on validation that would beat the Keras page (precision 0.7524 at recall 0.9897). */
export const SCREENING_GOAL = { precision: 0.85, recall: 0.95 } as const;

export interface VariantSpec { prefix: string; model: "Keras" | "GAP"; split: "image" | "patient" }

/** The four tables, by file-name prefix (docs/results/<prefix>-<date>.json, as npm run train names them). */
export const VARIANT_TABLES: readonly VariantSpec[] = [
  { prefix: "classroom-seeds", model: "Keras", split: "image" },
  { prefix: "classroom-patient-seeds", model: "Keras", split: "patient" },
  { prefix: "classroom-gap-seeds", model: "GAP", split: "image" },
  { prefix: "classroom-gap-patient-seeds", model: "GAP", split: "patient" },
];

export interface VariantSummary extends VariantSpec {
  file: string;
  command: string;
  seeds: number[];
  parameters: number | null;
  accuracy: SeedSummary;
  precision: SeedSummary;
  recall: SeedSummary;
  /** Validation accuracy minus test accuracy at 0.5 (null when the table did not record validation). */
  gap: SeedSummary | null;
  sharedPatients: SeedSummary | null;
  screeningPrecision: SeedSummary | null;
  screeningRecall: SeedSummary | null;
  /** Seeds whose screening threshold reaches the goal on test. */
  seedsAtGoal: number;
  /** Median over seeds of how much test precision is missing (0 when reached), at the screening threshold. */
  precisionShortfall: number | null;
  /** Seeds whose screening threshold keeps test recall >= 0.95. */
  seedsWithRecall: number;
  secondsMedian: number;
  /** Median CPU seconds a seed (what it takes alone; the wall time depends on the machine's load); null when not recorded. */
  cpuSecondsMedian: number | null;
}

const values = (rows: readonly SeedRow[], pick: (r: SeedRow) => number | null | undefined): SeedSummary | null => {
  const v = rows.map(pick);
  return v.every((x): x is number => typeof x === "number") ? summarizeSeeds(v) : null;
};

export function summarizeVariant(spec: VariantSpec, file: string): VariantSummary {
  const table = JSON.parse(platform().files.readText(file)) as SeedTable;
  const rows = table.rows;
  const withScreening = rows.filter((r) => r.screening);
  const shortfalls = withScreening.map((r) => Math.max(0, SCREENING_GOAL.precision - (r.screening as NonNullable<SeedRow["screening"]>).test.precision));
  return {
    ...spec, file, command: table.command, seeds: rows.map((r) => r.seed),
    parameters: rows[0]?.parameters ?? null,
    accuracy: table.summary.accuracy, precision: table.summary.precision, recall: table.summary.recall,
    gap: values(rows, (r) => (r.valAccuracy == null ? null : r.valAccuracy - r.accuracy)),
    sharedPatients: values(rows, (r) => r.sharedPatients),
    screeningPrecision: values(rows, (r) => r.screening?.test.precision),
    screeningRecall: values(rows, (r) => r.screening?.test.recall),
    seedsAtGoal: withScreening.filter((r) => r.screening!.test.precision >= SCREENING_GOAL.precision && r.screening!.test.recall >= SCREENING_GOAL.recall).length,
    precisionShortfall: shortfalls.length === rows.length && rows.length > 0 ? summarizeSeeds(shortfalls).median : null,
    seedsWithRecall: withScreening.filter((r) => r.screening!.test.recall >= SCREENING_GOAL.recall).length,
    secondsMedian: table.summary.seconds.median, cpuSecondsMedian: table.summary.cpuSeconds?.median ?? null,
  };
}

/** The newest table of each variant that has one. */
export function variantSummaries(dir?: string): VariantSummary[] {
  return VARIANT_TABLES.flatMap((spec) => {
    const file = latestResultsFile(spec.prefix, dir);
    return file ? [summarizeVariant(spec, file)] : [];
  });
}

/** One Markdown table, a row per variant (pt: the notebook, pt-BR numbers; en: the README). */
export function formatVariants(summaries: readonly VariantSummary[], lang: "pt" | "en" = "pt"): string {
  const pt = lang === "pt";
  const n = (v: number, d = 3): string => (pt ? v.toFixed(d).replace(".", ",") : v.toFixed(d));
  const range = (s: SeedSummary | null): string => (s ? `${n(s.min)}–${n(s.max)} (${pt ? "mediana" : "median"} ${n(s.median)})` : "—");
  const int = (v: number | null): string => (v === null ? "—" : v.toLocaleString(pt ? "pt-BR" : "en-US"));
  const header = pt
    ? "| modelo | divisão | sementes | parâmetros | pacientes em treino e validação | acurácia no teste (0,5) | validação − teste (acurácia) | limiar da validação (revocação ≥ 0,95): precisão no teste | e revocação no teste | sementes na meta (precisão ≥ 0,85, revocação ≥ 0,95) | falta de precisão (mediana) |"
    : "| model | split | seeds | parameters | patients in training and validation | test accuracy (0.5) | validation − test (accuracy) | validation threshold (recall ≥ 0.95): test precision | and test recall | seeds at the goal (precision ≥ 0.85, recall ≥ 0.95) | precision missing (median) |";
  const split = (s: VariantSummary): string => (s.split === "patient" ? (pt ? "por paciente" : "by patient") : (pt ? "por imagem (Keras)" : "by image (Keras)"));
  const model = (s: VariantSummary): string => (s.model === "GAP" ? "GAP → Dense(1)" : "Keras (Flatten → Dense)");
  return [header, "|---|---|---|---:|---:|---|---|---|---|---:|---:|",
    ...summaries.map((s) => `| ${model(s)} | ${split(s)} | ${s.seeds.join(", ")} | ${int(s.parameters)} | ${s.sharedPatients ? n(s.sharedPatients.median, 0) : "—"} | ` +
      `${range(s.accuracy)} | ${range(s.gap)} | ${range(s.screeningPrecision)} | ${range(s.screeningRecall)} | ` +
      `${s.screeningPrecision ? `${s.seedsAtGoal} / ${s.seeds.length}` : "—"} | ${s.precisionShortfall === null ? "—" : n(s.precisionShortfall)} |`),
  ].join("\n");
}

/** The notebook's comparison: the four tables (those that exist), with where each comes from. */
export function showVariants(dir?: string): VariantSummary[] {
  const summaries = variantSummaries(dir);
  if (summaries.length === 0) {
    console.log("Ainda não há tabelas em docs/results/. Para gerá-las: npm run train -- --preset classroom --seeds 1-5 [--split patient] [--head gap].");
    return summaries;
  }
  const sources = summaries.map((s) => `- ${s.model}, ${s.split === "patient" ? "por paciente" : "por imagem"}: \`${path.relative(projectRoot(), s.file)}\` (\`${s.command}\`)`);
  const md = `${formatVariants(summaries)}\n\n${sources.join("\n")}\n\n— : a tabela não registrou essa medida (foi feita antes dela existir).`;
  if (!displayBundle({ "text/markdown": md, "text/plain": md })) console.log(md);
  return summaries;
}
