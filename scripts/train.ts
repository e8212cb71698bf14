// npm run train -- --preset full|classroom|smoke|sample [--resume] [--out DIR] [--data DIR]
//                  [--seeds 1-5] [--image-size N] [--epochs N] [--lr X] [--warmup STEPS]
//
// The pneumonia example outside Jupyter: same data, model and training as
// solutions/09-pneumonia.ipynb, with a progress bar per epoch, checkpoints in DIR/best and
// DIR/last, and DIR/report.json (history and test metrics). Ctrl-C stops after the current
// step (checkpoints are written atomically, never half-written); --resume continues from
// DIR/last.
import * as path from "path";
import { projectRoot } from "../lib/common/config";
import { getPreset, PresetOverrides, PRESETS, TrainingPreset, withOverrides } from "../lib/pneumonia/training/presets";
import { defaultRunDir, runPneumoniaTraining } from "../lib/pneumonia/training/pipeline";
import { parseSeeds, runSeeds } from "../tools/results/seeds";
import { formatSeedTable } from "../lib/pneumonia/training/seed-table";
import { replaceReadmeBlock, seedTableBlock, variantsBlock } from "../tools/results/readme";
import { finiteNumber, oneOf, OptionValues, readOptions, UsageError } from "./cli";

interface Args { preset: string; resume: boolean; out?: string; data?: string; seeds?: number[]; table?: string; overrides: PresetOverrides }

const USAGE = `usage: npm run train -- --preset ${Object.keys(PRESETS).join("|")} [--resume] [--out DIR] [--data DIR]
  --preset   full: the Keras settings (180x180, batch 25, up to 100 epochs, early stopping)
             classroom: the notebook default; smoke: a quick end-to-end check
  --resume   continue from DIR/last (weights, optimizer state, epoch count, history)
  --out      checkpoints and report.json (default .cache/runs/<preset>)
  --data     chest X-ray folder (default: CNN_COURSE_DATA, else .cache/data/chest_xray, else data/chest-xray-sample)
  --seeds    run once per seed (1-5, 1,2,3), print the table of test metrics and write it to
             docs/results/<preset>[-<changes>]-seeds-<date>.json (or --table FILE)
  --replicas sync|replica
             with several threads: BatchNorm statistics and dropout masks of the whole batch
             (sync, default: the same training on any number of cores) or of each thread's
             slice (replica, as Keras on 8 TPU replicas)
  --split image|patient
             how training and validation are cut: by image (Keras' split, default) or by patient
             (Kermany's personN_/IM-N names: no child in both)
  --head flatten|gap
             the model's head: Keras' Flatten -> Dense 512/128/64 (default) or
             GlobalAveragePooling2D -> Dense(1) (a named deviation)
  --image-size N, --epochs N, --patience N, --batch-size N, --lr X, --warmup STEPS,
  --recompute-bn IMAGES (BatchNorm statistics recomputed after each epoch on IMAGES training images; 0: Keras' moving averages)
             change the preset (experiments; recorded in the report and the table's name)`;

const TRAIN_OPTIONS = {
  preset: { type: "string" }, resume: { type: "boolean" }, out: { type: "string" }, data: { type: "string" },
  seeds: { type: "string" }, table: { type: "string" }, "image-size": { type: "string" }, epochs: { type: "string" },
  patience: { type: "string" }, "batch-size": { type: "string" }, replicas: { type: "string" }, split: { type: "string" },
  head: { type: "string" }, lr: { type: "string" }, warmup: { type: "string" }, "recompute-bn": { type: "string" },
} as const;

/** The preset changes given on the command line (numbers checked by the preset itself). */
function readOverrides(o: OptionValues<typeof TRAIN_OPTIONS>): PresetOverrides {
  const overrides: PresetOverrides = {};
  const num = (flag: string, v: string): number => finiteNumber(flag, v, USAGE);
  if (o["image-size"] !== undefined) overrides.imageSize = num("--image-size", o["image-size"]);
  if (o.epochs !== undefined) overrides.epochs = num("--epochs", o.epochs);
  if (o.patience !== undefined) overrides.patience = num("--patience", o.patience);
  if (o["batch-size"] !== undefined) overrides.batchSize = num("--batch-size", o["batch-size"]);
  if (o.replicas !== undefined) overrides.replicaMode = oneOf("--replicas", o.replicas, ["sync", "replica"] as const, USAGE);
  if (o.split !== undefined) overrides.split = oneOf("--split", o.split, ["image", "patient"] as const, USAGE);
  if (o.head !== undefined) overrides.head = oneOf("--head", o.head, ["flatten", "gap"] as const, USAGE);
  if (o.lr !== undefined) overrides.learningRate = num("--lr", o.lr);
  if (o.warmup !== undefined) overrides.warmupSteps = num("--warmup", o.warmup);
  if (o["recompute-bn"] !== undefined) overrides.recomputeBatchNormImages = num("--recompute-bn", o["recompute-bn"]);
  return overrides;
}

export function parseTrainArgs(argv: string[]): Args {
  const o = readOptions(argv, TRAIN_OPTIONS, USAGE);
  const args: Args = { preset: o.preset ?? "classroom", resume: o.resume ?? false, overrides: readOverrides(o) };
  if (o.out !== undefined) args.out = path.resolve(o.out);
  if (o.data !== undefined) args.data = path.resolve(o.data);
  if (o.seeds !== undefined) args.seeds = parseSeeds(o.seeds);
  if (o.table !== undefined) args.table = path.resolve(o.table);
  withOverrides(getPreset(args.preset), args.overrides);
  if (args.seeds && args.resume) throw new UsageError(`--seeds and --resume cannot be combined\n${USAGE}`);
  return args;
}

