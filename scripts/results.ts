// npm run results -- --run DIR [--out DIR] [--name full]
// npm run results -- --run DIR --test-best [--data DIR]
//
// Turns a run of `npm run train` into committed data: docs/results/<name>-<date>.json with
// its curves and confusion matrix as SVG, and prints the comparison with the Keras example.
// Works on a run still going or stopped (from its last checkpoint, marked partial).
// --test-best only prints the test metrics of the run's best checkpoint so far (writes nothing).
import * as path from "path";
import { runResults, writeRunResults } from "../tools/results/full-run";
import { fullRunBlock, replaceReadmeBlock } from "../tools/results/readme";
import { testBestCheckpoint } from "../tools/results/test-best";
import { formatComparison, resultsDir } from "../lib/pneumonia/training/results";

const USAGE = "usage: npm run results -- --run DIR [--out DIR (default docs/results)] [--name full]\n" +
  "       npm run results -- --run DIR --test-best [--data DIR]";

interface Args { run: string; out: string; name: string; testBest: boolean; data?: string }

function parseArgs(argv: string[]): Args {
  let run: string | null = null, out = resultsDir(), name = "full", testBest = false, data: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value\n${USAGE}`);
      return v;
    };
    if (argv[i] === "--run") run = path.resolve(next());
    else if (argv[i] === "--out") out = path.resolve(next());
    else if (argv[i] === "--name") name = next();
    else if (argv[i] === "--test-best") testBest = true;
    else if (argv[i] === "--data") data = path.resolve(next());
    else throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
  }
  if (!run) throw new Error(`--run is required\n${USAGE}`);
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`--name "${name}": use lowercase letters, digits and "-"`);
  return { run, out, name, testBest, data };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.testBest) {
    const t = await testBestCheckpoint(args.run, args.data);
    console.log(`Best checkpoint so far (epoch ${t.bestEpoch}) on test: accuracy ${t.accuracy.toFixed(3)}, precision ${t.precision.toFixed(3)}, ` +
      `recall ${t.recall.toFixed(3)}, loss ${t.loss.toFixed(4)}; confusion [[TN, FP], [FN, TP]] ${JSON.stringify(t.confusionMatrix)} (not written)`);
    return;
  }
  const results = runResults(args.run, `npm run results -- ${process.argv.slice(2).join(" ")}`);
  const written = writeRunResults(results, args.out, args.name);
  console.log(`${results.status === "complete" ? "Complete" : "Partial"} run: ${results.statusText}`);
  console.log(formatComparison(results));
  console.log(`Wrote ${[written.json, written.curves, written.confusion].filter(Boolean).join(", ")}`);
  if (args.out === resultsDir() && args.name === "full") {
    replaceReadmeBlock("full", fullRunBlock(results, written));
    console.log("Updated the README's full-run section.");
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
