// npm run notebooks [-- [paths...] [--solutions|--students] [--jobs N] [--cell-timeout S] [--total-timeout S]]
//
// Executes course notebooks headless, each in a fresh tslab kernel, and writes the
// executed copies to .cache/executed/<folder>/ (an ignored folder). Exits non-zero
// naming the notebook, the cell index and the error when any cell fails.
// The runner itself is tools/notebooks/run.ts.
import * as fs from "fs";
import * as path from "path";
import { cacheDir, projectRoot } from "../lib/common/config";
import { describeFailure } from "../tools/notebooks/execute";
import { findJupyterPython, JUPYTER_MISSING_HELP } from "../tools/notebooks/jupyter";
import { staleUserKernel } from "../tools/notebooks/kernel-spec";
import { courseNotebooks, RunOptions, runNotebooks } from "../tools/notebooks/run";

function parseArgs(argv: string[]): { paths: string[]; which: "all" | "solutions" | "students"; opts: RunOptions } {
  const opts: RunOptions = { jobs: 2, cellTimeoutSec: 600, totalTimeoutSec: 3600, outDir: cacheDir("executed"), log: (l) => console.log(l) };
  let which: "all" | "solutions" | "students" = "all";
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${a} needs a positive number`);
      return v;
    };
    if (a === "--solutions") which = "solutions";
    else if (a === "--students") which = "students";
    else if (a === "--jobs") opts.jobs = num();
    else if (a === "--cell-timeout") opts.cellTimeoutSec = num();
    else if (a === "--total-timeout") opts.totalTimeoutSec = num();
    else if (a === "--out") opts.outDir = path.resolve(argv[++i]);
    else if (a === "--help" || a === "-h") {
      console.log("usage: npm run notebooks -- [notebook.ipynb ...] [--solutions|--students] [--jobs 2] [--cell-timeout 600] [--total-timeout 3600] [--out .cache/executed]");
      process.exit(0);
    } else if (a.startsWith("--")) throw new Error(`unknown option ${a} (see --help)`);
    else paths.push(path.resolve(a));
  }
  return { paths, which, opts };
}

async function main(): Promise<void> {
  const { paths, which, opts } = parseArgs(process.argv.slice(2));
  if (!findJupyterPython()) {
    console.error(JUPYTER_MISSING_HELP);
    process.exit(2);
  }
  // The runs use this checkout's own kernel spec; JupyterLab uses the user's, so say if it is stale.
  const stale = staleUserKernel(findJupyterPython()!.python);
  if (stale) console.log(`note (for JupyterLab; these runs use .cache/jupyter): ${stale}`);
  const notebooks = paths.length ? paths : courseNotebooks(which);
  for (const nb of notebooks) if (!fs.existsSync(nb)) throw new Error(`no such notebook: ${nb}`);
  const started = Date.now();
  const runs = await runNotebooks(notebooks, opts);
  const failed = runs.filter((r) => !r.result.ok);
  console.log(`\n${runs.length - failed.length}/${runs.length} notebooks ran without errors in ${((Date.now() - started) / 1000).toFixed(1)} s; executed copies in ${path.relative(process.cwd(), opts.outDir) || "."}`);
  for (const f of failed) console.error(`FAILED ${describeFailure(path.relative(projectRoot(), f.notebook), f.result)}`);
  process.exit(failed.length ? 1 : 0);
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(err.message);
    process.exit(2);
  });
}
