// Runs a notebook headless in a fresh tslab kernel (one per call) through
// nbclient, with a per-cell and a total timeout, and says precisely what went wrong.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../../lib/common/config";
import { findJupyterPython, JUPYTER_MISSING_HELP } from "./jupyter";
import { KERNEL_NAME, withCheckoutKernel } from "./kernel-spec";

export interface ExecuteOptions {
  /** Working directory of the kernel (default: the input notebook's folder). */
  cwd?: string;
  cellTimeoutSec?: number;
  totalTimeoutSec?: number;
  /** Keep going after a cell error (the grader); default false (stop at the first). */
  allowErrors?: boolean;
  /** Extra environment for the kernel. */
  env?: NodeJS.ProcessEnv;
  kernel?: string;
}

export interface CellError { cellIndex: number; cellId?: string; ename: string; evalue: string }

export interface ExecutionResult {
  ok: boolean;
  output: string;
  errors: CellError[];
  timedOut: { cellIndex: number; kind: "cell" | "total"; seconds: number } | null;
  kernelDied: { cellIndex: number | null; message: string } | null;
  /** The kernel or Jupyter could not start (message says what to install). */
  startupError: string | null;
  cellsRun: number;
  /** [cell index, seconds] for each executed code cell. */
  cellSeconds: [number, number][];
  seconds: number;
}

interface RawStatus {
  errors: CellError[];
  timedOut: ExecutionResult["timedOut"];
  kernelDied: ExecutionResult["kernelDied"];
  startupError: string | null;
  cellsRun: number;
  cellSeconds: [number, number][];
  seconds: number;
}

/** Executes `input` and writes the executed copy to `output` (also when it fails early). */
export async function executeNotebook(input: string, output: string, opts: ExecuteOptions = {}): Promise<ExecutionResult> {
  const py = findJupyterPython();
  const empty = { errors: [], timedOut: null, kernelDied: null, cellsRun: 0, cellSeconds: [], seconds: 0, output };
  if (!py) return { ok: false, startupError: JUPYTER_MISSING_HELP, ...empty };
  // tslab runs from this checkout's own spec, never from a per-user one that may point elsewhere.
  let env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  try {
    if ((opts.kernel ?? KERNEL_NAME) === KERNEL_NAME) env = withCheckoutKernel(env);
  } catch (err) {
    return { ok: false, startupError: (err as Error).message, ...empty };
  }
  const cellTimeout = opts.cellTimeoutSec ?? 600;
  const totalTimeout = opts.totalTimeoutSec ?? 3600;
  fs.mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
  const statusFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "nbexec-")), "status.json");
  const script = path.join(projectRoot(), "tools", "notebooks", "nbexec.py");
  const args = [script, path.resolve(input), path.resolve(output), statusFile,
    "--cwd", path.resolve(opts.cwd ?? path.dirname(input)), "--kernel", opts.kernel ?? "tslab",
    "--cell-timeout", String(cellTimeout), "--total-timeout", String(totalTimeout)];
  if (opts.allowErrors) args.push("--allow-errors");
  const started = Date.now();
  const stderr: string[] = [];
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(py.python, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    child.stderr.on("data", (d: Buffer) => { stderr.push(d.toString()); if (stderr.length > 200) stderr.shift(); });
    // Last resort if nbclient itself hangs: the total timeout plus a minute of grace.
    const killer = setTimeout(() => child.kill("SIGKILL"), (totalTimeout + 60) * 1000);
    child.on("close", (c) => { clearTimeout(killer); resolve(c); });
    child.on("error", () => { clearTimeout(killer); resolve(null); });
  });
  let status: RawStatus;
  try {
    status = JSON.parse(fs.readFileSync(statusFile, "utf8")) as RawStatus;
  } catch {
    const tail = stderr.join("").split("\n").filter((l) => l.trim() && !l.includes("Debugger warning") && !l.includes("frozen modules") && !l.includes("PYDEVD")).slice(-15).join("\n");
    return { ok: false, ...empty, seconds: (Date.now() - started) / 1000,
      startupError: `the notebook runner stopped without a status (exit ${String(code)}):\n${tail}` };
  } finally {
    fs.rmSync(path.dirname(statusFile), { recursive: true, force: true });
  }
  const ok = status.errors.length === 0 && !status.timedOut && !status.kernelDied && !status.startupError;
  return { ok, output, ...status };
}

/** One line in English saying why a run failed (notebook, cell index, error). */
export function describeFailure(notebook: string, r: ExecutionResult): string {
  if (r.startupError) return `${notebook}: could not run: ${r.startupError}`;
  if (r.timedOut) return `${notebook}: cell ${r.timedOut.cellIndex} hit the ${r.timedOut.kind} timeout (${r.timedOut.seconds} s)`;
  if (r.kernelDied) return `${notebook}: the kernel died at cell ${String(r.kernelDied.cellIndex)}: ${r.kernelDied.message}`;
  const e = r.errors[0];
  if (e) return `${notebook}: cell ${e.cellIndex}${e.cellId ? ` (id ${e.cellId})` : ""} failed: ${e.ename}: ${e.evalue.split("\n")[0]}`;
  return `${notebook}: ok`;
}
