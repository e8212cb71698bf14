// Type checking of cells as tslab does it, for the browser kernel: tslab's own converter
// (tslab/dist/converter.js, on tslab's patched TypeScript @tslab/typescript-for-tslab) over an
// in-memory file system, the declaration pack that tools/lite/declarations.ts records at build
// time (every file tslab's converter reads for `cnn-course` and `@tensorflow/tfjs`: TypeScript's
// lib files, @types, the packages' .d.ts). The previous cells' declarations are carried as
// tslab's executor carries them (`prevDecl`, replaced only after a cell ran without error), so a
// cell run twice or a name declared again is no error. Runs in a Web Worker
// (typecheck-worker.ts) in the page, and in Node in the tests.
import type * as ts from "typescript";
import type { Converter, Diagnostic } from "tslab/dist/converter";

/** Every file tslab's converter read (paths under the virtual root), and the file system's answers it got. */
export interface DeclarationPack {
  /** The notebooks' folder, the converter's current directory. */
  cwd: string;
  /** TypeScript's own location (its lib.*.d.ts are beside it). */
  executingFile: string;
  files: { [path: string]: string };
  /** Files whose existence was asked but which were never read. */
  existing: string[];
  directories: string[];
  /** getDirectories(path) answers. */
  subdirectories: { [path: string]: string[] };
  /** realpath answers that differ from the path (node_modules/cnn-course -> lib). */
  realpaths: { [path: string]: string };
}

/** What the checker needs of tslab's TypeScript: its `sys`, replaceable. */
export interface TslabTypeScript {
  sys: ts.System;
  setSys(sys: ts.System): void;
}

export interface CellCheck {
  /** tslab's lines for the cell's diagnostics ("3:7 - Type 'string' is not ..."); empty when it type-checks. */
  errors: string[];
  /** The declarations after this cell (hand back with `commit` once the cell ran without error). */
  declarations: string;
}

/** One line per diagnostic, as tslab's executor prints them (printDiagnostics, to stderr). */
export function formatTslabDiagnostic(d: Diagnostic): string {
  return `${d.fileName ? `${d.fileName} ` : ""}${d.start.line + 1}:${d.start.character + 1} - ${d.messageText}`;
}

/** A read-only ts.System whose files are the pack's: what tslab's converter reads, answered from memory. */
export function memorySystem(pack: DeclarationPack): ts.System {
  const files = new Map(Object.entries(pack.files));
  const dirs = new Set(pack.directories);
  const existing = new Set(pack.existing);
  const unsupported = (what: string) => (): never => { throw new Error(`${what}: not available in the browser's type checker`); };
  const noWatcher = { close: (): void => undefined };
  return {
    args: [], newLine: "\n", useCaseSensitiveFileNames: true,
    write: () => undefined,
    readFile: (p) => files.get(p),
    writeFile: unsupported("writeFile"),
    fileExists: (p) => files.has(p) || existing.has(p),
    directoryExists: (p) => dirs.has(p),
    createDirectory: () => undefined,
    getExecutingFilePath: () => pack.executingFile,
    getCurrentDirectory: () => pack.cwd,
    getDirectories: (p) => pack.subdirectories[p] ?? [],
    readDirectory: () => [],
    realpath: (p) => pack.realpaths[p] ?? p,
    resolvePath: (p) => p,
    getModifiedTime: () => new Date(0),
    watchFile: () => noWatcher,
    watchDirectory: () => noWatcher,
    exit: unsupported("exit"),
  };
}

/**
 * Runs `fn` with `sys` as tslab's TypeScript's ts.sys (the converter reads ts.sys at each call),
 * then puts the previous one back (in Node, tslab itself may run in the same process).
 */
export function withSystem<T>(tsl: TslabTypeScript, sys: ts.System, fn: () => T): T {
  const previous = tsl.sys;
  tsl.setSys(sys);
  try {
    return fn();
  } finally {
    if (previous) tsl.setSys(previous);
  }
}

/** tslab's converter over the pack, with tslab's executor's bookkeeping of the previous cells' declarations. */
export class CellTypeChecker {
  private previous = "";
  private readonly converter: Converter;
  private readonly sys: ts.System;

  /** `load` requires tslab/dist/converter (after ts.sys is set: the module reads it when loaded). */
  constructor(private readonly tsl: TslabTypeScript, pack: DeclarationPack, load: () => typeof import("tslab/dist/converter")) {
    this.sys = memorySystem(pack);
    this.converter = withSystem(tsl, this.sys, () => load().createConverter({ isJS: false, isBrowser: false }));
  }

  check(source: string): CellCheck {
    const converted = withSystem(this.tsl, this.sys, () => this.converter.convert(this.previous, source));
    if (converted.diagnostics.length) return { errors: converted.diagnostics.map(formatTslabDiagnostic), declarations: this.previous };
    return { errors: [], declarations: converted.declOutput ?? "" };
  }

  /** The cell ran without error: its declarations are now the previous cells' (tslab: prevDecl = declOutput). */
  commit(declarations: string): void {
    this.previous = declarations;
  }
}
