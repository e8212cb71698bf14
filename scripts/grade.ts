// npm run grade -- <submission.ipynb | folder>... [--out .cache/grades] [--solutions solutions/]
//   [--hidden tools/grader/hidden/] [--cell-timeout 120] [--total-timeout 900] [--max-memory-mb 3072] [--no-guard]
//
// Grades student submissions against the course's public and hidden cases (see
// docs/grading.md): a table on the terminal, report.json, grades.csv, details.csv,
// answers.md and the executed notebooks in the output folder. The grader is tools/grader/.
import * as path from "path";
import { findJupyterPython, JUPYTER_MISSING_HELP } from "../tools/notebooks/jupyter";
import { defaultGradeOptions, GradeOptions, gradeWithProgress } from "../tools/grader/grader";
import { formatTable, writeReport } from "../tools/grader/report";

const USAGE = "usage: npm run grade -- <submission.ipynb | folder>... [--out .cache/grades] [--solutions solutions/] " +
  "[--hidden tools/grader/hidden/] [--cell-timeout 120] [--total-timeout 900] [--max-memory-mb 3072] [--no-guard]";

export function parseGradeArgs(argv: string[]): { targets: string[]; opts: GradeOptions } {
  const opts = defaultGradeOptions();
  const targets: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value (${USAGE})`);
      return v;
    };
    const positive = (): number => {
      const v = Number(value());
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${a} needs a positive number`);
      return v;
    };
    if (a === "--out") opts.outDir = path.resolve(value());
    else if (a === "--solutions") opts.solutionsDir = path.resolve(value());
    else if (a === "--hidden") opts.hiddenDir = path.resolve(value());
    else if (a === "--cell-timeout") opts.cellTimeoutSec = positive();
    else if (a === "--total-timeout") opts.totalTimeoutSec = positive();
    else if (a === "--max-memory-mb") opts.maxMemoryMb = Math.round(positive());
    else if (a === "--no-guard") {
      // Only the submissions: for a working tree where others edit the course while grading.
      opts.protect = [];
      opts.guardCourseFiles = false;
    }
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (a.startsWith("--")) throw new Error(`unknown option ${a}\n${USAGE}`);
    else targets.push(a);
  }
  if (targets.length === 0) throw new Error(`no submission given\n${USAGE}`);
  return { targets, opts };
}

async function main(): Promise<void> {
  const { targets, opts } = parseGradeArgs(process.argv.slice(2));
  if (!findJupyterPython()) {
    console.error(JUPYTER_MISSING_HELP);
    process.exit(2);
  }
  const report = await gradeWithProgress(targets, opts);
  console.log(formatTable(report));
  const files = writeReport(report, opts.outDir);
  console.log(`\nrelatório: ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}; notebooks executados em ${path.relative(process.cwd(), path.join(opts.outDir, "executed"))}`);
  const broken = report.submissions.filter((s) => !s.originalUnchanged);
  if (broken.length) {
    console.error(`ATENÇÃO: ${broken.length} arquivo(s) original(is) mudaram durante a correção: ${broken.map((s) => s.file).join(", ")}`);
    process.exit(3);
  }
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(err.message);
    process.exit(2);
  });
}
