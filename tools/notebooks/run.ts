// Executes course notebooks headless, each in a fresh tslab kernel, `jobs` at a time, and
// writes the executed copies to .cache/executed/<folder>/ (an ignored folder) with a
// <name>.status.json beside each (source sha256, ok, seconds, failure). Used by
// `npm run notebooks` (scripts/run-notebooks.ts), the site builder and the notebook tests.
import * as fs from "fs";
import * as path from "path";
import { cacheDir, projectRoot } from "../../lib/common/config";
import { sha256File } from "../common/hash";
import { describeFailure, executeNotebook, ExecutionResult } from "./execute";

export interface RunOptions {
  jobs: number;
  cellTimeoutSec: number;
  totalTimeoutSec: number;
  outDir: string;
  log: (line: string) => void;
}

export interface NotebookRun { notebook: string; executed: string; result: ExecutionResult }

/** notebooks/*.ipynb and solutions/*.ipynb of the repository, in course order. */
export function courseNotebooks(which: "all" | "solutions" | "students" = "all"): string[] {
  const root = projectRoot();
  const folders = which === "all" ? ["solutions", "notebooks"] : [which === "solutions" ? "solutions" : "notebooks"];
  return folders.flatMap((f) => {
    const dir = path.join(root, f);
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir).filter((n) => n.endsWith(".ipynb")).sort().map((n) => path.join(dir, n));
  });
}

/** Where the executed copy of a notebook goes: .cache/executed/<folder>/<name>. */
export function executedPath(notebook: string, outDir = cacheDir("executed")): string {
  return path.join(outDir, path.basename(path.dirname(notebook)), path.basename(notebook));
}

/** What the runner records beside an executed copy (<name>.status.json). */
export interface RunStatus { source?: string; sourceSha256?: string; ok?: boolean; seconds?: number; failure?: string | null; executedAt?: string }

function statusPath(executed: string): string {
  return executed.replace(/\.ipynb$/, ".status.json");
}

/** The status beside an executed copy, or null when there is none (or it is unreadable). */
export function readRunStatus(executed: string): RunStatus | null {
  try {
    return JSON.parse(fs.readFileSync(statusPath(executed), "utf8")) as RunStatus;
  } catch {
    return null;
  }
}

/**
 * True when a notebook must run (again): `fresh`, no executed copy or status, a changed source,
 * or a last run that failed (it may have failed for a reason outside the notebook: data, kernel).
 */
export function needsRun(source: string, executed: string, status: RunStatus | null, fresh: boolean): boolean {
  return fresh || !fs.existsSync(executed) || !status || status.ok !== true || status.sourceSha256 !== sha256File(source);
}

/** Runs the notebooks, `jobs` at a time (tslab's wasm engine uses one core each). */
export async function runNotebooks(notebooks: string[], opts: RunOptions): Promise<NotebookRun[]> {
  const queue = notebooks.slice();
  const runs: NotebookRun[] = [];
  const worker = async (): Promise<void> => {
    for (let nb = queue.shift(); nb !== undefined; nb = queue.shift()) {
      const executed = executedPath(nb, opts.outDir);
      const rel = path.relative(projectRoot(), nb);
      opts.log(`▶ ${rel}`);
      const result = await executeNotebook(nb, executed, {
        cwd: path.dirname(nb), cellTimeoutSec: opts.cellTimeoutSec, totalTimeoutSec: opts.totalTimeoutSec,
      });
      const slowest = [...result.cellSeconds].sort((a, b) => b[1] - a[1])[0];
      opts.log(`${result.ok ? "✔" : "✘"} ${rel}: ${result.seconds.toFixed(1)} s, ${result.cellsRun} cells` +
        (slowest ? ` (slowest: cell ${slowest[0]}, ${slowest[1].toFixed(1)} s)` : "") +
        (result.ok ? "" : `\n    ${describeFailure(rel, result)}`));
      const status: RunStatus = {
        source: rel, sourceSha256: sha256File(nb), ok: result.ok, seconds: result.seconds,
        executedAt: new Date().toISOString(), failure: result.ok ? null : describeFailure(rel, result),
      };
      fs.writeFileSync(statusPath(executed), JSON.stringify(status, null, 1) + "\n");
      runs.push({ notebook: nb, executed, result });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.jobs) }, worker));
  return runs;
}
