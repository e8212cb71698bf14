// The declaration pack of the browser's type checker (kernel/typecheck.ts), recorded at build
// time: tslab's converter, in this process, converts a cell that imports what the notebooks
// import (`cnn-course`, `@tensorflow/tfjs`) while a recording ts.sys notes every file it reads
// and every directory it finds. So the pack holds exactly what tslab reads for the notebooks
// (TypeScript's lib files, every @types package of node_modules, as tslab loads them all, the
// packages' .d.ts, lib/dist's declarations: `npm run build` first), its paths moved from this
// checkout to the virtual root /curso.
import * as path from "path";
import type * as ts from "typescript";
import { projectRoot } from "../../lib/common/config";
import { DeclarationPack, TslabTypeScript, withSystem } from "./kernel/typecheck";

export const VIRTUAL_ROOT = "/curso";
/** The imports every notebook makes (solutions/*.ipynb import nothing else). */
export const PROBE_CELL = `import * as tf from "@tensorflow/tfjs";\nimport * as course from "cnn-course";\n`;

/** tslab's TypeScript, the very module instance tslab's converter requires. */
export function tslabTypeScript(): TslabTypeScript {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- tslab's patched TypeScript has no types for setSys
  return require(require.resolve("@tslab/typescript-for-tslab", { paths: [path.dirname(require.resolve("tslab/package.json"))] })) as TslabTypeScript;
}

/** tslab's converter module (load it once tslab's ts.sys is the one it should read: CellTypeChecker does). */
export function tslabConverter(): typeof import("tslab/dist/converter") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded when ts.sys is set, not when this module is
  return require("tslab/dist/converter") as typeof import("tslab/dist/converter");
}

export function recordDeclarations(root = projectRoot()): DeclarationPack {
  const tsl = tslabTypeScript();
  const real = tsl.sys;
  const move = (p: string): string => {
    if (p !== root && !p.startsWith(root + "/")) throw new Error(`the type checker read ${p}, outside the project (${root})`);
    return VIRTUAL_ROOT + p.slice(root.length);
  };
  const files: { [p: string]: string } = {};
  const directories = new Set<string>();
  const subdirectories: { [p: string]: string[] } = {};
  const realpaths: { [p: string]: string } = {};
  const existing = new Set<string>();
  const cwd = path.join(root, "notebooks");
  const recording: ts.System = {
    ...real,
    getCurrentDirectory: () => cwd,
    readFile: (p, enc) => { const t = real.readFile(p, enc); if (t !== undefined) files[move(p)] = t; return t; },
    fileExists: (p) => { const yes = real.fileExists(p); if (yes) existing.add(move(p)); return yes; },
    directoryExists: (p) => { const yes = real.directoryExists(p); if (yes) directories.add(move(p)); return yes; },
    getDirectories: (p) => { const d = real.getDirectories(p); subdirectories[move(p)] = d; return d; },
    realpath: (p) => { const r = real.realpath ? real.realpath(p) : p; if (r !== p) realpaths[move(p)] = move(r); return r; },
    watchFile: () => ({ close: () => undefined }),
    watchDirectory: () => ({ close: () => undefined }),
  };
  withSystem(tsl, recording, () => {
    const converter = tslabConverter().createConverter({ isJS: false, isBrowser: false });
    const result = converter.convert("", PROBE_CELL);
    converter.close();
    if (result.diagnostics.length) throw new Error(`the probe cell does not type-check: ${JSON.stringify(result.diagnostics)} (npm run build first?)`);
  });
  return {
    cwd: move(cwd), executingFile: move(real.getExecutingFilePath()), files,
    existing: [...existing].filter((p) => !(p in files)).sort(), directories: [...directories].sort(), subdirectories, realpaths,
  };
}
