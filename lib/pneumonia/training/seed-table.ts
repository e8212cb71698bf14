// The classroom seed tables as the notebooks read them: the newest docs/results/<name>-seeds-<date>.json
// (written by npm run train -- --seeds, tools/results/seeds.ts), as a Markdown table and a sentence.
import * as path from "path";
import { MachineInfo } from "../../common/machine";
import { EngineInfo } from "cnn-course-engine";
import type { ScreeningReport } from "./pipeline";
import { TrainingPreset } from "./presets";
import { projectRoot } from "../../common/config";
import { platform } from "../../common/platform";
import { showTable, Table, TableCell, TableColumn } from "../../view/table";
import { latestResultsFile } from "./results";

/** The band the full Keras recipe reaches on this data (issue 15): recall >= 0.95 with accuracy >= 0.75. */
export const CLASSROOM_TARGET = { recall: 0.95, accuracy: 0.75, minutes: 10 } as const;

export interface SeedRow {
  seed: number;
  epochsRun: number;
  bestEpoch: number;
  accuracy: number;
  precision: number;
  recall: number;
  loss: number;
  confusionMatrix: number[][];
  /** Wall time of the whole run (data, training, test), in seconds. */
  seconds: number;
  /**
   * CPU time of the run: what it takes alone on a core (the machine is shared, so wall time
   * varies with its load). null for reports written before it was recorded.
   */
  cpuSeconds: number | null;
  /** Training threads (1 for reports written before threads were recorded). */
  threads: number;
  /** Reused from an earlier complete report.json of the same settings instead of trained again. */
  reused: boolean;
  /** The course commit the run used (from its report; null when not recorded). */
  code: string | null;
  meetsTarget: boolean;
  /** Model weights; validation accuracy at 0.5; patients on both sides of the split; null in older reports. */
  parameters?: number | null;
  valAccuracy?: number | null;
  sharedPatients?: number | null;
  /** The threshold chosen on validation for recall >= 0.95 and its test precision and recall; null in older reports. */
  screening?: ScreeningReport | null;
}

export interface SeedSummary { min: number; median: number; max: number }

export interface SeedTable {
  preset: TrainingPreset;
  deviationsFromKeras: string[];
  target: typeof CLASSROOM_TARGET;
  command: string;
  engine: EngineInfo | null;
  machine: MachineInfo;
  rows: SeedRow[];
  summary: { accuracy: SeedSummary; precision: SeedSummary; recall: SeedSummary; seconds: SeedSummary; cpuSeconds: SeedSummary | null };
  allMeetTarget: boolean;
  startedAt: string;
  finishedAt: string;
}

/** Minimum, median and maximum of one metric over the seeds. */
export function summarizeSeeds(values: readonly number[]): SeedSummary {
  if (values.length === 0) throw new Error("summarize: nenhum valor.");
  const sorted = [...values].sort((a, b) => a - b), n = sorted.length;
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { min: sorted[0], median, max: sorted[n - 1] };
}

/** A Markdown table: one line per seed, then the minimum and the median. */
export function formatSeedTable(table: SeedTable): string {
  const f = (v: number): string => v.toFixed(3);
  const mmss = (s: number | null | undefined): string => {
    if (s === null || s === undefined) return "—";
    const whole = Math.round(s);
    return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
  };
  const lines = [
    "| seed | epochs (best) | accuracy | precision | recall | confusion [[TN, FP], [FN, TP]] | threads | CPU time | wall time | target |",
    "|---:|---:|---:|---:|---:|---|---:|---:|---:|:---:|",
    ...table.rows.map((r) => `| ${r.seed} | ${r.epochsRun} (${r.bestEpoch}) | ${f(r.accuracy)} | ${f(r.precision)} | ${f(r.recall)} | ` +
      `${JSON.stringify(r.confusionMatrix)} | ${r.threads ?? 1} | ${mmss(r.cpuSeconds)} | ${mmss(r.seconds)} | ${r.meetsTarget ? "yes" : "no"} |`),
  ];
  for (const key of ["min", "median"] as const) {
    const s = table.summary;
    lines.push(`| **${key}** | | ${f(s.accuracy[key])} | ${f(s.precision[key])} | ${f(s.recall[key])} | | | ${mmss(s.cpuSeconds?.[key])} | ${mmss(s.seconds[key])} | |`);
  }
  if (table.rows.some((r) => r.screening)) lines.push("", formatScreeningTable(table.rows));
  return lines.join("\n");
}

