// Runs notebooks without Jupyter: their code cells go, in order, to a Node process
// (cellrun.ts) that compiles and executes them with tslab's own converter and executor.
// Same options and result as executeNotebook (execute.ts): per-cell and total timeouts
// (this side kills the process), a process that dies is "kernelDied" at its cell, and
// errors are described from the cell's stderr as nbexec.py does for the kernel.
// A CellSession runs several notebooks (one student's) in one process, one after the other:
// the process starts once (TensorFlow.js, the course and TypeScript's declarations loaded), the
// runner resets between notebooks (cellreset.ts) or says it cannot, and a notebook that stops the
// process (timeout, death) or finds it unclean is run again in a fresh one before it is reported.
import { ChildProcess, spawn } from "child_process";
import * as ts from "typescript";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../lib/common/config";
import type { CellEvent, CellOutput } from "./cellrun";
import type { Scratch } from "./cellreset";
import type { CellError, ExecuteOptions, ExecutionResult, Launch } from "./execute";
import { Notebook, readNotebook, sourceText } from "./format";
import { sandboxInit, untilSandboxGone, withInfoPipe } from "./sandbox-end";

/** The error's name and message from a failed cell's outputs (the same rules as nbexec.py's describe_error). */
export function describeCellError(outputs: CellOutput[]): { ename: string; evalue: string } {
  const text = outputs.filter((o) => o.output_type === "stream" && o.name === "stderr").map((o) => o.text ?? "").join("");
  const lines = text.split("\n").filter((l) => l.trim());
  for (const l of lines) {
    const cut = l.indexOf(":");
    const head = cut < 0 ? l : l.slice(0, cut);
    if (head.endsWith("Error") || head.endsWith("Exception")) return { ename: head, evalue: (cut < 0 ? "" : l.slice(cut + 1).trim()).slice(0, 2000) };
  }
  if (lines.length && lines[0].includes(" - ")) return { ename: "TypeScriptError", evalue: lines.join("\n").slice(0, 2000) };
  return { ename: "Error", evalue: lines.slice(-5).join("\n").slice(0, 2000) };
}

/** The runner's files as plain JavaScript (TypeScript's transpileModule, once per process), by file name. */
let compiled: Map<string, string> | null = null;

/**
 * cellrun.ts and cellreset.ts as plain JavaScript, their packages required by absolute path: Node
 * starts them without tsx's loader, which costs about 1.3 s of every start (0.8 s vs 2.1 s to load
 * the course here).
 */
export function cellRunnerScripts(): Map<string, string> {
  if (compiled === null) {
    const modules = path.join(projectRoot(), "node_modules");
    compiled = new Map(["cellrun", "cellreset"].map((name) => {
      const source = fs.readFileSync(path.join(projectRoot(), "tools", "notebooks", `${name}.ts`), "utf8");
      const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
      return [`${name}.js`, js.replace(/require\("(tslab\/dist\/[a-z]+)"\)/g, (_m, id: string) => `require(${JSON.stringify(path.join(modules, id))})`)];
    }));
  }
  return compiled;
}

/** Writes the runner into `folder` (one the sandbox mounts); its script's path. */
export function writeCellRunner(folder: string): string {
  fs.mkdirSync(folder, { recursive: true });
  for (const [name, js] of cellRunnerScripts()) fs.writeFileSync(path.join(folder, name), js, { mode: 0o644 });
  return path.join(folder, "cellrun.js");
}

type Cells = { index: number; source: string }[];

/** True when a cell calls the course's initEngine(). */
export function callsInitEngine(source: string): boolean {
  return /\binitEngine\s*\(/.test(source);
}

export interface SessionOptions {
  /** What to spawn for `node <script> <config>` (the grader's sandbox); default: this Node. */
  launch?: (node: string, args: string[]) => Launch;
  env?: NodeJS.ProcessEnv;
  /** The runner's working folder. */
  cwd: string;
  /** Where the runner's script is written (a folder the sandbox mounts). */
  runnerDir: string;
  /** Folders emptied between notebooks (the sandbox's kernel folder and /tmp). */
  scratch?: Scratch[];
  /** A runner past this resident memory takes no further notebook. */
  maxRssMb?: number;
  /** Runs in the grader's sandbox (its own PID namespace: any process besides the runner is a notebook's). */
  sandboxed?: boolean;
  signal?: AbortSignal;
}

interface Progress { events: CellEvent[]; running: number | null }

/** One runner process: its events go to the notebook running now. */
class RunnerProcess {
  readonly done: Promise<{ code: number | null; stderr: string }>;
  notebooks = 0;
  private readonly child: ChildProcess;
  private listener: ((e: CellEvent) => void) | null = null;

  constructor(command: Launch, cwd: string, signal?: AbortSignal) {
    const stdio = withInfoPipe(["pipe", "ignore", "pipe", "pipe"], command.infoFd);
    this.child = spawn(command.command, command.args, { cwd, env: command.env, uid: command.uid, gid: command.gid, signal, killSignal: "SIGKILL", stdio });
    const init = sandboxInit(this.child, command.infoFd);
    this.child.stdin?.on("error", () => undefined); // the runner died: its exit says how
    const stderr: string[] = [];
    this.child.stderr?.on("data", (d: Buffer) => { stderr.push(d.toString()); if (stderr.length > 100) stderr.shift(); });
    let pending = "";
    (this.child.stdio[3] as NodeJS.ReadableStream).on("data", (d: Buffer) => {
      pending += d.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        try {
          this.listener?.(JSON.parse(line) as CellEvent);
        } catch {
          // not one of the runner's lines
        }
      }
    });
    // Done once whatever ran in the sandbox is gone too (sandbox-end.ts).
    this.done = new Promise((resolve) => {
      const ended = (code: number | null, text: string): void => { void init.then(untilSandboxGone).then(() => resolve({ code, stderr: text })); };
      this.child.on("close", (code) => ended(code, stderr.join("")));
      this.child.on("error", (err) => ended(null, String(err)));
    });
  }

  listen(listener: ((e: CellEvent) => void) | null): void {
    this.listener = listener;
  }

  send(message: object): void {
    this.child.stdin?.write(JSON.stringify(message) + "\n");
  }

  end(): void {
    this.child.stdin?.end();
  }

  kill(): void {
    this.child.kill("SIGKILL");
  }
}

