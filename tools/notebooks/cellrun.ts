// Runs a notebook's code cells in this Node process, compiled and executed by tslab's
// own converter and executor (what the tslab kernel does for each cell), without
// Jupyter, ZeroMQ or Python. Started by direct.ts (inside the grader's sandbox):
//   node cellrun.js   (direct.ts transpiles this file to plain JavaScript once per grading run)
// It reads one cell per line on stdin ({"index": 3, "source": "..."}), and gets the next one
// only when it has reported the last (as a kernel gets requests): code of one cell cannot
// read the cells after it (the grader's, with their nonce). Each cell's outputs are captured
// like the kernel's (stdout/stderr streams, display data) and reported on fd 3, one JSON
// line per event: {"start": i} before a cell, {"done": i, "ok", "outputs", "seconds"} after.
// Timeouts and a dead process are seen by the parent (which kills it).
import * as fs from "fs";
import * as readline from "readline";
import { createConverter, Converter } from "tslab/dist/converter";
import { createExecutor } from "tslab/dist/executor";

export interface CellOutput {
  output_type: "stream" | "display_data";
  name?: "stdout" | "stderr";
  text?: string;
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export interface CellEvent { start?: number; done?: number; ok?: boolean; outputs?: CellOutput[]; seconds?: number }

const CHANNEL = 3;
// Charts and tables go out as display data, as in the kernel (lib/view/display.ts).
process.env.CNN_COURSE_IN_NOTEBOOK = "1";

function send(event: CellEvent): void {
  fs.writeSync(CHANNEL, JSON.stringify(event) + "\n");
}

type Write = typeof process.stdout.write;

/** Sends this process's output (streams and tslab displays) to `outputs` until the next call. */
function captureInto(outputs: CellOutput[]): void {
  const stream = (name: "stdout" | "stderr"): Write => ((chunk: string | Uint8Array): boolean => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    const last = outputs[outputs.length - 1];
    if (last?.output_type === "stream" && last.name === name) last.text += text;
    else outputs.push({ output_type: "stream", name, text });
    return true;
  }) as Write;
  process.stdout.write = stream("stdout");
  process.stderr.write = stream("stderr");
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- tslab's compiler, loaded only when a grading run needs it
  const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData: unknown };
  jupyter.lastWriteDisplayData = (content: { data?: Record<string, unknown>; metadata?: Record<string, unknown> }): void => {
    outputs.push({ output_type: "display_data", data: content.data ?? {}, metadata: content.metadata ?? {} });
  };
}

async function main(): Promise<void> {
  let node: Converter | null = null;
  const convs = {
    get node(): Converter { return (node ??= createConverter({ isJS: false, isBrowser: false })); },
    get browser(): Converter { throw new Error("browser cells are not run at grading"); },
    close: (): void => node?.close(),
  };
  // As tslab's kernel: errors of code left running after its cell are printed, not fatal.
  process.on("uncaughtException", (err) => console.error("UncaughtException:", err));
  process.on("unhandledRejection", (reason) => console.error("UnhandledPromiseRejection:", reason));
  const executor = createExecutor(process.cwd(), convs, { log: console.log, error: console.error });
  for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    const cell = JSON.parse(line) as { index: number; source: string };
    const outputs: CellOutput[] = [];
    captureInto(outputs);
    send({ start: cell.index });
    const t = Date.now();
    const ok = await executor.execute(cell.source);
    send({ done: cell.index, ok, outputs, seconds: (Date.now() - t) / 1000 });
  }
  executor.close();
  // Whatever student code left running (timers, sockets) ends here.
  process.exit(0);
}

void main();
