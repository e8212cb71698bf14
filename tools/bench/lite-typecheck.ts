// What type checking cells the way tslab does would cost the browser kernel (README, "No install"):
// a TypeScript language service over the declarations a notebook reaches (the TypeScript standard
// library, tfjs, cnn-course and what their .d.ts pull in), each cell checked after every earlier
// cell of the notebook, as one growing module. Prints one JSON line: the declaration files and
// their size (raw and gzip: what the site would have to ship), the first cell's check (the
// program built from nothing) and the median and total over the cells. Run under Node, whose V8
// is Chromium's: `npx tsx tools/bench/lite-typecheck.ts 09-pneumonia`.
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import * as ts from "typescript";
import { projectRoot } from "../../lib/common/config";
import { readNotebook } from "../notebooks/format";

export interface TypecheckCost {
  notebook: string;
  cells: number;
  errors: number;
  declarationFiles: number;
  declarationMB: number;
  gzipMB: number;
  firstCellMs: number;
  medianCellMs: number;
  totalSeconds: number;
  byPackageMB: { [pkg: string]: number };
}

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Node10,
  strict: true, esModuleInterop: true, skipLibCheck: true, noEmit: true, lib: ["lib.es2022.d.ts", "lib.dom.d.ts"], types: [],
};

function packageOf(file: string): string {
  if (file.includes("node_modules/typescript/lib")) return "typescript (standard library)";
  return file.match(/node_modules\/((@[^/]+\/)?[^/]+)/)?.[1] ?? path.relative(projectRoot(), file).split(path.sep).slice(0, 2).join("/");
}

export function measureTypecheck(name: string): TypecheckCost {
  const nb = readNotebook(path.join(projectRoot(), "solutions", `${name}.ipynb`));
  const cells = nb.cells.filter((c) => c.cell_type === "code").map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source));
  const cellFile = path.join(projectRoot(), "solutions", "__cell.ts");
  let text = "", version = 0;
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => [cellFile],
    getScriptVersion: (f) => (f === cellFile ? String(version) : "0"),
    getScriptSnapshot: (f) => (f === cellFile ? ts.ScriptSnapshot.fromString(text)
      : fs.existsSync(f) ? ts.ScriptSnapshot.fromString(fs.readFileSync(f, "utf8")) : undefined),
    getCurrentDirectory: () => path.dirname(cellFile),
    getCompilationSettings: () => OPTIONS,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: ts.sys.fileExists, readFile: ts.sys.readFile, readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists, getDirectories: ts.sys.getDirectories,
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  const times: number[] = [];
  let errors = 0;
  for (let i = 0; i < cells.length; i++) {
    text = `${cells.slice(0, i + 1).join("\n;\n")}\nexport {};\n`;
    version++;
    const t0 = performance.now();
    errors += service.getSyntacticDiagnostics(cellFile).length + service.getSemanticDiagnostics(cellFile).length;
    times.push(performance.now() - t0);
  }
  const files = service.getProgram()!.getSourceFiles().filter((f) => f.fileName !== cellFile);
  const byPackageMB: { [pkg: string]: number } = {};
  for (const f of files) byPackageMB[packageOf(f.fileName)] = (byPackageMB[packageOf(f.fileName)] ?? 0) + f.text.length / 1e6;
  for (const key of Object.keys(byPackageMB)) byPackageMB[key] = +byPackageMB[key].toFixed(2);
  const all = files.map((f) => f.text).join("\n");
  const sorted = [...times].sort((a, b) => a - b);
  return {
    notebook: name, cells: cells.length, errors, declarationFiles: files.length,
    declarationMB: +(all.length / 1e6).toFixed(2), gzipMB: +(zlib.gzipSync(all).length / 1e6).toFixed(2),
    firstCellMs: Math.round(times[0]), medianCellMs: Math.round(sorted[sorted.length >> 1]),
    totalSeconds: +(times.reduce((a, b) => a + b, 0) / 1000).toFixed(1), byPackageMB,
  };
}

if (require.main === module) {
  for (const name of process.argv.slice(2).length ? process.argv.slice(2) : ["09-pneumonia"]) console.log(JSON.stringify(measureTypecheck(name)));
}
