// npm run generate [-- --check] [--solutions DIR] [--notebooks DIR]
//
// Writes the student notebooks (notebooks/) from the solved ones (solutions/):
// solution regions become stubs, outputs are cleared, ids and metadata kept.
// --check writes nothing and exits 1 listing every file that is out of date.
// The generator itself is tools/notebooks/generate.ts.
import * as path from "path";
import { projectRoot } from "../lib/common/config";
import { generate, GenerateOptions } from "../tools/notebooks/generate";

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
