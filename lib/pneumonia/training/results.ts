// The full run's results as data (docs/results/full-<date>.json, written by
// `npm run results`), and what the notebook and the README show from them: the test
// metrics beside the Keras example's published figures and the PyTorch yardstick, the
// curves and the confusion matrix.
import * as path from "path";
import { projectRoot } from "../../common/config";
import { platform } from "../../common/platform";
import { MachineInfo } from "../../common/machine";
import { EngineInfo } from "cnn-course-engine";
import { formatBR } from "../../common/format";
import { confusionMatrixChart } from "../../view/confusion";
import { Figure, historyChart, show } from "../../view/plots";
import { showTable, TableColumn } from "../../view/table";
import { EpochLogs } from "./fit";
import { kerasHistory, TestMetrics } from "./pipeline";
import { TrainingPreset } from "./presets";

/**
 * What the Keras example's page prints for `model.evaluate` on its test X-rays (the Kaggle test split,
 * 624: 234 NORMAL / 390 PNEUMONIA), exactly as printed. Two versions of the page carry the header
 * "Last modified: 2020/08/24" (keras-team/keras-io, examples/vision/md/xray_classification_with_tpus.md):
 * the current one reads TFRecords and counts 1349 NORMAL / 3883 PNEUMONIA before its own split; the
 * earlier one listed the Kaggle folders and counted 1076 / 3109 in its training part (4185 of 5232).
 */
export const KERAS_PUBLISHED = {
  source: "https://keras.io/examples/vision/xray_classification_with_tpus/",
  version: "keras-team/keras-io@be6d3665bad56d9e9ce5ad7ef083da75dd514afc",
  accuracy: 0.7901, precision: 0.7524, recall: 0.9897, loss: 0.9718,
  /** Its first test image's prediction, as the page prints it. */
  prediction: "47.19 percent NORMAL / 52.81 percent PNEUMONIA",
  trainCounts: { normal: 1349, pneumonia: 3883 },
  earlier: {
    version: "keras-team/keras-io@20b0af2027f888436d5bb2482448566d6a625c4a",
    accuracy: 0.8141, precision: 0.7807, recall: 0.9769, loss: 2.7205,
    prediction: "0.00 percent NORMAL / 100.00 percent PNEUMONIA (person100_bacteria_475.jpeg)",
    trainCounts: { normal: 1076, pneumonia: 3109 },
  },
  test: { normal: 234, pneumonia: 390 },
} as const;

/**
 * The same-data yardstick of issue 15: a PyTorch twin of the Keras training (180x180, every
 * Keras setting) on ../shared/data/chest-xray; it stopped at epoch 16, best epoch 6, in ~25 min.
 */
export const PYTORCH_YARDSTICK = {
  source: "issue 15 (PyTorch twin of the Keras training, same shared data)",
  accuracy: 0.791, precision: 0.751, recall: 0.997, epochs: 16, bestEpoch: 6,
} as const;

export interface FullRunResults {
  kind: "pneumonia-run-results";
  /** "complete": trained and evaluated on test; "partial": stopped or still running (no test metrics). */
  status: "complete" | "partial";
  /** In Portuguese, e.g. "parada ou ainda em andamento na época 3 (de até 100), ...; sem avaliação no teste". */
  statusText: string;
  runDir: string;
  preset: TrainingPreset | null;
  epochs: number;
  bestEpoch: number;
  stoppedEarly: boolean;
  /** Keras' history.history ({loss: [...], val_loss: [...], ...}), one value per epoch. */
  history: Record<string, number[]>;
  /** Learning rate and wall seconds of each epoch. */
  epochDetails: { epoch: number; learningRate: number; seconds: number }[];
  test: TestMetrics | null;
  engine: EngineInfo | null;
  /** Threads the engine computed with (wasm in Node: 1); null when unknown. */
  threads: number | null;
  /**
   * Wall time: of the process that finished the run when complete (only the last segment of a
   * resumed run: see epochSecondsTotal); the sum of the finished epochs when partial.
   */
  wallSeconds: number;
  cpuSeconds: number | null;
  machine: MachineInfo;
  /** The course commit the run used, when its report recorded it. */
  code: string | null;
  /** "run": recorded by the run itself; "results command": the host that wrote this file. */
  machineSource: "run" | "results command";
  startedAt: string | null;
  finishedAt: string | null;
  reference: { keras: typeof KERAS_PUBLISHED; pytorch: typeof PYTORCH_YARDSTICK };
  generatedAt: string;
  command: string;
}

