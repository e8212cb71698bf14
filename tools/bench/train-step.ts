// Training-step benchmark of the engine: trains the Keras pneumonia architecture on random data
// (after one warm-up step) with trainModel's own step (the engine's createTrainStepper: one replica per thread)
// and measures the median train-step and predict times, CPU utilization (process CPU time / wall
// time over the timed steps), training images per second and peak RSS; beside it, the PyTorch reference with the same settings when
// /usr/bin/python3 can import torch. Optional: the slowest kernels of one step (profile) and
// tensor/RSS growth over more steps (leakSteps). CLI: scripts/bench.ts (npm run bench).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as tf from "@tensorflow/tfjs";
import { createTrainStepper, EngineBackend, initEngine, ReplicaMode, StepPhases, TrainStepper, wasmHeapBytes, winogradCalls } from "cnn-course-engine";
import { buildModel } from "../../lib/pneumonia/model";
import { classWeightedLossSpec, imageBatch, KERAS_EXAMPLE_SCHEDULE, LabeledImages, ScheduledAdam } from "../../lib/pneumonia/training";
import { seededRandom } from "../../lib/common/random";
import { timeKernels } from "./kernel-timing";
import { stepGflop, timeConv16 } from "./flops";

const PYTHON = "/usr/bin/python3";

export interface BenchOptions {
  imageSize: number;
  batch: number;
  steps: number;
  backend?: EngineBackend;
  torch: boolean;
  torchScript: string;
  profile: boolean;
  /** With profile: one row per kernel and input shapes. */
  profileShapes?: boolean;
  leakSteps: number;
  /** Training threads (default: CNN_COURSE_THREADS, else one per core). */
  threads?: number;
  /** What the replicas share (default sync: whole-batch BatchNorm and dropout). */
  replicaMode?: ReplicaMode;
}

export interface TorchResult { trainStepMs: number; predictMs: number; threads: number; [key: string]: unknown }

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const rssMb = () => round1(process.memoryUsage().rss / 2 ** 20);
const peakRssMb = () => round1(process.resourceUsage().maxRSS / 1024);

/** Random images (0..255, as the model's Rescaling expects) and labels, fixed for the whole run. */
function randomBatch(size: number, batch: number): LabeledImages {
  const rng = seededRandom(1);
  const images = Uint8Array.from({ length: batch * size * size * 3 }, () => Math.floor(rng() * 256));
  const labels = Uint8Array.from({ length: batch }, () => (rng() < 0.5 ? 1 : 0));
  return { images, labels, size, count: batch };
}

function medianPhases(phases: StepPhases[]): Record<string, number> | null {
  if (phases.length === 0) return null;
  const keys = Object.keys(phases[0]) as Array<keyof StepPhases>;
  return Object.fromEntries(keys.map((k) => [k.replace(/Ms$/, ""), round1(median(phases.map((p) => p[k])))]));
}

/** Wall ms of one call; its CPU ms (this process only) go to `cpu` when given. */
async function timed(fn: () => Promise<unknown>, cpu?: number[]): Promise<number> {
  const startCpu = process.cpuUsage();
  const start = performance.now();
  await fn();
  const wall = performance.now() - start;
  const used = process.cpuUsage(startCpu);
  cpu?.push((used.user + used.system) / 1000);
  return wall;
}

function torchAvailable(): boolean {
  if (!fs.existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ["-c", "import torch"], { stdio: "ignore" }).status === 0;
}

export function runTorch(opts: BenchOptions): TorchResult | { error: string } {
  if (!fs.existsSync(opts.torchScript)) return { error: `PyTorch reference not found at ${opts.torchScript} (--torch-script)` };
  if (!torchAvailable()) return { error: `${PYTHON} cannot import torch (Debian: apt-get install -y python3-torch)` };
  const run = spawnSync(PYTHON, [opts.torchScript, "--image-size", String(opts.imageSize), "--batch", String(opts.batch),
    "--steps", String(opts.steps)], { encoding: "utf8", maxBuffer: 1 << 20 });
  const line = run.stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as TorchResult;
  } catch {
    return { error: `PyTorch reference failed (exit ${run.status}): ${run.stderr.trim().split("\n").slice(-3).join(" | ")}` };
  }
}

