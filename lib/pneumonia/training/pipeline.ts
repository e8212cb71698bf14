// The whole pneumonia example in a few calls, shared by the notebook (one call per
// section) and `npm run train` (all of them): files and split, images, model, training,
// evaluation on the test split, and a JSON report.
import * as fs from "fs";
import * as path from "path";
import { cacheDir, projectRoot, xrayReadDir } from "../../common/config";
import { loadImages, ImageBatch } from "../data/load-images";
import { classWeights, initialBias, sharedPatients, splitTrainValBy, TrainValSplit } from "../data/split";
import { countLabels, listXrayFiles, XrayCounts, XrayFile } from "../data/xray-files";
import { initEngine, EngineInfo } from "cnn-course-engine";
import { codeVersion, machineInfo, MachineInfo } from "../../common/machine";
import { buildModel, BuildModelOptions } from "../model/build";
import { seededRandom, shuffled } from "../../common/random";
import { evaluateModel, Evaluation } from "./evaluate";
import { EpochLogs, trainModel, TrainOptions, TrainResult } from "./fit";
import { ClassWeights } from "./loss";
import { confusionMatrix } from "./metrics";
import { TrainingPreset } from "./presets";
import { ReplicaMode } from "cnn-course-engine";
import { KerasHistory, toKerasHistory } from "../../common/history";
import { chooseThreshold, rocCurve, Scores } from "../explain/threshold";

/** The preset's subset of a split (the smoke preset's few images); the split itself when it has no limit. */
export function applyPresetLimit<T>(split: TrainValSplit<T>, preset: TrainingPreset): TrainValSplit<T> {
  if (!preset.limit) return split;
  // The test files come sorted by class: shuffle before cutting so both classes stay.
  const test = shuffled(split.test, seededRandom(preset.seed));
  return {
    train: split.train.slice(0, preset.limit.train),
    val: split.val.slice(0, preset.limit.val),
    test: test.slice(0, preset.limit.test),
  };
}

/** The files of each part for a preset: Keras' 80/20 split (or the preset's split by patient), then the preset's limits. */
export function selectXrayFiles(preset: TrainingPreset, dataDir: string = xrayReadDir().dir): TrainValSplit<XrayFile> {
  return applyPresetLimit(splitTrainValBy(preset.split ?? "image", listXrayFiles(dataDir), { seed: preset.seed }), preset);
}

export interface XrayData {
  files: TrainValSplit<XrayFile>;
  train: ImageBatch;
  val: ImageBatch;
  test: ImageBatch;
}

/** Decodes and resizes the three parts (disk-cached: the second run starts at once). */
export async function loadXrayData(preset: TrainingPreset, files: TrainValSplit<XrayFile> = selectXrayFiles(preset)): Promise<XrayData> {
  const size = preset.imageSize;
  const train = await loadImages(files.train, size, { progress: `Imagens de treino (${size}x${size})` });
  const val = await loadImages(files.val, size, { progress: `Imagens de validação (${size}x${size})` });
  const test = await loadImages(files.test, size, { progress: `Imagens de teste (${size}x${size})` });
  return { files, train, val, test };
}

/** fit() settings of a preset, with Keras' class weights computed from the training labels. */
export function trainOptionsFor(preset: TrainingPreset, train: ImageBatch, extra: Partial<TrainOptions> = {}): TrainOptions {
  return {
    epochs: preset.epochs, batchSize: preset.batchSize, patience: preset.patience, seed: preset.seed, schedule: preset.schedule, replicaMode: preset.replicaMode,
    recomputeBatchNormImages: preset.recomputeBatchNormImages,
    classWeights: classWeights(train.labels), meta: { preset: preset.name, imageSize: preset.imageSize }, ...extra,
  };
}

/** Keras' `history.history`: {loss: [...], val_loss: [...], precision: [...], ...} for the curves. */
export function kerasHistory(history: readonly EpochLogs[]): KerasHistory {
  return toKerasHistory(history, {
    precision: "precision", val_precision: "valPrecision", recall: "recall", val_recall: "valRecall",
    binary_accuracy: "binaryAccuracy", val_binary_accuracy: "valBinaryAccuracy", loss: "loss", val_loss: "valLoss",
  });
}

export interface TestMetrics {
  loss: number;
  accuracy: number;
  precision: number;
  recall: number;
  /** Rows = true class, columns = predicted (NORMAL, PNEUMONIA). */
  confusionMatrix: number[][];
}

export function testMetrics(e: Evaluation): TestMetrics {
  return { loss: e.loss, accuracy: e.accuracy, precision: e.precision, recall: e.recall, confusionMatrix: confusionMatrix(e.counts) };
}

/**
 * The screening operating point: the threshold chosen on VALIDATION for recall >= minRecall (best
 * precision), and what it gives on TEST; with both splits' AUC and accuracy at 0.5 (the gap).
 */
export interface ScreeningReport {
  minRecall: number;
  threshold: number;
  validation: { precision: number; recall: number; accuracy: number; auc: number };
  test: { precision: number; recall: number; accuracy: number; auc: number };
}

/** Minimum recall of the screening threshold (issue 25: precision >= 0.85 at recall >= 0.95 beats the Keras page). */
export const SCREENING_MIN_RECALL = 0.95;

function scoresOf(e: Evaluation, labels: Uint8Array): Scores {
  return { probabilities: Array.from(e.probabilities), labels: Array.from(labels) };
}

