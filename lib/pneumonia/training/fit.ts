// model.fit() of the Keras example as an explicit loop: Adam following the learning-rate
// schedule, class-weighted binary cross-entropy, epoch-level metrics, validation, the
// best-by-val-loss checkpoint, early stopping that restores the best weights, and a
// resumable "last" checkpoint (weights, Adam slots, counters, history).
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { deriveSeed } from "cnn-course-engine";
import { createProgress, Progress } from "../../view/progress";
import { formatBR } from "../../common/format";
import { EpochRecord } from "../../common/history";
import { seededRandom, shuffled } from "../../common/random";
import { assertLabeledImages, imageBatch, LabeledImages, yieldToEventLoop } from "./batches";
import { copyWeights, findCheckpoint, loadCheckpoint, readCheckpointState, saveCheckpoint } from "./checkpoint";
import { evaluateModel, Evaluation } from "./evaluate";
import { ClassWeights, classWeightedLoss, classWeightedLossSpec } from "./loss";
import { accumulateCounts, ConfusionCounts, emptyCounts, metricsFromCounts } from "./metrics";
import { ExponentialDecayConfig, KERAS_EXAMPLE_SCHEDULE, ScheduledAdam } from "./schedule";
import { createTrainStepper, engineInfo, initEngine, planThreads, ReplicaMode, TrainStepper } from "cnn-course-engine";
import { plainStepper } from "./step";
import { recomputeBatchNormStatistics } from "./recompute-batchnorm";

/** One epoch's numbers, as Keras' history (train on the epoch, val at its end). */
export interface EpochLogs extends EpochRecord {
  binaryAccuracy: number;
  precision: number;
  recall: number;
  valBinaryAccuracy: number;
  valPrecision: number;
  valRecall: number;
  learningRate: number;
  seconds: number;
  /**
   * With recomputed BatchNorm statistics: validation loss and accuracy with Keras' moving averages,
   * measured just before they were replaced (what the Keras example would have logged).
   */
  valLossMovingAverages?: number;
  valBinaryAccuracyMovingAverages?: number;
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** Keras' class_weight (multiplies each sample's loss by its class weight). */
  classWeights?: ClassWeights;
  /** Seeds the shuffles and every dropout mask (default 42). */
  seed?: number;
  /** Early stopping on val loss: epochs without improvement before stopping (default 10). */
  patience?: number;
  /** At the end, put back the weights of the best epoch (default true, as the example). */
  restoreBestWeights?: boolean;
  schedule?: ExponentialDecayConfig;
  /** Folder for `best/` (lowest val loss) and `last/` (to resume). None: no checkpoints. */
  checkpointDir?: string;
  /** Continue from `checkpointDir/last` when it exists. */
  resume?: boolean;
  evalBatchSize?: number;
  /** Called after each epoch (curves, logs). */
  onEpochEnd?: (logs: EpochLogs, history: EpochLogs[]) => void | Promise<void>;
  /** Polled between steps: true stops after the current step without saving a partial epoch. */
  shouldStop?: () => boolean;
  /** Show a progress display per epoch (default true). */
  showProgress?: boolean;
  /** Extra JSON saved in the checkpoint state (preset, image size...). */
  meta?: { [key: string]: unknown };
  /** Threads (data-parallel replicas); default CNN_COURSE_THREADS, else one per core. */
  threads?: number;
  /** With several threads: BatchNorm over the whole batch ("sync", default: same training on any core count) or per replica. */
  replicaMode?: ReplicaMode;
  /**
   * After each epoch, before validation: replace BatchNorm's moving statistics by those of this many
   * training images under the epoch's weights (recompute-batchnorm.ts). 0 or absent: Keras' moving averages.
   */
  recomputeBatchNormImages?: number;
}

export interface TrainResult {
  history: EpochLogs[];
  /** Epoch (1-based) with the lowest val loss; 0 when no epoch finished. */
  bestEpoch: number;
  bestValLoss: number;
  stoppedEarly: boolean;
  /** shouldStop() asked to stop. */
  interrupted: boolean;
  /** Epochs already done when this call started (from the resumed checkpoint). */
  resumedFromEpoch: number;
  optimizer: ScheduledAdam;
  /** Threads (data-parallel replicas) the steps ran on. */
  threads: number;
}

/** What the `last` checkpoint remembers to resume. */
export interface TrainingState {
  [key: string]: unknown;
  epochsDone: number;
  history: EpochLogs[];
  bestEpoch: number;
  bestValLoss: number;
  wait: number;
  seed: number;
  batchSize: number;
  meta: { [key: string]: unknown };
}

