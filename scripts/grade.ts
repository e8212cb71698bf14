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
import { ClassFlags, parseShard, prepareClassRun, stopOnInterrupt } from "../tools/grader/class/run";
import { mergeShards } from "../tools/grader/class/merge";
import { GRADEBOOK_PRESETS, GradebookPreset } from "../tools/grader/class/gradebook";
import { writeClassOutputs } from "../tools/grader/class/outputs";

const USAGE = "usage: npm run grade -- <submission.ipynb | folder>... [--out .cache/grades] [--solutions solutions/] " +
  "[--hidden tools/grader/hidden/] [--cell-timeout 120] [--total-timeout 900] [--max-memory-mb 3072] [--no-guard] " +
  "[--jobs N] [--no-sandbox] [--max-processes 256] [--disk-mb 512] [--runner direct|kernel] [--process-per student|submission] [--all-cells]\n" +
  "       [--resume] [--only STUDENT] [--shard K/N] [--roster roster.csv]\n" +
  "       npm run grade -- --only-failed .cache/grades/report.json [options]   (regrade the rows that failed on the grader's side)\n" +
  "       npm run grade -- --merge SHARD_OUT_DIR... --out DIR\n" +
  "       npm run grade -- --out DIR [--gradebook pt-br|moodle|canvas] [--weights weights.json] [--feedback] [--deadlines deadlines.json]\n" +
  "       npm run grade -- --merge-manual manual-points.csv [--out .cache/grades]";

export interface ClassOutputs { gradebook: GradebookPreset | null; weights: string | null; feedback: boolean; deadlines: string | null }

export interface GradeArgs {
  targets: string[]; opts: GradeOptions; mergeManual: string | null; onlyFailed: string | null; merge: string[]; flags: ClassFlags; outputs: ClassOutputs;
}

export function parseGradeArgs(argv: string[]): GradeArgs {
  const opts = defaultGradeOptions();
  const targets: string[] = [];
  let mergeManual: string | null = null;
  const merge: string[] = [];
  const flags: ClassFlags = { resume: false, only: null, shard: null, roster: null };
  const outputs: ClassOutputs = { gradebook: null, weights: null, feedback: false, deadlines: null };
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
    else if (a === "--runner") {
      const runner = value();
      if (runner !== "kernel" && runner !== "direct") throw new Error(`--runner is "direct" (tslab's compiler in one Node process) or "kernel" (Jupyter), not "${runner}"`);
      opts.runner = runner;
    } else if (a === "--process-per") {
      const per = value();
      if (per !== "student" && per !== "submission") throw new Error(`--process-per is "student" (one runner for all of a student's notebooks) or "submission", not "${per}"`);
      opts.processPer = per;
    } else if (a === "--all-cells") opts.skipMarked = false;
    else if (a === "--merge-manual") mergeManual = path.resolve(value());
    else if (a === "--merge") {
      while (argv[i + 1] !== undefined && !argv[i + 1].startsWith("--")) merge.push(path.resolve(argv[++i]));
      if (merge.length === 0) throw new Error("--merge needs the output folders of the shards");
    } else if (a === "--resume") flags.resume = true;
    else if (a === "--only") flags.only = value().replace(/\.ipynb$/i, "");
    else if (a === "--shard") flags.shard = parseShard(value());
    else if (a === "--roster") flags.roster = path.resolve(value());
    else if (a === "--gradebook") {
      const preset = value();
      if (!GRADEBOOK_PRESETS.includes(preset as GradebookPreset)) throw new Error(`--gradebook is one of ${GRADEBOOK_PRESETS.join(", ")}, not "${preset}"`);
      outputs.gradebook = preset as GradebookPreset;
    } else if (a === "--weights") outputs.weights = path.resolve(value());
    else if (a === "--feedback") outputs.feedback = true;
    else if (a === "--deadlines") outputs.deadlines = path.resolve(value());
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
  const post = outputs.gradebook !== null || outputs.feedback;
  if (targets.length === 0 && !mergeManual && !onlyFailed && merge.length === 0 && !post) throw new Error(`no submission given\n${USAGE}`);
  // The regraded report replaces the one it came from, unless --out says otherwise.
  if (onlyFailed && !argv.includes("--out")) opts.outDir = path.dirname(onlyFailed);
  if (onlyFailed && targets.length) throw new Error(`--only-failed regrades the failed rows of that report: give no submission with it\n${USAGE}`);
  return { targets, opts, mergeManual, onlyFailed, merge, flags, outputs };
}

async function main(): Promise<void> {
  const { targets, opts: baseOpts, mergeManual, onlyFailed, merge, flags, outputs } = parseGradeArgs(process.argv.slice(2));
  if (targets.length === 0 && merge.length === 0 && !mergeManual && !onlyFailed) {
    for (const file of writeClassOutputs(baseOpts.outDir, outputs)) console.log(`escrito: ${path.relative(process.cwd(), file)}`);
    return;
  }
  if (merge.length) {
    const merged = mergeShards(merge, baseOpts.outDir);
    console.log(formatTable(merged));
    writeReport(merged, baseOpts.outDir);
    console.log(`\n${merge.length} shard(s) merged into ${path.relative(process.cwd(), baseOpts.outDir) || "."}`);
    return;
  }
  if (mergeManual) {
    const { file, merged } = mergeManualPoints(baseOpts.outDir, mergeManual);
    console.log(`manual points of ${merged} answer(s) merged into ${path.relative(process.cwd(), file)}`);
    return;
  }
  // The expected values are computed here with TensorFlow.js: no "Hi, looks like you are running" banner.
  tf.enableProdMode();
  if (baseOpts.runner === "kernel" && !findJupyterPython()) {
    console.error(JUPYTER_MISSING_HELP);
    process.exit(2);
  }
  const problem = baseOpts.sandbox ? sandboxProblem() : null;
  if (problem) throw new Error(problem);
  const abort = new AbortController();
  const run = prepareClassRun(targets, baseOpts, onlyFailed ? { ...flags, append: true } : flags, abort);
  const opts = run.opts;
  stopOnInterrupt(abort, (l) => console.error(l));
  const report = run.finish(await gradeWithProgress(targets, opts, onlyFailed));
  console.log(formatTable(report));
  if (report.roster) {
    const r = report.roster;
    if (r.missing.length) console.log(`sem envio (${r.missing.length}): ${r.missing.join(", ")}`);
    if (r.unmatched.length) console.log(`arquivos sem aluno no roster (${r.unmatched.length}): ${r.unmatched.join(", ")}`);
    if (r.ambiguous.length) console.log(`arquivos de mais de um aluno do roster (${r.ambiguous.length}): ${r.ambiguous.join(", ")}`);
  }
  const files = writeReport(report, opts.outDir);
  if (report.interrupted) console.error(`interrompido: ${report.submissions.length} envio(s) no relatório; rode de novo com --resume para corrigir o resto`);
  console.log(`\nrelatório: ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}; notebooks executados em ${path.relative(process.cwd(), path.join(opts.outDir, "executed"))}`);
  const broken = report.submissions.filter((s) => !s.originalUnchanged);
  if (broken.length) {
    console.error(`ATENÇÃO: ${broken.length} arquivo(s) original(is) mudaram durante a correção: ${broken.map((s) => s.file).join(", ")}`);
    process.exit(3);
  }
  if (report.interrupted) process.exit(130);
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