export function resultsDir(): string {
  return path.join(projectRoot(), "docs", "results");
}

/** The newest docs/results/<prefix>-<date>.json (by date in the name), or null when there is none. */
export function latestResultsFile(prefix = "full", dir = resultsDir()): string | null {
  if (!platform().files.info(dir)) return null;
  const pattern = new RegExp(`^${prefix}-(\\d{4}-\\d{2}-\\d{2})\\.json$`);
  const files = platform().files.list(dir).filter((f) => pattern.test(f)).sort();
  return files.length ? path.join(dir, files[files.length - 1]) : null;
}

export function readFullResults(file: string): FullRunResults {
  const r = JSON.parse(platform().files.readText(file)) as FullRunResults;
  if (r.kind !== "pneumonia-run-results") throw new Error(`${file} não é um resultado de npm run results (kind = ${String(r.kind)}).`);
  return r;
}

/** Rebuilds Keras' history from the epoch logs (the same keys the notebook's curves use). */
export function historyFromLogs(logs: readonly EpochLogs[]): Record<string, number[]> {
  return kerasHistory(logs);
}

export interface ComparisonRow { source: string; accuracy: string; precision: string; recall: string }

const LABELS = {
  pt: { ours: "esta porta (TypeScript)", keras: "página do exemplo do Keras (versão atual)", kerasEarlier: "página do exemplo do Keras (versão anterior)", torch: "PyTorch, mesmos dados (régua)", header: "| | acurácia | precisão | revocação |" },
  en: { ours: "this port (TypeScript)", keras: "Keras example page (current version)", kerasEarlier: "Keras example page (earlier version)", torch: "PyTorch, same data (yardstick)", header: "| | accuracy | precision | recall |" },
} as const;

/** The run's state in English (the README's language): "partial: epoch 3 of up to 100, ..." */
export function statusInEnglish(r: FullRunResults): string {
  const best = `best val_loss at epoch ${r.bestEpoch}`;
  return r.status === "partial"
    ? `partial: stopped or still running at epoch ${r.epochs}${r.preset ? ` of up to ${r.preset.epochs}` : ""}, ${best}, no test evaluation`
    : `${r.epochs} epochs${r.stoppedEarly ? " (early stopping)" : ""}, ${best}, whose weights were restored`;
}

/** This run beside the two versions of the Keras page (as printed) and the PyTorch yardstick. */
export function comparisonRows(r: FullRunResults, lang: "pt" | "en" = "pt"): ComparisonRow[] {
  const f = (v: number): string => (lang === "pt" ? formatBR(v, 3) : v.toFixed(3));
  const k = (v: number): string => (lang === "pt" ? formatBR(v, 4) : v.toFixed(4));
  const L = LABELS[lang];
  const ours = r.test
    ? { accuracy: f(r.test.accuracy), precision: f(r.test.precision), recall: f(r.test.recall) }
    : { accuracy: "—", precision: "—", recall: "—" };
  return [
    { source: `${L.ours}, ${lang === "pt" ? r.statusText : statusInEnglish(r)}`, ...ours },
    { source: L.keras, accuracy: k(KERAS_PUBLISHED.accuracy), precision: k(KERAS_PUBLISHED.precision), recall: k(KERAS_PUBLISHED.recall) },
    { source: L.kerasEarlier, accuracy: k(KERAS_PUBLISHED.earlier.accuracy), precision: k(KERAS_PUBLISHED.earlier.precision), recall: k(KERAS_PUBLISHED.earlier.recall) },
    { source: L.torch, accuracy: f(PYTORCH_YARDSTICK.accuracy), precision: f(PYTORCH_YARDSTICK.precision), recall: f(PYTORCH_YARDSTICK.recall) },
  ];
}

