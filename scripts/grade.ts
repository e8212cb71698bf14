// npm run grade -- <submission.ipynb | folder>... [--out .cache/grades] [--solutions solutions/]
//   [--hidden tools/grader/hidden/] [--cell-timeout 120] [--total-timeout 900] [--max-memory-mb 3072] [--no-guard]
//   [--jobs N] [--no-sandbox] [--max-processes 256] [--disk-mb 512]
// npm run grade -- --merge-manual manual-points.csv [--out .cache/grades]
// npm run grade -- --only-failed .cache/grades/report.json [options]
//
// Grades student submissions against the course's public and hidden cases (see
// docs/grading.md): a table on the terminal, report.json, grades.csv, details.csv,
// answers.md and the executed notebooks in the output folder. The grader is tools/grader/.
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { findJupyterPython, JUPYTER_MISSING_HELP } from "../tools/notebooks/jupyter";
import { defaultGradeOptions, GradeOptions, gradeWithProgress } from "../tools/grader/grader";
import { formatTable, writeReport } from "../tools/grader/report";
import { mergeManualPoints } from "../tools/grader/manual";
import { sandboxProblem } from "../tools/grader/sandbox";

const USAGE = "usage: npm run grade -- <submission.ipynb | folder>... [--out .cache/grades] [--solutions solutions/] " +
  "[--hidden tools/grader/hidden/] [--cell-timeout 120] [--total-timeout 900] [--max-memory-mb 3072] [--no-guard] " +
  "[--jobs N] [--no-sandbox] [--max-processes 256] [--disk-mb 512]\n" +
  "       npm run grade -- --only-failed .cache/grades/report.json [options]   (regrade the rows that failed on the grader's side)\n" +
  "       npm run grade -- --merge-manual manual-points.csv [--out .cache/grades]";

export interface GradeArgs { targets: string[]; opts: GradeOptions; mergeManual: string | null; onlyFailed: string | null }

export function parseGradeArgs(argv: string[]): GradeArgs {
  const opts = defaultGradeOptions();
  const targets: string[] = [];
  let mergeManual: string | null = null;
  let onlyFailed: string | null = null;
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
    else if (a === "--jobs") opts.jobs = Math.round(positive());
    else if (a === "--max-processes") opts.maxProcesses = Math.round(positive());
    else if (a === "--disk-mb") opts.diskMb = Math.round(positive());
    else if (a === "--no-sandbox") opts.sandbox = false;
    else if (a === "--merge-manual") mergeManual = path.resolve(value());
    else if (a === "--only-failed") onlyFailed = path.resolve(value());
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
  if (targets.length === 0 && !mergeManual && !onlyFailed) throw new Error(`no submission given\n${USAGE}`);
  // The regraded report replaces the one it came from, unless --out says otherwise.
  if (onlyFailed && !argv.includes("--out")) opts.outDir = path.dirname(onlyFailed);
  if (onlyFailed && targets.length) throw new Error(`--only-failed regrades the failed rows of that report: give no submission with it\n${USAGE}`);
  return { targets, opts, mergeManual, onlyFailed };
}

async function main(): Promise<void> {
  const { targets, opts, mergeManual, onlyFailed } = parseGradeArgs(process.argv.slice(2));
  if (mergeManual) {
    const { file, merged } = mergeManualPoints(opts.outDir, mergeManual);
    console.log(`manual points of ${merged} answer(s) merged into ${path.relative(process.cwd(), file)}`);
    return;
  }
  // The expected values are computed here with TensorFlow.js: no "Hi, looks like you are running" banner.
  tf.enableProdMode();
  if (!findJupyterPython()) {
    console.error(JUPYTER_MISSING_HELP);
    process.exit(2);
  }
  const problem = opts.sandbox ? sandboxProblem() : null;
  if (problem) throw new Error(problem);
  const report = await gradeWithProgress(targets, opts, onlyFailed);
  console.log(formatTable(report));
  const files = writeReport(report, opts.outDir);
  console.log(`\nrelatório: ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}; notebooks executados em ${path.relative(process.cwd(), path.join(opts.outDir, "executed"))}`);
  const broken = report.submissions.filter((s) => !s.originalUnchanged);
  if (broken.length) {
    console.error(`ATENÇÃO: ${broken.length} arquivo(s) original(is) mudaram durante a correção: ${broken.map((s) => s.file).join(", ")}`);
    process.exit(3);
  }
  const failed = report.submissions.filter((s) => s.status === "failed");
  if (failed.length) {
    console.error(`${failed.length} linha(s) falharam do lado do corretor (sem nota, nenhum zero): ` +
      `npm run grade -- --only-failed ${path.relative(process.cwd(), path.join(opts.outDir, "report.json"))} [--total-timeout ...]`);
    process.exit(4);
  }
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(err.message);
    process.exit(2);
  });
}