/** How one notebook's run ended, before it becomes an ExecutionResult. */
interface RunEnd {
  progress: Progress;
  timedOut: ExecutionResult["timedOut"];
  /** The process ended before the notebook did (its exit code and stderr), or null. */
  exit: { code: number | null; stderr: string } | null;
  /** The runner found itself unclean for this notebook (the reasons), or null. */
  unclean: string[] | null;
  /** The notebook never got to its first cell. */
  notStarted: boolean;
}

/** Notebooks of one student, run one after the other in one runner process (a fresh one when needed). */
export class CellSession {
  /** Runner processes started, and why each one after the first was needed. */
  readonly starts: string[] = [];
  private runner: RunnerProcess | null = null;
  private nextStart = "first";

  constructor(private readonly opts: SessionOptions) {}

  /**
   * Runs the cells. An unclean runner, or a death in a process that ran other notebooks first, is
   * retried once in a fresh process (a cell timeout is not: an endless loop would cost twice the timeout).
   */
  async run(cells: Cells, cellTimeoutSec: number, totalTimeoutSec: number, engineCell: number | null = null): Promise<RunEnd> {
    const shared = this.runner !== null;
    const end = await this.runOnce(cells, cellTimeoutSec, totalTimeoutSec, engineCell);
    if (!shared || end.timedOut) return end;
    const why = end.unclean ? `unclean: ${end.unclean.join("; ")}` : end.exit ? `the shared process died (exit ${String(end.exit.code)})` : null;
    if (why === null) return end;
    this.stop(why);
    return this.runOnce(cells, cellTimeoutSec, totalTimeoutSec, engineCell);
  }

  /** Ends the runner (the notebooks are over). */
  async close(): Promise<void> {
    const runner = this.runner;
    this.runner = null;
    if (!runner) return;
    runner.end();
    const timer = setTimeout(() => runner.kill(), 10000);
    await runner.done;
    clearTimeout(timer);
  }

  private stop(why: string): void {
    this.runner?.kill();
    this.runner = null;
    this.nextStart = why;
  }

  private start(): RunnerProcess {
    const o = this.opts;
    const script = writeCellRunner(o.runnerDir);
    const args = [script, JSON.stringify({ scratch: o.scratch ?? [], maxRssMb: o.maxRssMb ?? 1536, sandboxed: o.sandboxed ?? false })];
    // The grader's sandbox launch wraps any command: here Node instead of Python.
    const launch: Launch = o.launch ? o.launch(process.execPath, args) : { command: process.execPath, args, env: { ...process.env, ...o.env } };
    this.starts.push(this.nextStart);
    return new RunnerProcess(launch, o.cwd, o.signal);
  }

