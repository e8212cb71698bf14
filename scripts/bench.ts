// npm run bench [-- --image-size 180 --batch 25 --steps 5 [--backend wasm|cpu|tensorflow]
//                  [--no-torch] [--torch-script PATH] [--profile] [--leak-steps N]]
//
// Trains the Keras pneumonia architecture on random data (after one warm-up step) and prints
// one JSON line: backend, image size, batch, median train-step ms, median predict ms, training
// images per second, peak RSS. When /usr/bin/python3 can import torch, it then runs the PyTorch
// reference with the same settings and adds its figures and the ratio (ours / PyTorch).
// --profile prints the slowest kernels of one step to stderr; --leak-steps N trains N more steps
// and reports tensor count and RSS growth.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import * as tf from "@tensorflow/tfjs";
import { projectRoot } from "../lib/common/config";
import { EngineBackend, initEngine } from "../lib/engine";
import { timeKernels } from "../tools/bench/kernel-timing";
import { buildModel } from "../lib/pneumonia/model";

const PYTHON = "/usr/bin/python3";

interface BenchOptions {
  imageSize: number;
  batch: number;
  steps: number;
  backend?: EngineBackend;
  torch: boolean;
  torchScript: string;
  profile: boolean;
  leakSteps: number;
}

interface TorchResult { trainStepMs: number; predictMs: number; threads: number; [key: string]: unknown }

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value == null) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got '${value}'.`);
  return n;
}

function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      "image-size": { type: "string" },
      batch: { type: "string" },
      steps: { type: "string" },
      backend: { type: "string" },
      "no-torch": { type: "boolean" },
      "torch-script": { type: "string" },
      profile: { type: "boolean" },
      "leak-steps": { type: "string" },
    },
  });
  const backend = values.backend;
  if (backend != null && !["wasm", "cpu", "tensorflow"].includes(backend)) {
    throw new Error(`--backend must be wasm, cpu or tensorflow, got '${backend}'.`);
  }
  const imageSize = positiveInt("image-size", values["image-size"], 180);
  if (imageSize < 32) throw new Error(`--image-size must be at least 32 (the model halves it five times), got ${imageSize}.`);
  return {
    imageSize,
    batch: positiveInt("batch", values.batch, 25),
    steps: positiveInt("steps", values.steps, 5),
    backend: backend as EngineBackend | undefined,
    torch: !values["no-torch"],
    torchScript: path.resolve(projectRoot(), values["torch-script"] ?? "../shared/bench/torch_reference.py"),
    profile: values.profile ?? false,
    leakSteps: values["leak-steps"] == null ? 0 : positiveInt("leak-steps", values["leak-steps"], 0),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const rssMb = () => round1(process.memoryUsage().rss / 2 ** 20);
const peakRssMb = () => round1(process.resourceUsage().maxRSS / 1024);

/** Random images (0..255, as the model's Rescaling expects) and labels, fixed for the whole run. */
function randomBatch(size: number, batch: number): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  return tf.tidy(() => ({
    xs: tf.randomUniform([batch, size, size, 3], 0, 255, "float32", 1) as tf.Tensor4D,
    ys: tf.cast(tf.randomUniform([batch, 1], 0, 2, "int32", 2), "float32") as tf.Tensor2D,
  }));
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

function runTorch(opts: BenchOptions): TorchResult | { error: string } {
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

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const engine = await initEngine({ backend: opts.backend, quiet: true });
  console.error(`bench: ${engine.backend} — ${engine.reason}`);

  const model = buildModel(opts.imageSize);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: "binaryCrossentropy" });
  const { xs, ys } = randomBatch(opts.imageSize, opts.batch);
  const trainStep = () => model.trainOnBatch(xs, ys);
  const predict = async () => {
    const out = model.predict(xs) as tf.Tensor;
    await out.data();
    out.dispose();
  };

  const warmupMs = await timed(trainStep);
  console.error(`bench: warm-up step ${round1(warmupMs)} ms`);
  const stepMs: number[] = [];
  const stepCpuMs: number[] = [];
  for (let i = 0; i < opts.steps; i++) {
    stepMs.push(await timed(trainStep, stepCpuMs));
    console.error(`bench: step ${i + 1}/${opts.steps}: ${round1(stepMs[i])} ms (CPU ${round1(stepCpuMs[i])} ms)`);
  }
  await timed(predict);
  const predictMs: number[] = [];
  for (let i = 0; i < 3; i++) predictMs.push(await timed(predict));

  if (opts.profile) {
    const { kernels } = await timeKernels(tf.getBackend(), trainStep);
    const total = kernels.reduce((s, k) => s + k.exclusiveCpuMs, 0);
    console.error(`bench: kernels of one training step (exclusive CPU ms, total ${round1(total)}; wall ms beside):`);
    for (const k of kernels.slice(0, 25)) {
      console.error(`  ${k.kernel.padEnd(36)} ${round1(k.exclusiveCpuMs).toString().padStart(8)} cpu ms ` +
        `${round1(k.exclusiveMs).toString().padStart(8)} wall ms ${String(k.calls).padStart(4)} calls`);
    }
  }

  let leak: Record<string, number> | undefined;
  if (opts.leakSteps > 0) {
    const tensorsBefore = tf.memory().numTensors;
    const rssBefore = rssMb();
    for (let i = 0; i < opts.leakSteps; i++) await trainStep();
    leak = { steps: opts.leakSteps, tensorsBefore, tensorsAfter: tf.memory().numTensors, rssMbBefore: rssBefore, rssMbAfter: rssMb() };
  }

  const trainStepMs = median(stepMs);
  const result: Record<string, unknown> = {
    engine: "tfjs",
    backend: engine.backend,
    imageSize: opts.imageSize,
    batch: opts.batch,
    steps: opts.steps,
    trainStepMs: round1(trainStepMs),
    // CPU time of this process per step: a check on trainStepMs when other programs load the machine
    trainStepCpuMs: round1(median(stepCpuMs)),
    predictMs: round1(median(predictMs)),
    trainImgPerSec: Math.round((opts.batch * 1000 / trainStepMs) * 100) / 100,
    peakRssMb: peakRssMb(),
    loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100,
    params: model.countParams(),
  };
  if (leak) result.leak = leak;
  model.dispose();
  xs.dispose();
  ys.dispose();

  if (opts.torch) {
    const torch = runTorch(opts); // after ours, so the two never compete for the cores
    result.pytorch = torch;
    if ("trainStepMs" in torch) result.ratio = Math.round((trainStepMs / torch.trainStepMs) * 100) / 100;
  }
  console.log(JSON.stringify(result));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
