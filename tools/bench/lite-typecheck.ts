// What type checking cells costs the browser kernel (README, "No install"), measured in Node
// (whose V8 is Chromium's) on the very code the page runs in its worker: tslab's converter over
// the site's declaration pack (tools/lite/declarations.ts, kernel/typecheck.ts), each cell of a
// solution notebook checked after the earlier ones, their declarations carried as tslab does.
// Prints one JSON line per notebook: the pack (files, MB raw and gzip: what the site ships
// besides typecheck.js), the checker's start (converter and first program, with the notebooks'
// imports), the first cell's check, the median and total over the cells, and the cells with errors
// (0 for a solution notebook). `npm run build` first; `npx tsx tools/bench/lite-typecheck.ts 09-pneumonia`.
import * as path from "path";
import * as zlib from "zlib";
import { projectRoot } from "../../lib/common/config";
import { recordDeclarations, tslabConverter, tslabTypeScript } from "../lite/declarations";
import { CellTypeChecker, DeclarationPack } from "../lite/kernel/typecheck";
import { readNotebook, sourceText } from "../notebooks/format";

export interface TypecheckCost {
  notebook: string;
  cells: number;
  cellsWithErrors: number;
  declarationFiles: number;
  declarationMB: number;
  gzipMB: number;
  startMs: number;
  firstCellMs: number;
  medianCellMs: number;
  totalSeconds: number;
}

const WARM_UP = `import * as tf from "@tensorflow/tfjs";\nimport * as course from "cnn-course";\n`;

export function measureTypecheck(name: string, pack: DeclarationPack = recordDeclarations()): TypecheckCost {
  const nb = readNotebook(path.join(projectRoot(), "solutions", `${name}.ipynb`));
  const cells = nb.cells.filter((c) => c.cell_type === "code").map(sourceText);
  const json = JSON.stringify(pack);
  const t0 = performance.now();
  // As the worker: parse the pack, start the converter, check the warm-up cell (not committed).
  const checker = new CellTypeChecker(tslabTypeScript(), JSON.parse(json) as DeclarationPack, tslabConverter);
  checker.check(WARM_UP);
  const startMs = performance.now() - t0;
  const times: number[] = [];
  let cellsWithErrors = 0;
  for (const cell of cells) {
    const t = performance.now();
    const r = checker.check(cell);
    times.push(performance.now() - t);
    if (r.errors.length) cellsWithErrors++;
    else checker.commit(r.declarations);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    notebook: name, cells: cells.length, cellsWithErrors, declarationFiles: Object.keys(pack.files).length,
    declarationMB: +(json.length / 1e6).toFixed(2), gzipMB: +(zlib.gzipSync(json).length / 1e6).toFixed(2),
    startMs: Math.round(startMs), firstCellMs: Math.round(times[0]), medianCellMs: Math.round(sorted[sorted.length >> 1]),
    totalSeconds: +(times.reduce((a, b) => a + b, 0) / 1000).toFixed(1),
  };
}

if (require.main === module) {
  const pack = recordDeclarations();
  for (const name of process.argv.slice(2).length ? process.argv.slice(2) : ["09-pneumonia"]) console.log(JSON.stringify(measureTypecheck(name, pack)));
}
