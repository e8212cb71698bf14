// One preset, several seeds: does the recipe hold, or did one seed get lucky? Each seed
// changes the train/val split, the initial weights, the shuffles and the dropout masks.
// The table reports every seed run (none left out) with the minimum and the median.
import * as fs from "fs";
import * as path from "path";
import { machineInfo, MachineInfo } from "../../common/machine";
import { EngineInfo } from "../../engine";
import { runPneumoniaTraining, RunOptions, ScreeningReport, TrainingReport, writeJsonAtomic } from "./pipeline";
import { deviationsFromKeras, TrainingPreset } from "./presets";
import { KERAS_EXAMPLE_SCHEDULE } from "./schedule";
import { projectRoot } from "../../common/config";
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

/** "1-5" -> [1..5]; "1,3,7" -> [1, 3, 7]; "2-3,9" -> [2, 3, 9]. */
export function parseSeeds(text: string): number[] {
  const seeds: number[] = [];
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`--seeds "${text}": use números inteiros como 1-5 ou 1,2,3 ("${part}" não é).`);
    const from = Number(m[1]), to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new Error(`--seeds "${text}": o intervalo ${part} está invertido.`);
    for (let s = from; s <= to; s++) seeds.push(s);
  }
  if (seeds.length === 0) throw new Error(`--seeds "${text}": nenhuma semente.`);
  if (new Set(seeds).size !== seeds.length) throw new Error(`--seeds "${text}": semente repetida.`);
  return seeds;
}

export function summarizeSeeds(values: readonly number[]): SeedSummary {
  if (values.length === 0) throw new Error("summarize: nenhum valor.");
  const sorted = [...values].sort((a, b) => a - b), n = sorted.length;
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { min: sorted[0], median, max: sorted[n - 1] };
}

/**
 * Recall and accuracy in the band, and not over 10 minutes alone on the machine when that is
 * known: CPU time / threads (the wall time varies with what else runs).
 */
export function meetsTarget(r: Pick<SeedRow, "accuracy" | "recall" | "cpuSeconds" | "threads">): boolean {
  return r.recall >= CLASSROOM_TARGET.recall && r.accuracy >= CLASSROOM_TARGET.accuracy &&
    (r.cpuSeconds === null || r.cpuSeconds / r.threads <= CLASSROOM_TARGET.minutes * 60);
}

export function seedRow(report: TrainingReport, reused = false): SeedRow {
  if (!report.test) throw new Error(`A execução da semente ${report.preset.seed} foi interrompida: sem métricas de teste.`);
  const t = report.test;
  const row = {
    seed: report.preset.seed, epochsRun: report.history.length, bestEpoch: report.bestEpoch,
    accuracy: t.accuracy, precision: t.precision, recall: t.recall, loss: t.loss, confusionMatrix: t.confusionMatrix,
    seconds: report.seconds.total, cpuSeconds: report.seconds.cpu ?? null, threads: report.threads ?? 1, reused, code: report.code ?? null,
    parameters: report.parameters ?? null, valAccuracy: report.validation?.accuracy ?? null, sharedPatients: report.sharedPatients ?? null,
    screening: report.screening ?? null,
  };
  return { ...row, meetsTarget: meetsTarget(row) };
}

/** The table's numbers from its rows (also used to check a table file). */
export function seedTable(preset: TrainingPreset, rows: SeedRow[], info: { command: string; engine: EngineInfo | null; startedAt: string }): SeedTable {
  return {
    preset, deviationsFromKeras: deviationsFromKeras(preset), target: CLASSROOM_TARGET, command: info.command,
    engine: info.engine, machine: machineInfo(), rows,
    summary: {
      accuracy: summarizeSeeds(rows.map((r) => r.accuracy)), precision: summarizeSeeds(rows.map((r) => r.precision)),
      recall: summarizeSeeds(rows.map((r) => r.recall)), seconds: summarizeSeeds(rows.map((r) => r.seconds)),
      cpuSeconds: rows.every((r) => r.cpuSeconds !== null) ? summarizeSeeds(rows.map((r) => r.cpuSeconds as number)) : null,
    },
    allMeetTarget: rows.every((r) => r.meetsTarget), startedAt: info.startedAt, finishedAt: new Date().toISOString(),
  };
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
  const table = JSON.parse(fs.readFileSync(file, "utf8")) as SeedTable;
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
  const table = JSON.parse(fs.readFileSync(file, "utf8")) as SeedTable;
  const threads = [...new Set(table.rows.map((r) => r.threads ?? 1))].join(", ");
  console.log(`${path.relative(projectRoot(), file)} (gerado por ${table.command}; ${threads} thread(s), ` +
    `${table.machine.cpuModel}, ${table.machine.cores} núcleos)`);
  showTable(seedTableForStudents(table));
  console.log(table.allMeetTarget ? "Todas as sementes ficam na faixa (revocação ≥ 0,95, acurácia ≥ 0,75, ≤ 10 min)." : "Nem todas as sementes ficam na faixa.");
  return table;
}

export interface SeedRunOptions extends Omit<RunOptions, "outDir"> {
  /** Each seed's checkpoints and report.json go to `<outDir>/seed-<n>`. */
  outDir: string;
  /** The command line, recorded in the table. */
  command: string;
  /** Where the table is written (JSON), after every seed, so a stopped run keeps its rows. */
  tableFile?: string;
  onSeedEnd?: (row: SeedRow, table: SeedTable) => void;
}

/** The settings that decide a run's result (two reports with equal keys ran the same recipe). */
function recipeKey(p: TrainingPreset): string {
  const { imageSize, batchSize, epochs, patience, seed, limit, schedule } = p;
  return JSON.stringify({ imageSize, batchSize, epochs, patience, seed, limit, schedule: { warmupSteps: 0, ...schedule }, replicaMode: p.replicaMode ?? "sync",
    recomputeBatchNormImages: p.recomputeBatchNormImages ?? 0, split: p.split ?? "image", head: p.head ?? "flatten" });
}

/** A finished report.json in `dir` for exactly this recipe and seed, else null (then it is trained). */
export function completedReport(dir: string, preset: TrainingPreset): TrainingReport | null {
  const file = path.join(dir, "report.json");
  if (!fs.existsSync(file)) return null;
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as TrainingReport;
  const same = recipeKey({ ...report.preset, schedule: report.preset.schedule ?? KERAS_EXAMPLE_SCHEDULE }) === recipeKey(preset);
  return same && report.test && !report.interrupted ? report : null;
}

/** Runs `preset` once per seed (reusing a seed's finished run of the same settings), in order, and returns the table of test metrics. */
export async function runSeeds(preset: TrainingPreset, seeds: readonly number[], opts: SeedRunOptions): Promise<SeedTable> {
  const rows: SeedRow[] = [], startedAt = new Date().toISOString();
  let engine: EngineInfo | null = null, table: SeedTable | null = null;
  for (const seed of seeds) {
    const outDir = path.join(opts.outDir, `seed-${seed}`);
    const earlier = completedReport(outDir, { ...preset, seed });
    const report = earlier ?? await runPneumoniaTraining({ ...preset, seed }, { ...opts, outDir });
    if (report.interrupted) break;
    engine = report.engine;
    rows.push(seedRow(report, earlier !== null));
    table = seedTable(preset, rows, { command: opts.command, engine, startedAt });
    if (opts.tableFile) writeJsonAtomic(opts.tableFile, table);
    opts.onSeedEnd?.(rows[rows.length - 1], table);
  }
  if (!table) throw new Error("Nenhuma semente terminou: sem tabela.");
  return table;
}