export function screeningReport(val: { e: Evaluation; labels: Uint8Array }, test: { e: Evaluation; labels: Uint8Array }, minRecall = SCREENING_MIN_RECALL): ScreeningReport {
  const v = scoresOf(val.e, val.labels), t = scoresOf(test.e, test.labels);
  const choice = chooseThreshold({ validation: v, test: t }, minRecall);
  return {
    minRecall, threshold: choice.threshold,
    validation: { ...choice.validation, accuracy: val.e.accuracy, auc: rocCurve(v).auc },
    test: { ...choice.test, accuracy: test.e.accuracy, auc: rocCurve(t).auc },
  };
}

export interface TrainingReport {
  preset: TrainingPreset;
  /** Trainable and non-trainable weights of the model (absent in older reports). */
  parameters?: number;
  /** Patients with X-rays in both training and validation (absent in older reports). */
  sharedPatients?: number;
  /** Validation metrics at 0.5 with the restored weights (absent in older reports). */
  validation?: TestMetrics;
  /** The screening threshold chosen on validation, measured on test (absent in older reports). */
  screening?: ScreeningReport;
  engine: EngineInfo;
  /** Training threads and what the replicas shared (absent in reports written before them: 1 thread). */
  threads?: number;
  replicaMode?: ReplicaMode;
  /** Where it ran (absent in reports written before this field existed). */
  machine?: MachineInfo;
  /** The course's git commit the run used ("-dirty": with uncommitted changes); null outside git or in older reports. */
  code?: string | null;
  dataDir: string;
  counts: { train: XrayCounts; val: XrayCounts; test: XrayCounts };
  skippedFiles: string[];
  classWeights: ClassWeights;
  initialBias: number;
  resumedFromEpoch: number;
  epochsRun: number;
  bestEpoch: number;
  stoppedEarly: boolean;
  interrupted: boolean;
  history: EpochLogs[];
  /** null when the run was interrupted before the evaluation. */
  test: TestMetrics | null;
  /** Wall-clock seconds; `cpu` is this process' CPU time (user + system), the wall time of an idle machine for a one-thread engine. */
  seconds: { data: number; training: number; evaluation: number; total: number; cpu?: number };
  startedAt: string;
  finishedAt: string;
  checkpointDir: string;
}

export interface RunOptions {
  /** Where checkpoints and report.json go (default .cache/runs/<preset>). */
  outDir?: string;
  resume?: boolean;
  dataDir?: string;
  shouldStop?: () => boolean;
  onEpochEnd?: TrainOptions["onEpochEnd"];
  model?: BuildModelOptions;
}

export function defaultRunDir(preset: TrainingPreset): string {
  return cacheDir("runs", preset.name);
}

/** Writes JSON next to its final name and renames it into place (never half-written). */
export function writeJsonAtomic(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 1) + "\n");
  fs.renameSync(tmp, file);
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

/** The whole example: data, model, training (with checkpoints), test evaluation, report.json. */
export async function runPneumoniaTraining(preset: TrainingPreset, opts: RunOptions = {}): Promise<TrainingReport> {
  const started = Date.now(), startedAt = new Date().toISOString(), cpuStart = process.cpuUsage();
  const engine = await initEngine();
  const codeAtStart = codeVersion(projectRoot());
  const dataDir = opts.dataDir ?? xrayReadDir().dir;
  const outDir = opts.outDir ?? defaultRunDir(preset);
  const data = await loadXrayData(preset, selectXrayFiles(preset, dataDir));
  const dataSeconds = (Date.now() - started) / 1000;

  const model = buildModel(preset.imageSize, { seed: preset.seed, head: preset.head, ...opts.model });
  const trainStart = Date.now();
  let result: TrainResult;
  try {
    result = await trainModel(model, data.train, data.val, trainOptionsFor(preset, data.train, {
      checkpointDir: outDir, resume: opts.resume, shouldStop: opts.shouldStop, onEpochEnd: opts.onEpochEnd,
    }));
  } catch (err) {
    model.dispose();
    throw err;
  }
  const trainingSeconds = (Date.now() - trainStart) / 1000;
  const evalStart = Date.now();
  const testEval = result.interrupted ? null : await evaluateModel(model, data.test, { progressLabel: "Teste" });
  const valEval = result.interrupted ? null : await evaluateModel(model, data.val, { progressLabel: "Validação" });
  const test = testEval ? testMetrics(testEval) : null;
  const screening = testEval && valEval ? screeningReport({ e: valEval, labels: data.val.labels }, { e: testEval, labels: data.test.labels }) : undefined;
  const parameters = model.countParams();
  const evaluationSeconds = (Date.now() - evalStart) / 1000;
  result.optimizer.dispose();
  model.dispose();
  const report: TrainingReport = {
    preset, parameters, sharedPatients: sharedPatients(data.files.train, data.files.val),
    validation: valEval ? testMetrics(valEval) : undefined, screening, engine, threads: result.threads, replicaMode: preset.replicaMode ?? "sync", machine: machineInfo(), code: codeAtStart, dataDir,
    counts: { train: countLabels(data.train.labels), val: countLabels(data.val.labels), test: countLabels(data.test.labels) },
    skippedFiles: [...data.train.skipped, ...data.val.skipped, ...data.test.skipped].map((s) => `${s.file}: ${s.reason}`),
    classWeights: classWeights(data.train.labels), initialBias: initialBias(data.train.labels),
    resumedFromEpoch: result.resumedFromEpoch, epochsRun: result.history.length - result.resumedFromEpoch,
    bestEpoch: result.bestEpoch, stoppedEarly: result.stoppedEarly, interrupted: result.interrupted,
    history: result.history, test,
    seconds: { data: dataSeconds, training: trainingSeconds, evaluation: evaluationSeconds, total: (Date.now() - started) / 1000, cpu: cpuSecondsSince(cpuStart) },
    startedAt, finishedAt: new Date().toISOString(), checkpointDir: outDir,
  };
  writeJsonAtomic(path.join(outDir, "report.json"), report);
  return report;
}