export function bestCheckpointDir(checkpointDir: string): string {
  return path.join(checkpointDir, "best");
}

export function lastCheckpointDir(checkpointDir: string): string {
  return path.join(checkpointDir, "last");
}

function cloneWeights(model: tf.LayersModel): tf.Tensor[] {
  return model.getWeights().map((w) => tf.keep(w.clone()));
}

function formatValidation(l: EpochLogs): string {
  const f = (v: number): string => formatBR(v, 4);
  return `val_loss ${f(l.valLoss)} · val_binary_accuracy ${f(l.valBinaryAccuracy)} · val_precision ${f(l.valPrecision)} · val_recall ${f(l.valRecall)}`;
}

/** Throws a Portuguese error saying what to change when the data, the model and the options do not fit together. */
export function checkTrainInputs(model: tf.LayersModel, train: LabeledImages, val: LabeledImages, opts: TrainOptions): void {
  assertLabeledImages(train, "treino");
  assertLabeledImages(val, "validação");
  const [, height, width, channels] = model.inputs[0].shape;
  if (height !== train.size || width !== train.size || channels !== 3 || val.size !== train.size) {
    throw new Error(`O modelo espera imagens ${height}x${width}x${channels}, mas os dados têm ${train.size}x${train.size}x3 ` +
      `(validação ${val.size}x${val.size}x3). Construa o modelo com buildModel(${train.size}) ou carregue as imagens no tamanho do modelo.`);
  }
  if (!(opts.batchSize >= 1) || !(opts.epochs >= 1)) throw new Error(`trainModel: batchSize e epochs devem ser >= 1 (recebi ${opts.batchSize}, ${opts.epochs}).`);
}

/** What a checkpoint records of the data it was trained on, to refuse resuming on other data. */
export interface TrainingDataSignature {
  imageSize: number;
  train: number;
  trainPneumonia: number;
  val: number;
  valPneumonia: number;
}

export function dataSignature(train: LabeledImages, val: LabeledImages): TrainingDataSignature {
  const positives = (labels: Uint8Array): number => labels.reduce((a, b) => a + b, 0);
  return { imageSize: train.size, train: train.count, trainPneumonia: positives(train.labels), val: val.count, valPneumonia: positives(val.labels) };
}

/**
 * Throws when `saved` (a `last` checkpoint) was trained on other data or another batch size than
 * this call: resuming would silently mix two runs and then overwrite the checkpoint.
 */
export function assertResumable(saved: TrainingState, data: TrainingDataSignature, batchSize: number, dir: string): void {
  const had = saved.meta.data as TrainingDataSignature | undefined;
  const problems: string[] = [];
  if (saved.batchSize !== batchSize) problems.push(`lotes de ${saved.batchSize} no checkpoint, ${batchSize} agora`);
  if (had) {
    for (const key of Object.keys(data) as (keyof TrainingDataSignature)[]) {
      if (had[key] !== data[key]) problems.push(`${key}: ${had[key]} no checkpoint, ${data[key]} agora`);
    }
  } else if (saved.meta.imageSize !== undefined && saved.meta.imageSize !== data.imageSize) {
    problems.push(`imagens ${saved.meta.imageSize}px no checkpoint, ${data.imageSize}px agora`);
  }
  if (problems.length === 0) return;
  throw new Error(`Não dá para continuar (--resume) o treino de ${dir}: ele foi feito com outros dados ou ajustes (${problems.join("; ")}). ` +
    "Nada foi alterado. Aponte para os mesmos dados (--data ou CNN_COURSE_DATA) e o mesmo preset, ou use outra pasta (--out) para um treino novo.");
}

/** Where a run starts: a fresh state, or (resume) the `last` checkpoint's weights, Adam slots and counters, and the `best` weights. */
async function startingState(model: tf.LayersModel, optimizer: ScheduledAdam, opts: TrainOptions, data: TrainingDataSignature): Promise<{ state: TrainingState; bestWeights: tf.Tensor[] | null }> {
  const fresh: TrainingState = {
    epochsDone: 0, history: [], bestEpoch: 0, bestValLoss: Infinity, wait: 0, seed: opts.seed ?? 42, batchSize: opts.batchSize, meta: { ...(opts.meta ?? {}), data },
  };
  if (!opts.resume || !opts.checkpointDir || !findCheckpoint(lastCheckpointDir(opts.checkpointDir))) return { state: fresh, bestWeights: null };
  const savedState = readCheckpointState<TrainingState>(lastCheckpointDir(opts.checkpointDir));
  if (savedState) assertResumable(savedState, data, opts.batchSize, opts.checkpointDir);
  const last = await loadCheckpoint<TrainingState>(lastCheckpointDir(opts.checkpointDir));
  copyWeights(last.model, model, `checkpoint ${last.dir}`);
  last.model.dispose();
  if (last.optimizerWeights) {
    // Adam creates its slots lazily and matches them to variables by position, in the order we pass them.
    await optimizer.setWeights(last.optimizerWeights);
    last.optimizerWeights.forEach((w) => w.tensor.dispose());
  }
  const state = { ...last.state, meta: { ...last.state.meta, ...(opts.meta ?? {}), data } };
  let bestWeights: tf.Tensor[] | null = null;
  if (findCheckpoint(bestCheckpointDir(opts.checkpointDir))) {
    const best = await loadCheckpoint<TrainingState>(bestCheckpointDir(opts.checkpointDir));
    bestWeights = cloneWeights(best.model);
    best.model.dispose();
  }
  return { state, bestWeights };
}

