// What one notebook can leave behind in the per-student cell runner (cellrun.ts), and how it is
// undone before the student's next notebook, so that each notebook is graded as in a fresh
// process. Undone: globals added or changed, process.env, the working folder, the scratch folders
// (the sandbox's kernel folder and /tmp), the course library's module state (lib/ is loaded anew),
// TensorFlow.js variables and flags read since. Not undone, only detected: anything else that
// differs from the state a fresh process has at that point (a built-in or TensorFlow.js function
// replaced, a kernel registered, a timer, socket or child left running, a process listener, a
// flag set, memory grown past a limit). Then the runner says why and exits, and the next notebook
// gets a fresh process: a wrong "clean" costs a grade, a wrong "dirty" costs only seconds.
import * as fs from "fs";
import * as path from "path";
import type * as TF from "@tensorflow/tfjs";

/** The state a notebook must leave for the next one to share the process: a string per aspect. */
export type Fingerprint = Record<string, string>;

const ids = new WeakMap<object, number>();
let nextId = 1;

/** A stable name for a value: objects and functions by identity, primitives by value. */
function idOf(v: unknown): string {
  if ((typeof v === "object" && v !== null) || typeof v === "function") {
    let n = ids.get(v);
    if (n === undefined) ids.set(v, (n = nextId++));
    return `#${n}`;
  }
  return typeof v === "symbol" ? v.toString() : `${typeof v}:${String(v)}`;
}

function describe(d: PropertyDescriptor): string {
  const value = "value" in d ? idOf(d.value) : `get ${idOf(d.get)} set ${idOf(d.set)}`;
  return `${value}${d.writable ? "w" : ""}${d.configurable ? "c" : ""}${d.enumerable ? "e" : ""}`;
}

/** Every own property of `obj` and what it holds (by identity). */
function shapeOf(obj: object, only?: (v: unknown) => boolean): string {
  return Reflect.ownKeys(obj).flatMap((k) => {
    const d = Object.getOwnPropertyDescriptor(obj, k);
    if (!d || (only && !("value" in d && only(d.value)))) return [];
    return [`${String(k)}=${describe(d)}`];
  }).sort().join(",");
}

const typedArray = Object.getPrototypeOf(Int8Array.prototype) as object;

/** Built-ins whose replaced members would change what later code does. */
function builtins(): Record<string, object> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- Node's module loader, whose hooks student code could replace
  const mod = require("module") as object & { prototype: object };
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the event emitter under process and streams
  const events = require("events") as { EventEmitter: { prototype: object } };
  return {
    Object, "Object.prototype": Object.prototype, "Function.prototype": Function.prototype, Array, "Array.prototype": Array.prototype,
    "String.prototype": String.prototype, "Number.prototype": Number.prototype, "Boolean.prototype": Boolean.prototype,
    Symbol, Promise, "Promise.prototype": Promise.prototype, "Map.prototype": Map.prototype, "Set.prototype": Set.prototype,
    Error, "Error.prototype": Error.prototype, "RegExp.prototype": RegExp.prototype, Date, "Date.prototype": Date.prototype,
    Math, JSON, Reflect, "TypedArray.prototype": typedArray, "Float32Array.prototype": Float32Array.prototype,
    "ArrayBuffer.prototype": ArrayBuffer.prototype, console, Module: mod, "Module.prototype": mod.prototype,
    "EventEmitter.prototype": events.EventEmitter.prototype, "Buffer.prototype": Buffer.prototype,
  };
}

type TfGlobals = { _tfGlobals?: Map<string, unknown> };

/** TensorFlow.js: backends, registered kernels and gradients, the namespaces, the engine and tensor methods. */
function tfState(tf: typeof TF): Fingerprint {
  const engine = tf.engine() as unknown as Record<string, unknown> & { registryFactory: object; backendName: string | null };
  const globals = (globalThis as TfGlobals)._tfGlobals;
  const registry = (name: string): string => {
    const map = globals?.get(name);
    return map instanceof Map ? [...map].map(([k, v]) => `${String(k)}=${idOf(v)}`).sort().join(",") : "";
  };
  const namespaces = Object.entries(tf).filter(([, v]) => v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype);
  const state: Fingerprint = {
    "tf.backend": `${String(engine.backendName)} of ${Object.keys(engine.registryFactory).sort().join(",")}`,
    "tf.kernels": registry("kernelRegistry"), "tf.gradients": registry("gradRegistry"),
    tf: shapeOf(tf), "tf.Tensor.prototype": shapeOf(tf.Tensor.prototype), "tf.engine": shapeOf(engine, (v) => typeof v === "function"),
    "tf.engine.prototype": shapeOf(Object.getPrototypeOf(engine) as object), "tf.env": shapeOf(tf.env(), (v) => typeof v === "function"),
    "tf.flags": JSON.stringify(tf.env().getFlags()),
  };
  for (const [name, ns] of namespaces) state[`tf.${name}`] = shapeOf(ns as object);
  return state;
}