/**
 * Per seed: parameters, the validation/test gap at 0.5 (accuracy, AUC) and the screening threshold
 * chosen on validation for recall >= 0.95, with its test precision and recall.
 */
export function formatScreeningTable(rows: readonly SeedRow[]): string {
  const f = (v: number | null | undefined): string => (v === null || v === undefined ? "—" : v.toFixed(3));
  return [
    "| seed | parameters | patients in train and val | val accuracy | test accuracy | val AUC | test AUC | threshold (val recall >= 0.95) | val precision | test precision | test recall |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.seed} | ${r.parameters ?? "—"} | ${r.sharedPatients ?? "—"} | ${f(r.valAccuracy)} | ${f(r.accuracy)} | ` +
      `${f(r.screening?.validation.auc)} | ${f(r.screening?.test.auc)} | ${r.screening ? r.screening.threshold.toFixed(4) : "—"} | ` +
      `${f(r.screening?.validation.precision)} | ${f(r.screening?.test.precision)} | ${f(r.screening?.test.recall)} |`),
  ].join("\n");
}

/** The seed table in Portuguese for the notebook: one row per seed, then the minimum and the median. */
export function seedTableForStudents(table: SeedTable): Table {
  const mmss = (s: number | null | undefined): string => {
    if (s === null || s === undefined) return "—";
    const whole = Math.round(s);
    return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
  };
  const right = (header: string): TableColumn => ({ header, align: "right" });
  const metric = (header: string): TableColumn => ({ header, digits: 3 });
  const s = table.summary;
  return {
    columns: [right("semente"), right("épocas (melhor)"), metric("acurácia"), metric("precisão"), metric("revocação"),
      right("matriz [[VN, FP], [FN, VP]]"), right("tempo de CPU"), right("tempo de parede"), { header: "na faixa", align: "left" }],
    rows: [
      ...table.rows.map((r): TableCell[] => [r.seed, `${r.epochsRun} (${r.bestEpoch})`, r.accuracy, r.precision, r.recall,
        JSON.stringify(r.confusionMatrix), mmss(r.cpuSeconds), mmss(r.seconds), r.meetsTarget ? "sim" : "não"]),
      ...(["min", "median"] as const).map((key): TableCell[] => [key === "min" ? "mínimo" : "mediana", "", s.accuracy[key], s.precision[key],
        s.recall[key], "", mmss(s.cpuSeconds?.[key]), mmss(s.seconds[key]), ""]),
    ],
  };
}

/** Decimal comma, two places: 0.79 → "0,79". */
const pt2 = (v: number): string => v.toFixed(2).replace(".", ",");

/**
 * One Portuguese sentence with the range of the newest classroom table (for the sample notice), or null
 * when there is none: never a figure typed by hand that outlives its table.
 */
export function classroomSeedsSentence(file: string | null = latestResultsFile("classroom-seeds")): string | null {
  if (!file) return null;
  const table = JSON.parse(platform().files.readText(file)) as SeedTable;
  const { accuracy, recall } = table.summary, seeds = table.rows.map((r) => r.seed).join(", ");
  return `Com o conjunto completo, o preset classroom dá acurácia de ${pt2(accuracy.min)} a ${pt2(accuracy.max)} e revocação de ` +
    `${pt2(recall.min)} a ${pt2(recall.max)} nas sementes ${seeds} (${path.relative(projectRoot(), file)}).`;
}

/**
 * The notebook's "the classroom preset, seed by seed": the newest
 * docs/results/classroom-seeds-<date>.json as a table; a hint when there is none yet.
 */
export function showClassroomSeeds(file: string | null = latestResultsFile("classroom-seeds")): SeedTable | null {
  if (!file) {
    console.log("Ainda não há tabela do preset classroom em docs/results/. Para gerá-la: npm run train -- --preset classroom --seeds 1-5.");
    return null;
  }
  const table = JSON.parse(platform().files.readText(file)) as SeedTable;
  const threads = [...new Set(table.rows.map((r) => r.threads ?? 1))].join(", ");
  console.log(`${path.relative(projectRoot(), file)} (gerado por ${table.command}; ${threads} thread(s), ` +
    `${table.machine.cpuModel}, ${table.machine.cores} núcleos)`);
  showTable(seedTableForStudents(table));
  console.log(table.allMeetTarget ? "Todas as sementes ficam na faixa (revocação ≥ 0,95, acurácia ≥ 0,75, ≤ 10 min)." : "Nem todas as sementes ficam na faixa.");
  return table;
}