/** Median wall (and CPU) ms of `steps` training steps after one warm-up, and of 3 predictions. */
async function measureSteps(steps: number, trainStep: () => Promise<unknown>, predict: () => Promise<void>,
  log: (line: string) => void): Promise<{ stepMs: number[]; stepCpuMs: number[]; predictMs: number[] }> {
  const warmupMs = await timed(trainStep);
  log(`bench: warm-up step ${round1(warmupMs)} ms`);
  const stepMs: number[] = [];
  const stepCpuMs: number[] = [];
  for (let i = 0; i < steps; i++) {
    stepMs.push(await timed(trainStep, stepCpuMs));
    log(`bench: step ${i + 1}/${steps}: ${round1(stepMs[i])} ms (CPU ${round1(stepCpuMs[i])} ms)`);
  }
  await timed(predict);
  const predictMs: number[] = [];
  for (let i = 0; i < 3; i++) predictMs.push(await timed(predict));
  return { stepMs, stepCpuMs, predictMs };
}

/** Logs the slowest kernels of one training step: 25, or BENCH_PROFILE_ROWS. */
async function profileStep(trainStep: () => Promise<unknown>, log: (line: string) => void, byShape: boolean): Promise<void> {
  const { kernels } = await timeKernels(tf.getBackend(), trainStep, byShape);
  const total = kernels.reduce((s, k) => s + k.exclusiveCpuMs, 0);
  log(`bench: kernels of one training step (exclusive CPU ms, total ${round1(total)}; wall ms beside):`);
  for (const k of kernels.slice(0, Number(process.env.BENCH_PROFILE_ROWS ?? 25))) {
    log(`  ${k.kernel.padEnd(byShape ? 72 : 36)} ${round1(k.exclusiveCpuMs).toString().padStart(8)} cpu ms ` +
      `${round1(k.exclusiveMs).toString().padStart(8)} wall ms ${String(k.calls).padStart(4)} calls`);
  }
}

/** Size of this thread's wasm memory in MB (it grows, never shrinks); 0 off the wasm backend. */
function wasmHeapMb(): number {
  return Math.round(wasmHeapBytes() / 1048576);
}

/** Tensor count (main thread and each worker), RSS and the main wasm memory before and after `steps` more training steps. */
async function leakCheck(steps: number, trainStep: () => Promise<unknown>, stepper: TrainStepper): Promise<Record<string, number>> {
  const tensorsBefore = tf.memory().numTensors, workersBefore = stepper.workerTensors();
  const rssBefore = rssMb(), heapBefore = wasmHeapMb();
  for (let i = 0; i < steps; i++) await trainStep();
  const leak: Record<string, number> = { steps, tensorsBefore, tensorsAfter: tf.memory().numTensors, rssMbBefore: rssBefore, rssMbAfter: rssMb(),
    mainWasmHeapMbBefore: heapBefore, mainWasmHeapMbAfter: wasmHeapMb() };
  stepper.workerTensors().forEach((n, i) => {
    leak[`worker${i + 1}TensorsBefore`] = workersBefore[i];
    leak[`worker${i + 1}TensorsAfter`] = n;
  });
  return leak;
}

