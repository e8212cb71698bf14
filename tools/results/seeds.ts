// Runs a preset once per seed (npm run train -- --seeds 1-5) and writes the table of test metrics
// to docs/results/ (host-only: the notebooks read the tables through lib/pneumonia/training/seed-table.ts).
import * as fs from "fs";
import * as path from "path";
import { machineInfo } from "../../lib/common/machine";
import { EngineInfo, initEngine } from "cnn-course-engine";
import { runPneumoniaTraining, RunOptions, TrainingReport, writeJsonAtomic } from "../../lib/pneumonia/training/pipeline";
import { deviationsFromKeras, TrainingPreset } from "../../lib/pneumonia/training/presets";
import { KERAS_EXAMPLE_SCHEDULE } from "../../lib/pneumonia/training/schedule";
import { CLASSROOM_TARGET, SeedRow, SeedTable, summarizeSeeds } from "../../lib/pneumonia/training/seed-table";
export { summarizeSeeds };

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

/** What of the engine decides a run's bits: the backend, the thread count and the course's convolution kernels. */
function engineKey(e: Pick<EngineInfo, "backend" | "threads" | "kernels"> | undefined): string {
  return JSON.stringify({ backend: e?.backend ?? null, threads: e?.threads ?? null, kernels: e?.kernels ?? null });
}

/**
 * A finished report.json in `dir` for exactly this recipe and seed, trained by the same engine
 * (backend, threads, kernels: a new kernel changes the bits, so a run of the old one is not
 * reused), else null (then it is trained).
 */
export function completedReport(dir: string, preset: TrainingPreset, engine: EngineInfo): TrainingReport | null {
  const file = path.join(dir, "report.json");
  if (!fs.existsSync(file)) return null;
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as TrainingReport;
  const same = recipeKey({ ...report.preset, schedule: report.preset.schedule ?? KERAS_EXAMPLE_SCHEDULE }) === recipeKey(preset) &&
    // The threads the run really used: a run whose workers did not start fell back to one thread.
    engineKey({ ...report.engine, threads: report.threads ?? report.engine?.threads }) === engineKey(engine);
  return same && report.test && !report.interrupted ? report : null;
}

/** Runs `preset` once per seed (reusing a seed's finished run of the same settings), in order, and returns the table of test metrics. */
export async function runSeeds(preset: TrainingPreset, seeds: readonly number[], opts: SeedRunOptions): Promise<SeedTable> {
  const rows: SeedRow[] = [], startedAt = new Date().toISOString();
  let engine: EngineInfo | null = null, table: SeedTable | null = null;
  const current = await initEngine({ quiet: true });
  for (const seed of seeds) {
    const outDir = path.join(opts.outDir, `seed-${seed}`);
    const earlier = completedReport(outDir, { ...preset, seed }, current);
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
