// The browser's TypeScript kernel: checks each cell's types as tslab does (host.typeChecker, a
// worker running tslab's converter: typecheck.ts), then runs it, compiled by compile.ts, inside one persistent scope
// and reports what happens as Jupyter IOPub messages (stream, display_data,
// update_display_data, execute_result, error), the same messages tslab sends, so that the
// notebook page (or a JupyterLite kernel wrapper) only has to forward them.
import { compileCell } from "./compile";
import { formatArgs, inspect } from "./inspect";
import type { CellCheck } from "./typecheck";
import type { TypeChecker } from "./typecheck-client";
import type { DisplayMessage } from "./tslab-channel";

export type IopubMessage =
  | { msg_type: "stream"; content: { name: "stdout" | "stderr"; text: string } }
  | { msg_type: "display_data" | "update_display_data"; content: DisplayMessage }
  | { msg_type: "execute_result"; content: { execution_count: number; data: { [mime: string]: string }; metadata: object } }
  | { msg_type: "error"; content: { ename: string; evalue: string; traceback: string[] } };

export type Emit = (msg: IopubMessage) => void;

export interface ExecuteReply { status: "ok" | "error"; execution_count: number }

/** What the kernel needs from the page: modules by name and the display channel of cnn-course. */
export interface KernelHost {
  modules: { [name: string]: unknown };
  setDisplayWriter(writer: ((msg: DisplayMessage, update: boolean) => void) | null): void;
  /**
   * tslab's type checking (typecheck.ts): a cell with errors prints them to stderr, as tslab's
   * lines, and does not run. Without it only syntax errors are reported.
   */
  typeChecker?: TypeChecker;
}

type CellFunction = (scope: object, require: (name: string) => unknown, defaultOf: (m: unknown) => unknown) => Promise<{ value: unknown } | undefined>;
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => CellFunction;

export class TypeScriptKernel {
  private readonly scope: { [name: string]: unknown } = Object.create(null);
  private count = 0;
  private emit: Emit = () => undefined;

  constructor(private readonly host: KernelHost) {
    this.captureConsole();
    host.setDisplayWriter((msg, update) => this.emit({ msg_type: update ? "update_display_data" : "display_data", content: msg }));
  }

  /** Runs one cell; its output goes to `emit` (and later output of its timers too, until the next cell). */
  async execute(source: string, emit: Emit): Promise<ExecuteReply> {
    this.emit = emit;
    const execution_count = ++this.count;
    const checked = await this.typeCheck(source, emit);
    if (checked?.errors.length) {
      // As tslab: the diagnostics on stderr, the cell not run, the reply an error.
      emit({ msg_type: "stream", content: { name: "stderr", text: checked.errors.map((e) => `${e}\n`).join("") } });
      return { status: "error", execution_count };
    }
    const compiled = compileCell(source);
    if (compiled.errors.length) {
      emit({ msg_type: "error", content: { ename: "SyntaxError", evalue: compiled.errors.join("\n"), traceback: compiled.errors } });
      return { status: "error", execution_count };
    }
    for (const name of compiled.names) if (!(name in this.scope)) this.scope[name] = undefined;
    try {
      const run = new AsyncFunction("__scope", "__require", "__default", `with (__scope) {\n${compiled.body}\n}`);
      const result = await run(this.scope, (name) => this.require(name), (m) => (m as { default?: unknown })?.default ?? m);
      if (result && result.value !== undefined) {
        emit({ msg_type: "execute_result", content: { execution_count, data: { "text/plain": inspect(result.value) }, metadata: {} } });
      }
      if (checked) this.host.typeChecker?.commit(checked.declarations);
      return { status: "ok", execution_count };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      emit({ msg_type: "error", content: { ename: err.name, evalue: err.message, traceback: [err.stack ?? `${err.name}: ${err.message}`] } });
      return { status: "error", execution_count };
    }
  }

  /** The cell's type check; if the checker cannot run (its files not loaded), says so once and goes on without it. */
  private async typeCheck(source: string, emit: Emit): Promise<CellCheck | undefined> {
    if (!this.host.typeChecker) return undefined;
    try {
      return await this.host.typeChecker.check(source);
    } catch (e) {
      emit({ msg_type: "stream", content: { name: "stderr", text: `${e instanceof Error ? e.message : String(e)}: as células rodam sem verificação de tipos.\n` } });
      this.host.typeChecker = undefined;
      return undefined;
    }
  }

  private require(name: string): unknown {
    if (!(name in this.host.modules)) throw new Error(`Cannot find module '${name}'`);
    return this.host.modules[name];
  }

  private captureConsole(): void {
    const original = console.log.bind(console);
    const out = (name: "stdout" | "stderr") => (...args: unknown[]): void => {
      original(...args); // the browser's own console too (devtools, the headless test)
      this.emit({ msg_type: "stream", content: { name, text: `${formatArgs(args)}\n` } });
    };
    console.log = out("stdout");
    console.info = out("stdout");
    console.debug = out("stdout");
    console.warn = out("stderr");
    console.error = out("stderr");
  }
}
