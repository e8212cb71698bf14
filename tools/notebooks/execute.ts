// Runs a notebook headless in a fresh tslab kernel (one per call) through
// nbclient, with a per-cell and a total timeout, and says precisely what went wrong.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../../lib/common/config";
import { findJupyterPython, JUPYTER_MISSING_HELP } from "./jupyter";
import { KERNEL_NAME, withCheckoutKernel } from "./kernel-spec";
import { sandboxInit, untilSandboxGone, withInfoPipe } from "./sandbox-end";

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
  /**
   * Runs the runner through another command (the grader's sandbox): gets the Python and
   * the runner's arguments, returns what to spawn. The runner then reports on its stdout
   * (`--result-to-stdout`) instead of writing files the student's code could reach.
   */
  launch?: (python: string, runnerArgs: string[]) => Launch;
  /** Kills the run when aborted (the grader's Ctrl-C). */
  signal?: AbortSignal;
}

/** What to spawn instead of `python nbexec.py ...`. */
export interface Launch {
  command: string;
  args: string[];
  /** The whole environment (nothing of the instructor's is passed on). */
  env: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
  /** bwrap's --info-fd: the run ends when the sandbox's PID 1 is gone, not only the process spawned (sandbox-end.ts). */
  infoFd?: number;
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

export interface RawStatus {
  errors: CellError[];
  timedOut: ExecutionResult["timedOut"];
  kernelDied: ExecutionResult["kernelDied"];
  startupError: string | null;
  cellsRun: number;
  cellSeconds: [number, number][];
  seconds: number;
}

/** Largest report a sandboxed runner may print (an executed notebook with its outputs). */
const MAX_RESULT_BYTES = 512 * 1024 * 1024;

interface RunnerExit { code: number | null; stdout: Buffer; stderrTail: string }

/** Spawns the runner, keeps its stdout (when asked) and the tail of its stderr. */
function spawnRunner(launch: Launch, signal: AbortSignal | undefined, keepStdout: boolean, killAfterSec: number): Promise<RunnerExit> {
  const stderr: string[] = [];
  const stdout: Buffer[] = [];
  let stdoutBytes = 0;
  return new Promise<RunnerExit>((resolve) => {
    const stdio = withInfoPipe(["ignore", keepStdout ? "pipe" : "ignore", "pipe"], launch.infoFd);
    const child = spawn(launch.command, launch.args, { env: launch.env, uid: launch.uid, gid: launch.gid, signal, killSignal: "SIGKILL", stdio });
    const init = sandboxInit(child, launch.infoFd);
    child.stderr?.on("data", (d: Buffer) => { stderr.push(d.toString()); if (stderr.length > 200) stderr.shift(); });
    child.stdout?.on("data", (d: Buffer) => {
      stdoutBytes += d.length;
      if (stdoutBytes <= MAX_RESULT_BYTES) stdout.push(d);
    });
    // Last resort if nbclient itself hangs: the total timeout plus a minute of grace.
    const killer = setTimeout(() => child.kill("SIGKILL"), killAfterSec * 1000);
    const done = (code: number | null): void => {
      clearTimeout(killer);
      void init.then(untilSandboxGone).then(() => resolve({ code, stdout: Buffer.concat(stdout), stderrTail: stderr.join("") }));
    };
    child.on("close", done);
    child.on("error", (err) => { stderr.push(String(err)); done(null); });
  });
}

function stderrSummary(text: string): string {
  return text.split("\n").filter((l) => l.trim() && !l.includes("Debugger warning") && !l.includes("frozen modules") && !l.includes("PYDEVD")).slice(-15).join("\n");
}

/** The status of a run: from the status file, or from the runner's stdout when it was launched with `--result-to-stdout`. */
function readStatus(exit: RunnerExit, statusFile: string, output: string, fromStdout: boolean): RawStatus | null {
  try {
    if (!fromStdout) return JSON.parse(fs.readFileSync(statusFile, "utf8")) as RawStatus;
    const result = JSON.parse(exit.stdout.toString("utf8")) as { status: RawStatus; notebook: string };
    fs.writeFileSync(output, result.notebook);
    return result.status;
  } catch {
    return null;
  }
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
  if (opts.launch) args.push("--result-to-stdout");
  const launch: Launch = opts.launch ? opts.launch(py.python, args) : { command: py.python, args, env };
  const started = Date.now();
  const exit = await spawnRunner(launch, opts.signal, !!opts.launch, totalTimeout + 60);
  const status = readStatus(exit, statusFile, output, !!opts.launch);
  fs.rmSync(path.dirname(statusFile), { recursive: true, force: true });
  if (!status) {
    return { ok: false, ...empty, seconds: (Date.now() - started) / 1000,
      startupError: `the notebook runner stopped without a status (exit ${String(exit.code)}):\n${stderrSummary(exit.stderrTail)}` };
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