/** Runs the benchmark; the result is the JSON line `npm run bench` prints. Progress goes to `log`. */
export async function benchTrainStep(opts: BenchOptions, log: (line: string) => void = console.error): Promise<Record<string, unknown>> {
  const engine = await initEngine({ backend: opts.backend, quiet: true });
  log(`bench: ${engine.backend} — ${engine.reason}`);
  const model = buildModel(opts.imageSize);
  const data = randomBatch(opts.imageSize, opts.batch);
  const indices = Array.from({ length: opts.batch }, (_, i) => i);
  const optimizer = new ScheduledAdam(KERAS_EXAMPLE_SCHEDULE); // the training's optimizer (Keras' Adam and schedule)
  const stepper = await createTrainStepper(model, optimizer, { loss: classWeightedLossSpec(), maxBatch: opts.batch, predictBatch: opts.batch, threads: opts.threads, replicaMode: opts.replicaMode });
  log(`bench: ${stepper.threads} thread(s)`);
  let stepCount = 0;
  const phases: StepPhases[] = [];
  let winogradInSteps = 0;
  const trainStep = async () => {
    const callsBefore = winogradCalls();
    const result = await stepper.step(imageBatch(data, indices), ++stepCount);
    winogradInSteps += winogradCalls() - callsBefore;
    if (stepper.lastPhases) phases.push(stepper.lastPhases);
    return result;
  };
  // As validation predicts in training: the batch split over the replicas (one thread: model.predict).
  const predict = async () => { await stepper.predict(imageBatch(data, indices)); };
  const { stepMs, stepCpuMs, predictMs } = await measureSteps(opts.steps, trainStep, predict, log);
  // Winograd convolutions the main thread ran per training step (0: XNNPACK ran them all)
  const winogradPerStep = round1(winogradInSteps / stepCount);
  const timedPhases = phases.slice(1, 1 + opts.steps); // after the warm-up step
  if (opts.profile || opts.profileShapes) await profileStep(trainStep, log, opts.profileShapes ?? false);
  const leak = opts.leakSteps > 0 ? await leakCheck(opts.leakSteps, trainStep, stepper) : undefined;
  const trainStepMs = median(stepMs);
  const gflop = stepGflop(model, opts.batch);
  // the 16→16 convolution on one replica's images (the main thread's share), after the steps
  const conv16 = engine.backend === "wasm" ? timeConv16(opts.imageSize, Math.ceil(opts.batch / stepper.threads)) : null;
  const result: Record<string, unknown> = {
    engine: "tfjs",
    backend: engine.backend,
    threads: stepper.threads,
    replicaMode: stepper.threads > 1 ? opts.replicaMode ?? "sync" : null,
    imageSize: opts.imageSize,
    batch: opts.batch,
    steps: opts.steps,
    trainStepMs: round1(trainStepMs),
    // CPU time of this process per step: a check on trainStepMs when other programs load the machine
    trainStepCpuMs: round1(median(stepCpuMs)),
    // CPU time / wall time over the timed steps: 1 = one core busy, 2 = two (workers included)
    cpuUtilization: Math.round((stepCpuMs.reduce((a, b) => a + b, 0) / stepMs.reduce((a, b) => a + b, 0)) * 100) / 100,
    predictMs: round1(median(predictMs)),
    trainImgPerSec: Math.round((opts.batch * 1000 / trainStepMs) * 100) / 100,
    peakRssMb: peakRssMb(),
    loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100,
    params: model.countParams(),
    // which of the engine's own convolution kernels ran (null off wasm)
    kernels: engine.kernels ? { ...engine.kernels, winogradCallsPerStep: winogradPerStep } : null,
    stepGflop: round1(gflop),
    // the step's work (counted as direct convolution) over its wall time
    stepGflops: round1((gflop * 1000) / trainStepMs),
    conv16,
    // median ms of each part of a step on the main thread (see StepPhases): only ownMs and waitMs
    // overlap the workers' computation, the rest is serial
    phasesMs: medianPhases(timedPhases),
  };
  if (leak) result.leak = leak;
  await stepper.close();
  optimizer.dispose();
  model.dispose();
  if (opts.torch) {
    const torch = runTorch(opts); // after ours, so the two never compete for the cores
    result.pytorch = torch;
    if ("trainStepMs" in torch) result.ratio = Math.round((trainStepMs / torch.trainStepMs) * 100) / 100;
    if ("predictMs" in torch) result.predictRatio = Math.round((median(predictMs) / torch.predictMs) * 100) / 100;
  }
  return result;
}
