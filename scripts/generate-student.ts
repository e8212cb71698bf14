// npm run generate [-- --check] [--solutions DIR] [--notebooks DIR]
//
// Writes the student notebooks (notebooks/) from the solved ones (solutions/):
// solution regions become stubs, outputs are cleared, ids and metadata kept.
// --check writes nothing and exits 1 listing every file that is out of date.
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../lib/common/config";
import { allExercises } from "../lib/check/registry";
import "../lib/exercises";
import { parseNotebook, readNotebook } from "../tools/notebooks/format";
import { findSolutionLeaks, generateStudentNotebooks, KnownExercise, lintSourceNotebook, outOfDate } from "../tools/notebooks/solutions";

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

function parseArgs(argv: string[]): GenerateOptions {
  const root = projectRoot();
  const opts: GenerateOptions = { solutionsDir: path.join(root, "solutions"), notebooksDir: path.join(root, "notebooks"), check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--check") opts.check = true;
    else if (a === "--solutions") opts.solutionsDir = path.resolve(argv[++i] ?? "");
    else if (a === "--notebooks") opts.notebooksDir = path.resolve(argv[++i] ?? "");
    else if (a === "--help" || a === "-h") {
      console.log("usage: npm run generate [-- --check] [--solutions solutions/] [--notebooks notebooks/]");
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (see --help)`);
  }
  return opts;
}

if (require.main === module) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    const { written, problems, warnings } = generate(opts);
    const rel = (p: string): string => path.relative(process.cwd(), p) || p;
    for (const w of written) console.log(`wrote ${rel(w)}`);
    if (opts.check) {
      if (problems.length) {
        console.error(`${problems.length} problem(s); run \`npm run generate\` after fixing the sources:`);
        for (const p of problems) console.error(`  ${p}`);
        process.exit(1);
      }
      console.log(`student notebooks are up to date with ${rel(opts.solutionsDir)}`);
    } else {
      for (const w of warnings) console.error(`warning: ${w}`);
      if (problems.length) {
        console.error(`nothing written: ${problems.length} problem(s) in the sources:`);
        for (const p of problems) console.error(`  ${p}`);
        process.exit(1);
      }
      console.log(`${written.length} notebook(s) written, the others were already up to date`);
    }
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