/** What one epoch's steps share. */
interface EpochContext {
  model: tf.LayersModel;
  optimizer: ScheduledAdam;
  /** Takes each optimizer step: trainStep (step.ts) on one thread, the engine's stepper (same step, split) on several. */
  stepper: TrainStepper;
  train: LabeledImages;
  opts: TrainOptions;
  /** The run's seed: shuffles and dropout masks derive from it, the epoch and the step. */
  runSeed: number;
}

/** The steps of one epoch on a seeded shuffle; stops early (interrupted) when shouldStop() says so. */
async function trainEpoch(ctx: EpochContext, epoch: number, progress: Progress | null): Promise<{ loss: number; counts: ConfusionCounts; interrupted: boolean }> {
  const { train, opts } = ctx;
  const n = train.count, steps = Math.ceil(n / opts.batchSize);
  const order = shuffled(Array.from({ length: n }, (_, i) => i), seededRandom(deriveSeed(ctx.runSeed, epoch)));
  const counts = emptyCounts();
  let lossSum = 0, seen = 0;
  for (let s = 0; s < steps; s++) {
    if (opts.shouldStop?.() || ctx.stepper.interrupted) return { loss: NaN, counts, interrupted: true };
    const indices = order.slice(s * opts.batchSize, Math.min(n, (s + 1) * opts.batchSize));
    const step = await ctx.stepper.step(imageBatch(train, indices), deriveSeed(ctx.runSeed, epoch, s));
    accumulateCounts(counts, Array.from(indices, (k) => train.labels[k]), step.outputs);
    lossSum += step.loss * indices.length;
    seen += indices.length;
    const m = metricsFromCounts(counts);
    progress?.tick(1, { loss: lossSum / seen, binary_accuracy: m.accuracy, precision: m.precision, recall: m.recall });
    await yieldToEventLoop();
  }
  return { loss: lossSum / seen, counts, interrupted: false };
}

/** Seed domain of the images recompute-batchnorm.ts measures on (apart from the shuffles' and the masks'). */
const BATCHNORM_SAMPLE = 0x424e;

function validate(ctx: EpochContext, val: LabeledImages): Promise<Evaluation> {
  return evaluateModel(ctx.model, val, { batchSize: ctx.opts.evalBatchSize ?? 50, progressLabel: null, predict: (d, i) => ctx.stepper.predict(imageBatch(d, i)) });
}

/**
 * With `recomputeBatchNormImages`: validation with Keras' moving averages first (for the curves that
 * compare both), then BatchNorm's statistics measured under the epoch's final weights, shared with the workers.
 */
async function recomputeStatistics(ctx: EpochContext, val: LabeledImages, epoch: number): Promise<Evaluation | null> {
  const images = ctx.opts.recomputeBatchNormImages ?? 0;
  if (images <= 0) return null;
  const moving = await validate(ctx, val);
  recomputeBatchNormStatistics(ctx.model, ctx.train, { images, batchSize: ctx.opts.batchSize, seed: deriveSeed(ctx.runSeed, BATCHNORM_SAMPLE, epoch) });
  ctx.stepper.refreshWeights();
  return moving;
}

/** The epoch's Keras-style numbers: the training ones gathered during the epoch, validation measured at its end. */
async function epochLogs(ctx: EpochContext, val: LabeledImages, epoch: number, trained: { loss: number; counts: ConfusionCounts }, started: number): Promise<EpochLogs> {
  const t = metricsFromCounts(trained.counts);
  const moving = await recomputeStatistics(ctx, val, epoch);
  const v = await validate(ctx, val);
  return {
    epoch: epoch + 1, loss: trained.loss, binaryAccuracy: t.accuracy, precision: t.precision, recall: t.recall,
    valLoss: v.loss, valBinaryAccuracy: v.accuracy, valPrecision: v.precision, valRecall: v.recall,
    learningRate: ctx.optimizer.currentLearningRate, seconds: (Date.now() - started) / 1000,
    ...(moving ? { valLossMovingAverages: moving.loss, valBinaryAccuracyMovingAverages: moving.accuracy } : {}),
  };
}

