// npm run train -- --preset full|classroom|smoke [--resume] [--out DIR] [--data DIR]
//
// The pneumonia example outside Jupyter: same data, model and training as
// solutions/09-pneumonia.ipynb, with a progress bar per epoch, checkpoints in DIR/best and
// DIR/last, and DIR/report.json (history and test metrics). Ctrl-C stops after the current
// step (checkpoints are written atomically, never half-written); --resume continues from
// DIR/last.
import * as path from "path";
import { getPreset, PRESETS } from "../lib/pneumonia/training/presets";
import { defaultRunDir, runPneumoniaTraining } from "../lib/pneumonia/training/pipeline";

interface Args { preset: string; resume: boolean; out?: string; data?: string }

const USAGE = `usage: npm run train -- --preset ${Object.keys(PRESETS).join("|")} [--resume] [--out DIR] [--data DIR]
  --preset   full: the Keras settings (180x180, batch 25, up to 100 epochs, early stopping)
             classroom: the notebook default; smoke: a quick end-to-end check
  --resume   continue from DIR/last (weights, optimizer state, epoch count, history)
  --out      checkpoints and report.json (default .cache/runs/<preset>)
  --data     chest X-ray folder (default: CNN_COURSE_DATA, else .cache/data/chest_xray)`;

export function parseTrainArgs(argv: string[]): Args {
  const args: Args = { preset: "classroom", resume: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === "--preset") args.preset = value();
    else if (a.startsWith("--preset=")) args.preset = a.slice("--preset=".length);
    else if (a === "--resume") args.resume = true;
    else if (a === "--out") args.out = path.resolve(value());
    else if (a === "--data") args.data = path.resolve(value());
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  getPreset(args.preset);
  return args;
}

async function main(): Promise<void> {
  const args = parseTrainArgs(process.argv.slice(2));
  const preset = getPreset(args.preset);
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
