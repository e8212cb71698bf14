// npm run bench [-- --image-size 180 --batch 25 --steps 5 [--backend wasm|cpu|tensorflow] [--threads N]
//                  [--replicas sync|replica] [--no-torch] [--torch-script PATH] [--profile] [--profile-shapes] [--leak-steps N]]
//
// Trains the Keras pneumonia architecture on random data (after one warm-up step) with the same
// step as trainModel (data-parallel on every core; CNN_COURSE_THREADS or --threads to choose) and
// prints one JSON line: backend, threads, image size, batch, median train-step ms, cpuUtilization
// (process CPU time / wall time over the timed steps), median predict ms, the convolution kernels
// (Winograd, relaxed SIMD, Winograd calls per step), the step's GFLOP and GFLOP/s, the 16→16
// convolution's ms and GFLOP/s (tools/bench/flops.ts), training images per
// second, peak RSS (the whole process, workers included). When /usr/bin/python3 can import torch, it then runs the PyTorch
// reference with the same settings and adds its figures and the ratio (ours / PyTorch).
// --profile prints the slowest kernels of one step to stderr (--profile-shapes: per input shapes; 25 rows,
// BENCH_PROFILE_ROWS=N for N);
// --leak-steps N trains N more steps
// and reports tensor count and RSS growth. The benchmark itself is tools/bench/train-step.ts.
import * as path from "path";
import { parseArgs } from "util";
import { projectRoot } from "../lib/common/config";
import { EngineBackend } from "cnn-course-engine";
import { BenchOptions, benchTrainStep } from "../tools/bench/train-step";
import { ReplicaMode } from "cnn-course-engine/dist/parallel/replica-mode";

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
      "profile-shapes": { type: "boolean" },
      "leak-steps": { type: "string" },
      threads: { type: "string" },
      replicas: { type: "string" },
    },
  });
  const backend = values.backend;
  if (backend != null && !["wasm", "cpu", "tensorflow"].includes(backend)) {
    throw new Error(`--backend must be wasm, cpu or tensorflow, got '${backend}'.`);
  }
  const replicas = values.replicas;
  if (replicas != null && replicas !== "sync" && replicas !== "replica") throw new Error(`--replicas must be sync or replica, got '${replicas}'.`);
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
    profileShapes: values["profile-shapes"] ?? false,
    leakSteps: values["leak-steps"] == null ? 0 : positiveInt("leak-steps", values["leak-steps"], 0),
    threads: values.threads == null ? undefined : positiveInt("threads", values.threads, 1),
    replicaMode: replicas as ReplicaMode | undefined,
  };
}

benchTrainStep(parseOptions(process.argv.slice(2)))
  .then((result) => console.log(JSON.stringify(result)))
  .catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