/**
 * Adds the epoch to the state, keeps the best weights (lowest val loss) and counts the epochs
 * without improvement; writes `best/` on an improvement and `last/` every epoch. Returns the best weights.
 */
async function recordEpoch(ctx: EpochContext, state: TrainingState, logs: EpochLogs, bestWeights: tf.Tensor[] | null): Promise<tf.Tensor[] | null> {
  const { model, optimizer, opts } = ctx;
  state.history = [...state.history, logs];
  state.epochsDone = logs.epoch;
  let best = bestWeights;
  if (logs.valLoss < state.bestValLoss) {
    state.bestValLoss = logs.valLoss;
    state.bestEpoch = logs.epoch;
    state.wait = 0;
    if (best) tf.dispose(best);
    best = cloneWeights(model);
    if (opts.checkpointDir) await saveCheckpoint(bestCheckpointDir(opts.checkpointDir), { model, state });
  } else {
    state.wait += 1;
  }
  if (opts.checkpointDir) await saveCheckpoint(lastCheckpointDir(opts.checkpointDir), { model, optimizer, state });
  return best;
}

/** Trains `model` in place on `train`, validating on `val` after every epoch. */
export async function trainModel(model: tf.LayersModel, train: LabeledImages, val: LabeledImages, opts: TrainOptions): Promise<TrainResult> {
  checkTrainInputs(model, train, val, opts);
  const patience = opts.patience ?? 10;
  const optimizer = new ScheduledAdam(opts.schedule ?? KERAS_EXAMPLE_SCHEDULE);
  const start = await startingState(model, optimizer, opts, dataSignature(train, val));
  const state = start.state;
  let bestWeights = start.bestWeights;
  const resumedFromEpoch = state.epochsDone;
  // A resumed run keeps its own seed (same shuffles and masks as if never interrupted)
  // and does not restart after an early stop it already made.
  const engine = engineInfo() ?? await initEngine({ quiet: true }); // the fastest backend, on one thread as on several
  // One thread (asked, or all the engine can have: one core, no worker threads as in the browser): trainStep itself.
  const threads = opts.threads ?? (await planThreads(engine.backend)).threads;
  const stepper = threads === 1 ? plainStepper(model, optimizer, classWeightedLoss(opts.classWeights))
    : await createTrainStepper(model, optimizer, { loss: classWeightedLossSpec(opts.classWeights), threads: opts.threads, maxBatch: opts.batchSize, predictBatch: opts.evalBatchSize ?? 50, replicaMode: opts.replicaMode });
  const ctx: EpochContext = { model, optimizer, stepper, train, opts, runSeed: state.seed };
  const steps = Math.ceil(train.count / opts.batchSize);
  let stoppedEarly = state.wait >= patience, interrupted = false;
  try {
    for (let epoch = state.epochsDone; epoch < opts.epochs && !stoppedEarly; epoch++) {
      const started = Date.now();
      const progress = opts.showProgress === false ? null : createProgress(`Época ${epoch + 1}/${opts.epochs}`, steps);
      const trained = await trainEpoch(ctx, epoch, progress);
      if (trained.interrupted) {
        interrupted = true;
        progress?.finish("interrompida: esta época não conta; o último checkpoint é o da época anterior");
        break;
      }
      const logs = await epochLogs(ctx, val, epoch, trained, started);
      bestWeights = await recordEpoch(ctx, state, logs, bestWeights);
      stoppedEarly = state.wait >= patience;
      // The bar already shows the training numbers; the final line adds validation.
      progress?.finish(formatValidation(logs) + (state.bestEpoch === logs.epoch ? " ✓ melhor val_loss" : ""));
      await opts.onEpochEnd?.(logs, state.history);
    }
  } finally {
    await stepper.close(); // every worker stops, also when a step or a callback throws
  }
  if ((opts.restoreBestWeights ?? true) && bestWeights && state.bestEpoch !== state.epochsDone) {
    model.setWeights(bestWeights);
  }
  if (bestWeights) tf.dispose(bestWeights);
  return {
    history: state.history, bestEpoch: state.bestEpoch, bestValLoss: state.bestValLoss, stoppedEarly, interrupted,
    resumedFromEpoch, optimizer, threads: stepper.threads,
  };
}
