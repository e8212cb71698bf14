// Writes the student notebooks (notebooks/) from the solved ones (solutions/): solution
// regions become stubs, outputs are cleared, ids and metadata kept; with `check`, writes
// nothing and lists every file that is out of date. CLI: scripts/generate-student.ts.
import * as fs from "fs";
import * as path from "path";
import { allExercises } from "../../lib/check/registry";
import "../../lib/exercises";
import { parseNotebook, readNotebook } from "./format";
import { findSolutionLeaks, generateStudentNotebooks, KnownExercise, lintSourceNotebook, outOfDate } from "./solutions";

export interface GenerateOptions { solutionsDir: string; notebooksDir: string; check: boolean }

export interface GenerateResult {
  written: string[];
  /** Errors: nothing was written (or, with --check, the files are out of date). */
  problems: string[];
  /** Student notebooks without a source (reported, never deleted). */
  warnings: string[];
}

/** The exercises lib/exercises/ registers, for the authoring lint. */
export function knownExercises(): Map<string, KnownExercise> {
  return new Map(allExercises().map((e) => [e.id, { notebook: e.notebook, symbol: e.symbol }]));
}

/** Lints the sources, then writes (or with `check`, compares) the student notebooks. */
export function generate(opts: GenerateOptions): GenerateResult {
  const exercises = knownExercises();
  const generated = generateStudentNotebooks(opts.solutionsDir, opts.notebooksDir);
  const problems: string[] = [];
  for (const g of generated) {
    const source = readNotebook(g.source);
    problems.push(...lintSourceNotebook(source, g.source, exercises));
    for (const leak of findSolutionLeaks(source, parseNotebook(g.text, g.target), g.source)) {
      problems.push(`${g.target}: cell "${leak.cellId}" would still hold solution text: ${leak.line}`);
    }
  }
  if (opts.check) return { written: [], problems: [...problems, ...outOfDate(generated, opts.notebooksDir)], warnings: [] };
  if (problems.length) return { written: [], problems, warnings: [] };
  const written: string[] = [];
  for (const g of generated) {
    if (fs.existsSync(g.target) && fs.readFileSync(g.target, "utf8") === g.text) continue;
    fs.mkdirSync(path.dirname(g.target), { recursive: true });
    fs.writeFileSync(`${g.target}.tmp`, g.text);
    fs.renameSync(`${g.target}.tmp`, g.target);
    written.push(g.target);
  }
  return { written, problems: [], warnings: outOfDate(generated, opts.notebooksDir) };
}