  private async runOnce(cells: Cells, cellTimeoutSec: number, totalTimeoutSec: number, engineCell: number | null): Promise<RunEnd> {
    const runner = (this.runner ??= this.start());
    const number = runner.notebooks++;
    const progress: Progress = { events: [], running: null };
    const end: RunEnd = { progress, timedOut: null, exit: null, unclean: null, notStarted: true };
    let sent = 0;
    let over = false;
    let cellTimer: NodeJS.Timeout | undefined;
    const armCellTimer = (): void => {
      clearTimeout(cellTimer);
      cellTimer = setTimeout(() => { end.timedOut = { cellIndex: progress.running ?? -1, kind: "cell", seconds: cellTimeoutSec }; runner.kill(); }, cellTimeoutSec * 1000);
    };
    const finished = new Promise<void>((settle) => {
      const resolve = (): void => { over = true; settle(); };
      const sendNext = (): void => {
        if (sent < cells.length) runner.send(cells[sent++]);
        else resolve();
      };
      runner.listen((event) => {
        if (event.unclean !== undefined) {
          end.unclean = event.why ?? [];
          resolve();
          return;
        }
        if (event.ready !== undefined) {
          end.notStarted = false;
          sendNext();
          return;
        }
        progress.events.push(event);
        progress.running = event.start ?? null;
        if (event.start !== undefined) armCellTimer();
        if (event.done !== undefined) sendNext();
      });
      // The process ended before the notebook did (a later exit, once the session closes, is not this notebook's).
      void runner.done.then((exit) => { if (!over) { end.exit = exit; resolve(); } });
    });
    // Starting the process (or resetting it) must not hang either: the cell timeout applies.
    armCellTimer();
    const totalTimer = setTimeout(() => { end.timedOut ??= { cellIndex: progress.running ?? -1, kind: "total", seconds: totalTimeoutSec }; runner.kill(); }, totalTimeoutSec * 1000);
    runner.send({ notebook: number, engineCell });
    await finished;
    clearTimeout(cellTimer);
    clearTimeout(totalTimer);
    runner.listen(null);
    if (end.timedOut || end.exit || end.unclean) {
      if (end.exit === null) end.exit = await runnerExit(runner);
      if (this.runner === runner) {
        this.runner = null;
        this.nextStart = end.timedOut && end.notStarted ? "after a start or reset longer than the cell timeout" : end.timedOut ? "after a timeout"
          : end.unclean ? `unclean: ${end.unclean.join("; ")}` : `after the process ended (exit ${String(end.exit?.code)})`;
      }
    }
    if (end.timedOut && end.notStarted) end.timedOut = null; // the start (or reset) hung: the process's trouble, not a cell's
    return end;
  }
}

async function runnerExit(runner: RunnerProcess): Promise<{ code: number | null; stderr: string }> {
  runner.kill();
  return runner.done;
}

/** The executed notebook and status from the runner's events. */
function collect(nb: Notebook, progress: Progress, seconds: number): Omit<ExecutionResult, "ok" | "output" | "timedOut" | "kernelDied" | "startupError"> {
  const errors: CellError[] = [];
  const cellSeconds: [number, number][] = [];
  let cellsRun = 0;
  for (const e of progress.events) {
    if (e.done === undefined) continue;
    const cell = nb.cells[e.done];
    const outputs = e.outputs ?? [];
    cell.outputs = outputs.map((o) => o.output_type === "stream" ? { output_type: "stream", name: o.name, text: o.text } : { output_type: "display_data", data: o.data, metadata: o.metadata ?? {} });
    if (!e.ok) errors.push({ cellIndex: e.done, cellId: cell.id, ...describeCellError(outputs) });
    cellsRun++;
    cellSeconds.push([e.done, e.seconds ?? 0]);
  }
  return { errors, cellsRun, cellSeconds, seconds };
}

export interface DirectOptions extends ExecuteOptions {
  /** Runs in this student's runner (else in a runner of its own, ended after). */
  session?: CellSession;
  /**
   * The course cell (notebook index) that calls initEngine() before any student code runs: after it the
   * notebook is in the state every such notebook starts from, so it may follow another one in the same process.
   */
  engineCell?: number | null;
}

/** Executes `input` without Jupyter and writes the executed copy to `output`. */
export async function executeDirect(input: string, output: string, opts: DirectOptions = {}): Promise<ExecutionResult> {
  const nb = readNotebook(input);
  const cells: Cells = nb.cells.flatMap((c, index) => c.cell_type === "code" ? [{ index, source: sourceText(c) }] : []);
  const session = opts.session ?? new CellSession({ launch: opts.launch, env: opts.env, cwd: path.resolve(opts.cwd ?? path.dirname(input)),
    runnerDir: path.dirname(path.resolve(input)), signal: opts.signal });
  const started = Date.now();
  let end: RunEnd;
  try {
    end = await session.run(cells, opts.cellTimeoutSec ?? 600, opts.totalTimeoutSec ?? 3600, opts.engineCell ?? null);
  } finally {
    if (!opts.session) await session.close();
  }
  const status = collect(nb, end.progress, (Date.now() - started) / 1000);
  fs.mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
  fs.writeFileSync(output, JSON.stringify(nb, null, 1) + "\n");
  let kernelDied: ExecutionResult["kernelDied"] = null;
  let startupError: string | null = null;
  if (!end.timedOut && (end.exit || end.unclean)) {
    const exit = end.exit ?? { code: null, stderr: "" };
    if (end.notStarted) startupError = `the cell runner stopped before the first cell (exit ${String(exit.code)}${end.unclean ? `; unclean: ${end.unclean.join("; ")}` : ""}):\n${exit.stderr.slice(-2000)}`;
    else kernelDied = { cellIndex: end.progress.running, message: `the cell runner exited (code ${String(exit.code)}) ${exit.stderr.slice(-300)}` };
  }
  const ok = status.errors.length === 0 && !end.timedOut && !kernelDied && !startupError;
  return { ok, output, timedOut: end.timedOut, kernelDied, startupError, ...status };
}