/** "64px-lr0.005-warm200" for the changed settings, "" for the preset as it is. */
export function overridesTag(o: PresetOverrides): string {
  return [
    o.imageSize !== undefined ? `${o.imageSize}px` : "", o.epochs !== undefined ? `${o.epochs}ep` : "", o.patience !== undefined ? `pat${o.patience}` : "",
    o.batchSize !== undefined ? `batch${o.batchSize}` : "", o.replicaMode === "replica" ? "perreplica" : "",
    o.learningRate !== undefined ? `lr${o.learningRate}` : "", o.warmupSteps !== undefined ? `warm${o.warmupSteps}` : "",
    o.recomputeBatchNormImages !== undefined ? `bn${o.recomputeBatchNormImages}` : "",
    o.head === "gap" ? "gap" : "", o.split === "patient" ? "patient" : "",
  ].filter(Boolean).join("-");
}

async function mainSeeds(args: Args, preset: TrainingPreset, seeds: number[]): Promise<void> {
  const tag = overridesTag(args.overrides), date = new Date().toISOString().slice(0, 10);
  const tableFile = args.table ?? path.join(projectRoot(), "docs", "results", `${preset.name}${tag ? `-${tag}` : ""}-seeds-${date}.json`);
  const outDir = args.out ?? defaultRunDir(preset) + (tag ? `-${tag}` : "") + "-seeds";
  const command = `npm run train -- ${process.argv.slice(2).join(" ")}`;
  console.log(`Seeds ${seeds.join(", ")}; runs in ${outDir}; table: ${tableFile}`);
  const table = await runSeeds(preset, seeds, {
    outDir, dataDir: args.data, command, tableFile,
    onSeedEnd: (row) => console.log(`seed ${row.seed}: accuracy ${row.accuracy.toFixed(3)}, precision ${row.precision.toFixed(3)}, ` +
      `recall ${row.recall.toFixed(3)}` + (row.screening ? `; at the validation threshold ${row.screening.threshold.toFixed(4)} (recall >= 0.95): ` +
      `test precision ${row.screening.test.precision.toFixed(3)}, recall ${row.screening.test.recall.toFixed(3)}` : "") + ` in ${row.seconds.toFixed(0)} s (CPU ${row.cpuSeconds?.toFixed(0) ?? "?"} s)${row.reused ? " [reused]" : ""}${row.meetsTarget ? "" : " (outside the target)"}`),
  });
  console.log(`\n${formatSeedTable(table)}\n`);
  console.log(table.allMeetTarget ? "Every seed meets the target." : "Not every seed meets the target (recall >= 0.95, accuracy >= 0.75, <= 10 min of CPU).");
  console.log(`Table: ${tableFile}`);
  // The README shows the table of the classroom preset as it is, for seeds 1-5 (no other run replaces it).
  if (preset.name === "classroom" && !tag && !args.table && seeds.join(",") === "1,2,3,4,5") {
    replaceReadmeBlock("classroom", seedTableBlock(table, tableFile));
    console.log("Updated the README's classroom section.");
  }
  // The four tables side by side (the Keras model and GAP, each split) after any classroom run of seeds 1-5 without other changes.
  if (preset.name === "classroom" && ["", "patient", "gap", "gap-patient"].includes(tag) && !args.table && seeds.join(",") === "1,2,3,4,5") {
    replaceReadmeBlock("variants", variantsBlock());
    console.log("Updated the README's variants section.");
  }
}

async function main(): Promise<void> {
  const args = parseTrainArgs(process.argv.slice(2));
  const preset = withOverrides(getPreset(args.preset), args.overrides);
  if (args.seeds) return mainSeeds(args, preset, args.seeds);
  const outDir = args.out ?? defaultRunDir(preset);
  let stopRequested = false;
  process.on("SIGINT", () => {
    if (stopRequested) {
      console.error("\nSecond Ctrl-C: exiting now (the last complete checkpoint is kept).");
      process.exit(130);
    }
    stopRequested = true;
    console.error("\nCtrl-C: stopping after the current step (Ctrl-C again to exit at once)...");
  });
  console.log(`Preset ${preset.name}: ${preset.why}`);
  console.log(`Checkpoints and report: ${outDir}${args.resume ? " (resuming)" : ""}`);
  const report = await runPneumoniaTraining(preset, { outDir, resume: args.resume, dataDir: args.data, shouldStop: () => stopRequested });
  const f = (v: number): string => v.toFixed(4);
  console.log(`\n${report.epochsRun} epoch(s) run in ${report.seconds.training.toFixed(0)} s` +
    (report.resumedFromEpoch ? ` after resuming at epoch ${report.resumedFromEpoch}` : "") +
    `; best val_loss at epoch ${report.bestEpoch}${report.stoppedEarly ? " (early stopping)" : ""}.`);
  if (report.test) {
    const t = report.test;
    console.log(`Test: loss ${f(t.loss)} - accuracy ${f(t.accuracy)} - precision ${f(t.precision)} - recall ${f(t.recall)}`);
    console.log(`Confusion matrix (rows true NORMAL/PNEUMONIA, columns predicted): ${JSON.stringify(t.confusionMatrix)}`);
  }
  console.log(`Total ${report.seconds.total.toFixed(0)} s (data ${report.seconds.data.toFixed(0)} s). Report: ${path.join(outDir, "report.json")}`);
  if (report.interrupted) {
    console.log(`Interrupted: continue with npm run train -- --preset ${preset.name} --resume${args.out ? ` --out ${args.out}` : ""}`);
    process.exit(130);
  }
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
}
