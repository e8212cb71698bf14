// Runs notebooks' code cells in this Node process, compiled and executed by tslab's own
// converter and executor (what the tslab kernel does for each cell), without Jupyter, ZeroMQ
// or Python. Started by direct.ts (inside the grader's sandbox), one process per student:
//   node cellrun.js '{"scratch": [...], "maxRssMb": 1536}'
// (direct.ts transpiles this file and cellreset.ts to plain JavaScript once per grading run.)
// It reads one JSON line at a time on stdin:
//   {"notebook": n, "engineCell": 2}  a notebook starts (engineCell: its course import cell that calls
//                                     initEngine(), after which it is in the state every such notebook starts from);
//   {"index": 3, "source": "..."}     one of its code cells, sent only when the last one is reported,
// as a kernel gets requests: code of one cell cannot read the cells after it (the grader's, with
// their nonce). Each cell's outputs are captured like the kernel's (stdout/stderr streams, display
// data). It reports on fd 3, one JSON line per event: {"ready": n} when notebook n may start,
// {"start": i} before a cell, {"done": i, "ok", "outputs", "seconds"} after it, and
// {"unclean": n, "why": [...]} when notebook n cannot start here (then it exits: cellreset.ts), for
// example when a notebook left a process running.
// Between notebooks: a new tslab executor (no locals, no declarations carried over), the course
// library loaded anew, the TypeScript service kept (it reads the declarations once per process;
// a fresh one after a notebook that added modules or compiled files beside the cell).
// Timeouts and a dead process are seen by the parent (which kills it).
import * as fs from "fs";
import * as path from "path";
import * as readline from "readline";
import { createRequire } from "module";
import type * as TF from "@tensorflow/tfjs";
import { createConverter, Converter } from "tslab/dist/converter";
import { createExecutor } from "tslab/dist/executor";
import { changeOf, differences, Fingerprint, fingerprint, forgetFlagsBeyond, forgetModulesUnder, processesLeft, processesNow, resetAfterNotebook, Scratch, snapshot, Snapshot, trackFileWatchers } from "./cellreset";

export interface CellOutput {
  output_type: "stream" | "display_data";
  name?: "stdout" | "stderr";
  text?: string;
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export interface CellEvent {
  start?: number; done?: number; ok?: boolean; outputs?: CellOutput[]; seconds?: number;
  ready?: number; unclean?: number; why?: string[];
}

/** The runner's command-line argument (JSON). */
export interface RunnerConfig { scratch: Scratch[]; maxRssMb: number; sandboxed: boolean }

type Message = { notebook: number; engineCell?: number | null } | { index: number; source: string };

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

/** tslab's converter for node cells, made again when a notebook left modules or side files in it. */
function converters(compiling: <T>(f: () => T) => T): { convs: Parameters<typeof createExecutor>[1]; renew: () => void } {
  let node: Converter | null = null;
  let touched = false;
  const make = (): Converter => {
    const c = compiling(() => createConverter({ isJS: false, isBrowser: false }));
    return {
      ...c,
      convert: (prevDecl, src) => {
        const out = compiling(() => c.convert(prevDecl, src));
        if (out.sideOutputs?.length) touched = true;
        return out;
      },
      addModule: (name, content, meta) => {
        touched = true;
        return compiling(() => c.addModule(name, content, meta));
      },
    };
  };
  const convs = {
    get node(): Converter { return (node ??= make()); },
    get browser(): Converter { throw new Error("browser cells are not run at grading"); },
    close: (): void => node?.close(),
  };
  const renew = (): void => {
    if (!touched) return;
    node?.close();
    node = null;
    touched = false;
  };
  return { convs, renew };
}

/** The process before any notebook: TensorFlow.js and the course loaded, TypeScript read their declarations. */
function warmUp(convs: { node: Converter }): { tf: typeof TF; libRoot: string } {
  // The standard streams are made when first used (a pipe handle each): before the state is taken, not after
  // (stdin stays paused until the loop below reads it).
  for (const stream of [process.stdin, process.stdout, process.stderr]) void stream.readable;
  const req = createRequire(path.join(process.cwd(), "src.js"));
  const tf = req("@tensorflow/tfjs") as typeof TF;
  req("cnn-course");
  const libRoot = fs.realpathSync(path.join(process.cwd(), "node_modules", "cnn-course"));
  convs.node.convert("", 'import * as tf from "@tensorflow/tfjs";\nimport * as course from "cnn-course";\nexport { tf, course };\n');
  return { tf, libRoot };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{"scratch": [], "maxRssMb": 1536, "sandboxed": false}') as RunnerConfig;
  // As tslab's kernel: errors of code left running after its cell are printed, not fatal.
  process.on("uncaughtException", (err) => console.error("UncaughtException:", err));
  process.on("unhandledRejection", (reason) => console.error("UnhandledPromiseRejection:", reason));
  const watchers = trackFileWatchers();
  const { convs, renew } = converters(watchers.compiling);
  const { tf, libRoot } = warmUp(convs);
  await settle();
  const fresh: Fingerprint = fingerprint(tf, watchers.opened());
  const saved: Snapshot = snapshot();
  const processes = processesNow();
  let engineReady: Fingerprint | null = null; // the state right after an import cell's initEngine()
  let executor = createExecutor(process.cwd(), convs, { log: console.log, error: console.error });
  let notebooks = 0;
  let current: { engineCell: number | null; fromFresh: boolean } = { engineCell: null, fromFresh: true };
  for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    const msg = JSON.parse(line) as Message;
    if ("notebook" in msg) {
      if (notebooks > 0) {
        await settle();
        const why = resetAfterNotebook(tf, saved, config.scratch, config.maxRssMb);
        const left = processesLeft(config.sandboxed, processes);
        if (left) why.push(`${left} process(es) left running`);
        renew();
        const now = fingerprint(tf, watchers.opened());
        const toFresh = differences(fresh, now);
        const toEngine = msg.engineCell != null && engineReady ? differences(engineReady, now) : null;
        if (toFresh.length && (toEngine === null || toEngine.length)) {
          const base = toEngine ? (engineReady as Fingerprint) : fresh;
          why.push(`differs from a fresh process in ${(toEngine ?? toFresh).map((k) => changeOf(base, now, k)).join("; ")}`);
        }
        if (why.length) {
          send({ unclean: msg.notebook, why });
          process.exit(0);
        }
        forgetFlagsBeyond(tf, toFresh.length ? (engineReady ?? fresh) : fresh);
        current = { engineCell: msg.engineCell ?? null, fromFresh: toFresh.length === 0 };
      } else {
        current = { engineCell: msg.engineCell ?? null, fromFresh: true };
      }
      notebooks++;
      forgetModulesUnder([libRoot]);
      executor = createExecutor(process.cwd(), convs, { log: console.log, error: console.error });
      send({ ready: msg.notebook });
      continue;
    }
    const outputs: CellOutput[] = [];
    captureInto(outputs);
    send({ start: msg.index });
    const t = Date.now();
    const ok = await executor.execute(msg.source);
    // The course's import cell of a notebook that calls initEngine(): the state every such notebook starts from.
    if (msg.index === current.engineCell && current.fromFresh && ok && engineReady === null) {
      await settle();
      engineReady = fingerprint(tf, watchers.opened());
    }
    send({ done: msg.index, ok, outputs, seconds: (Date.now() - t) / 1000 });
  }
  executor.close();
  // Whatever student code left running (timers, sockets) ends here.
  process.exit(0);
}

void main();