/** The comparison as a Markdown table (notebook output in Portuguese, README in English). */
export function formatComparison(r: FullRunResults, lang: "pt" | "en" = "pt"): string {
  const rows = comparisonRows(r, lang);
  return [LABELS[lang].header, "|---|---:|---:|---:|",
    ...rows.map((x) => `| ${x.source} | ${x.accuracy} | ${x.precision} | ${x.recall} |`)].join("\n");
}

/** The Portuguese comparison as a table in the notebook (HTML, with a text fallback). */
export function showComparison(r: FullRunResults): void {
  const columns: TableColumn[] = [{ header: "", align: "left" },
    ...["acurácia (binary_accuracy)", "precisão (precision)", "revocação (recall)"].map((header): TableColumn => ({ header, align: "right" }))];
  showTable({ columns, rows: comparisonRows(r, "pt").map((x) => [x.source, x.accuracy, x.precision, x.recall]) });
}

/** Curves (precision, recall, accuracy, loss; train and validation) and the test confusion matrix. */
export function resultsFigures(r: FullRunResults): { curves: Figure; confusion: Figure | null } {
  const curves = historyChart(r.history, {
    metrics: ["precision", "recall", "binary_accuracy", "loss"], columns: 2,
    title: `Execução completa, ${r.preset?.imageSize ?? "?"}x${r.preset?.imageSize ?? "?"}: ${r.epochs} época(s)` +
      (r.status === "partial" ? " (parcial)" : `, melhor ${r.bestEpoch}`),
  });
  const confusion = r.test
    ? confusionMatrixChart(r.test.confusionMatrix, { title: "Matriz de confusão no teste" })
    : null;
  return { curves, confusion };
}

/**
 * The whole run's training time: the sum of its epochs' wall times. A resumed run's report times
 * only its last process (wallSeconds), so it says less than this when the run was resumed.
 */
export function epochSecondsTotal(r: Pick<FullRunResults, "epochDetails">): number {
  return r.epochDetails.reduce((s, e) => s + e.seconds, 0);
}

/** True when the run's epochs took clearly longer than its last process: it was resumed. */
export function wasResumed(r: Pick<FullRunResults, "epochDetails" | "wallSeconds">): boolean {
  return epochSecondsTotal(r) > 1.05 * r.wallSeconds;
}

function describeRun(r: FullRunResults): string[] {
  const minutes = (s: number): string => `${(s / 60).toFixed(0)} min`;
  const m = r.machine;
  const time = wasResumed(r)
    ? `treino ${minutes(epochSecondsTotal(r))} (soma das épocas, em execuções retomadas; a última levou ${minutes(r.wallSeconds)})`
    : `tempo de parede ${minutes(r.wallSeconds)}`;
  return [
    `Execução: ${r.statusText}.`,
    `Motor ${r.engine?.backend ?? "desconhecido (a execução ainda não gravou report.json)"}${r.threads ? ` com ${r.threads} thread(s)` : ""}; ${time}` +
      `${r.cpuSeconds !== null ? ` (CPU ${minutes(r.cpuSeconds)})` : ""}; máquina: ${m.cpuModel}, ${m.cores} núcleos, ` +
      `${m.simd.includes("avx512f") ? "AVX-512" : m.simd.includes("avx2") ? "AVX2" : "sem AVX2"}, Node ${m.node}.`,
  ];
}

/**
 * The notebook's "what the full run gives": the newest docs/results/full-<date>.json as a
 * comparison table, its curves and its confusion matrix; a hint when there is none yet.
 */
export function showFullRunResults(file: string | null = latestResultsFile("full")): FullRunResults | null {
  if (!file) {
    console.log("Ainda não há resultado da execução completa em docs/results/. Para gerá-lo: " +
      "npm run train -- --preset full --out DIR (horas) e depois npm run results -- --run DIR.");
    return null;
  }
  const r = readFullResults(file);
  console.log(`${path.relative(projectRoot(), file)} (gerado por: ${r.command || "npm run results"})`);
  describeRun(r).forEach((line) => console.log(line));
  showComparison(r);
  const figures = resultsFigures(r);
  show(figures.curves);
  if (figures.confusion) show(figures.confusion);
  return r;
}