function listeners(): string {
  return process.eventNames().map((n) => `${String(n)}:${process.listeners(n as NodeJS.Signals).map(idOf).join("+")}`).sort().join(",");
}

/**
 * File watchers the notebooks' code opened (fs.watch still open, fs.watchFile ever), told apart from the
 * TypeScript service's own (it watches the declaration files it reads, more as it reads more): those are
 * opened inside `compiling`.
 */
export function trackFileWatchers(): { compiling: <T>(f: () => T) => T; opened: () => number } {
  let inCompiler = 0;
  let open = 0;
  // The module object itself (an `import * as` copy has getters only): TypeScript's sys calls fs.watch through it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the mutable module object, see above
  const mutableFs = require("fs") as { watch: typeof fs.watch; watchFile: typeof fs.watchFile };
  const watch = mutableFs.watch;
  const watchFile = mutableFs.watchFile;
  mutableFs.watch = ((...args: Parameters<typeof fs.watch>) => {
    const w = watch(...args);
    if (inCompiler === 0) {
      open++;
      w.once("close", () => open--);
    }
    return w;
  }) as typeof fs.watch;
  mutableFs.watchFile = ((...args: Parameters<typeof fs.watchFile>) => {
    if (inCompiler === 0) open++;
    return watchFile(...args);
  }) as typeof fs.watchFile;
  const compiling = <T>(f: () => T): T => {
    inCompiler++;
    try {
      return f();
    } finally {
      inCompiler--;
    }
  };
  return { compiling, opened: () => open };
}

/** What must be equal for two points of the runner's life to be the same state (`watchers`: the notebooks' file watchers). */
export function fingerprint(tf: typeof TF, watchers: number): Fingerprint {
  const state: Fingerprint = {};
  for (const [name, obj] of Object.entries(builtins())) state[name] = shapeOf(obj);
  state.process = shapeOf(process, (v) => typeof v === "function");
  state["process listeners"] = listeners();
  const compilerOwn = new Set(["TTYWrap", "FSEventWrap", "StatWatcher"]);
  state["running handles"] = process.getActiveResourcesInfo().filter((r) => !compilerOwn.has(r)).sort().join(",");
  state["file watchers"] = String(watchers);
  return { ...state, ...tfState(tf) };
}

/** Flags set at `then` that hold another value `now` (flags read since are not a difference: forgetFlagsBeyond). */
function flagsDiffer(then: string, now: string): boolean {
  const a = JSON.parse(then) as Record<string, unknown>;
  const b = JSON.parse(now) as Record<string, unknown>;
  return Object.keys(a).some((k) => !(k in b) || a[k] !== b[k]);
}

/** Process ids in /proc (the sandbox's own PID namespace, or the host's). */
function pids(): string[] {
  try {
    return fs.readdirSync("/proc").filter((n) => /^\d+$/.test(n));
  } catch {
    return [];
  }
}

/**
 * Processes a notebook left running (a detached child holds no handle of the runner's): in the sandbox, every
 * process not there at `baseline`; outside it, the runner's descendants.
 */
export function processesLeft(sandboxed: boolean, baseline: Set<string>): number {
  let self: string;
  try {
    self = fs.readlinkSync("/proc/self");
  } catch {
    return 0;
  }
  if (sandboxed) return pids().filter((p) => p !== self && !baseline.has(p)).length;
  const parent = new Map<string, string>();
  for (const p of pids()) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, "utf8");
      parent.set(p, stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch {
      // ended meanwhile
    }
  }
  const descends = (p: string): boolean => {
    for (let q = parent.get(p), n = 0; q && n < 64; q = parent.get(q), n++) if (q === self) return true;
    return false;
  };
  return [...parent.keys()].filter(descends).length;
}

/** The processes there now (the runner's sandbox before any notebook). */
export function processesNow(): Set<string> {
  return new Set(pids());
}

/** The aspects in which `now` differs from `then` (empty: the same). */
export function differences(then: Fingerprint, now: Fingerprint): string[] {
  return [...new Set([...Object.keys(then), ...Object.keys(now)])]
    .filter((k) => (k === "tf.flags" && then[k] && now[k] ? flagsDiffer(then[k], now[k]) : then[k] !== now[k])).sort();
}

/** What changed in one aspect, briefly: the items only in `then` (-) and only in `now` (+). */
export function changeOf(then: Fingerprint, now: Fingerprint, key: string): string {
  const a = new Set((then[key] ?? "").split(","));
  const b = new Set((now[key] ?? "").split(","));
  const items = [...[...a].filter((x) => !b.has(x)).map((x) => `-${x}`), ...[...b].filter((x) => !a.has(x)).map((x) => `+${x}`)];
  return `${key} (${(items.length ? items.join(" ") : `${then[key] ?? ""} -> ${now[key] ?? ""}`).slice(0, 160)})`;
}

