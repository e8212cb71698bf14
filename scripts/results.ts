// npm run results -- --run DIR [--out DIR] [--name full]
//
// Turns a run of `npm run train` into committed data: docs/results/<name>-<date>.json with
// its curves and confusion matrix as SVG, and prints the comparison with the Keras example.
// Works on a run still going or stopped (from its last checkpoint, marked partial).
import * as path from "path";
import { runResults, writeRunResults } from "../tools/results/full-run";
import { fullRunBlock, replaceReadmeBlock } from "../tools/results/readme";
import { formatComparison, resultsDir } from "../lib/pneumonia/training/results";

const USAGE = "usage: npm run results -- --run DIR [--out DIR (default docs/results)] [--name full]";

function parseArgs(argv: string[]): { run: string; out: string; name: string } {
  let run: string | null = null, out = resultsDir(), name = "full";
  for (let i = 0; i < argv.length; i++) {
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value\n${USAGE}`);
      return v;
    };
    if (argv[i] === "--run") run = path.resolve(next());
    else if (argv[i] === "--out") out = path.resolve(next());
    else if (argv[i] === "--name") name = next();
    else throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
  }
  if (!run) throw new Error(`--run is required\n${USAGE}`);
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`--name "${name}": use lowercase letters, digits and "-"`);
  return { run, out, name };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
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

try {
  main();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
