// Runs a notebook without Jupyter: its code cells go, in order, to one Node process
// (cellrun.ts) that compiles and executes them with tslab's own converter and executor.
// Same options and result as executeNotebook (execute.ts): per-cell and total timeouts
// (this side kills the process), a process that dies is "kernelDied" at its cell, and
// errors are described from the cell's stderr as nbexec.py does for the kernel.
import { spawn } from "child_process";
import * as ts from "typescript";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../lib/common/config";
import type { CellEvent, CellOutput } from "./cellrun";
import type { CellError, ExecuteOptions, ExecutionResult, Launch } from "./execute";
import { Notebook, readNotebook, sourceText } from "./format";

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

let compiled: string | null = null;

/**
 * cellrun.ts as plain JavaScript (TypeScript's transpileModule, once per process), its
 * packages required by absolute path: Node starts it without tsx's loader, which costs
 * about 1.3 s of every start (0.8 s vs 2.1 s to load the course here).
 */
export function cellRunnerScript(): string {
  if (compiled === null) {
    const source = fs.readFileSync(path.join(projectRoot(), "tools", "notebooks", "cellrun.ts"), "utf8");
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
    const modules = path.join(projectRoot(), "node_modules");
    compiled = js.replace(/require\("(tslab\/dist\/[a-z]+)"\)/g, (_m, id: string) => `require(${JSON.stringify(path.join(modules, id))})`);
  }
  return compiled;
}

/** Writes the runner next to the grading notebook (a folder the sandbox mounts); its command line. */
export function cellRunnerArgs(folder: string): string[] {
  const file = path.join(folder, "cellrun.js");
  fs.writeFileSync(file, cellRunnerScript(), { mode: 0o644 });
  return [file];
}

type Cells = { index: number; source: string }[];

interface Progress { events: CellEvent[]; running: number | null }

/** Starts the runner and hands it the cells one by one, each after the previous one is reported. */
function spawnCellRunner(launch: Launch, cwd: string, cells: Cells, progress: Progress, onStart: () => void, signal?: AbortSignal): {
  done: Promise<{ code: number | null; stderr: string }>; kill: () => void; } {
  const child = spawn(launch.command, launch.args, { cwd, env: launch.env, uid: launch.uid, gid: launch.gid, signal, killSignal: "SIGKILL", stdio: ["pipe", "ignore", "pipe", "pipe"] });
  let sent = 0;
  const sendNext = (): void => {
    if (sent < cells.length) child.stdin?.write(JSON.stringify(cells[sent++]) + "\n");
    else child.stdin?.end();
  };
  child.stdin?.on("error", () => undefined); // the runner died: its exit says how
  sendNext();
  const stderr: string[] = [];
  child.stderr?.on("data", (d: Buffer) => { stderr.push(d.toString()); if (stderr.length > 100) stderr.shift(); });
  let pending = "";
  const channel = child.stdio[3] as NodeJS.ReadableStream;
  channel.on("data", (d: Buffer) => {
    pending += d.toString("utf8");
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      let event: CellEvent;
      try {
        event = JSON.parse(line) as CellEvent;
      } catch {
        continue;
      }
      progress.events.push(event);
      progress.running = event.start ?? null;
      if (event.start !== undefined) onStart();
      if (event.done !== undefined) sendNext();
    }
  });
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    child.on("close", (code) => resolve({ code, stderr: stderr.join("") }));
    child.on("error", (err) => resolve({ code: null, stderr: String(err) }));
  });
  return { done, kill: () => child.kill("SIGKILL") };
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

/** Executes `input` without Jupyter and writes the executed copy to `output`. */
export async function executeDirect(input: string, output: string, opts: ExecuteOptions = {}): Promise<ExecutionResult> {
  const nb = readNotebook(input);
  const cells: Cells = nb.cells.flatMap((c, index) => c.cell_type === "code" ? [{ index, source: sourceText(c) }] : []);
  const cellTimeout = opts.cellTimeoutSec ?? 600;
  const totalTimeout = opts.totalTimeoutSec ?? 3600;
  const args = cellRunnerArgs(path.dirname(path.resolve(input)));
  // The grader's sandbox launch wraps any command: here Node instead of Python.
  const launch: Launch = opts.launch ? opts.launch(process.execPath, args) : { command: process.execPath, args, env: { ...process.env, ...opts.env } };
  const progress: Progress = { events: [], running: null };
  const started = Date.now();
  let timedOut: ExecutionResult["timedOut"] = null;
  let cellTimer: NodeJS.Timeout | undefined;
  const runner = spawnCellRunner(launch, path.resolve(opts.cwd ?? path.dirname(input)), cells, progress, () => {
    clearTimeout(cellTimer);
    cellTimer = setTimeout(() => { timedOut = { cellIndex: progress.running ?? -1, kind: "cell", seconds: cellTimeout }; runner.kill(); }, cellTimeout * 1000);
  }, opts.signal);
  const totalTimer = setTimeout(() => { timedOut ??= { cellIndex: progress.running ?? -1, kind: "total", seconds: totalTimeout }; runner.kill(); }, totalTimeout * 1000);
  const exit = await runner.done;
  clearTimeout(cellTimer);
  clearTimeout(totalTimer);
  const status = collect(nb, progress, (Date.now() - started) / 1000);
  fs.mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
  fs.writeFileSync(output, JSON.stringify(nb, null, 1) + "\n");
  const finished = progress.events.some((e) => e.done === cells[cells.length - 1]?.index) || cells.length === 0;
  let kernelDied: ExecutionResult["kernelDied"] = null;
  let startupError: string | null = null;
  if (!timedOut && !(finished && exit.code === 0)) {
    if (status.cellsRun === 0 && progress.running === null) startupError = `the cell runner stopped before the first cell (exit ${String(exit.code)}):\n${exit.stderr.slice(-2000)}`;
    else kernelDied = { cellIndex: progress.running, message: `the cell runner exited (code ${String(exit.code)}) ${exit.stderr.slice(-300)}` };
  }
  const ok = status.errors.length === 0 && !timedOut && !kernelDied && !startupError;
  return { ok, output, timedOut, kernelDied, startupError, ...status };
}