/** Forgets the flags read since `then` (a fresh process reads them when first needed). */
export function forgetFlagsBeyond(tf: typeof TF, then: Fingerprint): void {
  const known = JSON.parse(then["tf.flags"] ?? "{}") as Record<string, unknown>;
  const flags = tf.env().getFlags() as Record<string, unknown>;
  for (const k of Object.keys(flags)) if (!(k in known)) delete flags[k];
}

/** What a notebook may change and the runner puts back. */
export interface Snapshot {
  globals: Map<string | symbol, PropertyDescriptor>;
  env: Record<string, string | undefined>;
  cwd: string;
}

export function snapshot(): Snapshot {
  const globals = new Map<string | symbol, PropertyDescriptor>();
  for (const k of Reflect.ownKeys(globalThis)) {
    const d = Object.getOwnPropertyDescriptor(globalThis, k);
    if (d) globals.set(k, d);
  }
  return { globals, env: { ...process.env }, cwd: process.cwd() };
}

/** tslab's executor sets it for each new executor. */
const EXECUTOR_GLOBAL = "__tslab__";

/** Puts the globals back (added ones deleted, changed ones restored); what could not be put back. */
function restoreGlobals(saved: Map<string | symbol, PropertyDescriptor>): string[] {
  const stuck: string[] = [];
  const g = globalThis as Record<string | symbol, unknown>;
  for (const k of Reflect.ownKeys(globalThis)) {
    if (k === EXECUTOR_GLOBAL) continue;
    const now = Object.getOwnPropertyDescriptor(globalThis, k);
    const was = saved.get(k);
    if (!now || (was && describe(was) === describe(now))) continue;
    if (!now.configurable) stuck.push(String(k));
    else if (was) Object.defineProperty(globalThis, k, was);
    else delete g[k];
  }
  for (const [k, was] of saved) if (!(k in g) && k !== EXECUTOR_GLOBAL) Object.defineProperty(globalThis, k, was);
  return stuck;
}

function restoreEnv(saved: Record<string, string | undefined>): void {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  for (const [k, v] of Object.entries(saved)) if (process.env[k] !== v && v !== undefined) process.env[k] = v;
}

/** Empties a scratch folder (keeping `keep` names); what could not be removed. */
function emptyFolder(dir: string, keep: string[]): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => !keep.includes(n));
  } catch (err) {
    return [`${dir} (${(err as NodeJS.ErrnoException).code ?? "unreadable"})`];
  }
  return names.flatMap((name) => {
    const p = path.join(dir, name);
    try {
      fs.chmodSync(p, 0o700); // a folder made unreadable by its owner is still removed
    } catch {
      // a dangling link, or not ours: rmSync says
    }
    try {
      fs.rmSync(p, { recursive: true, force: true });
      return [];
    } catch (err) {
      return [`${p} (${(err as NodeJS.ErrnoException).code ?? "error"})`];
    }
  });
}

/** A scratch folder and the names in it that stay (the node_modules link, the sandbox's HOME, which is emptied on its own). */
export interface Scratch { dir: string; keep: string[] }

/** Clears the course library (lib/) from the module cache: the next import loads it anew, with fresh state. */
export function forgetModulesUnder(roots: string[]): number {
  let n = 0;
  for (const key of Object.keys(require.cache)) {
    if (roots.some((r) => key.startsWith(r + path.sep))) {
      delete require.cache[key];
      n++;
    }
  }
  return n;
}

/**
 * Undoes what the last notebook changed that a reset can undo; the reasons the process still
 * differs from a fresh one (empty: the next notebook may run here).
 */
export function resetAfterNotebook(tf: typeof TF, saved: Snapshot, scratch: Scratch[], maxRssMb: number): string[] {
  const why: string[] = [];
  const stuck = restoreGlobals(saved.globals);
  if (stuck.length) why.push(`globals that cannot be deleted: ${stuck.join(", ")}`);
  restoreEnv(saved.env);
  try {
    process.chdir(saved.cwd);
  } catch {
    why.push("the working folder is gone");
  }
  const left = scratch.flatMap((s) => emptyFolder(s.dir, s.keep));
  if (left.length) why.push(`could not remove ${left.slice(0, 5).join(", ")}`);
  tf.disposeVariables();
  const rss = process.memoryUsage().rss / 1024 / 1024;
  if (rss > maxRssMb) why.push(`memory ${Math.round(rss)} MB > ${maxRssMb} MB`);
  return why;
}
