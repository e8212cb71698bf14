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
import { exitWithError, oneOf, OptionValues, positiveInt, positiveNumber, readCommandLine, UsageError } from "./cli";

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

const OPTIONS = {
  out: { type: "string" }, solutions: { type: "string" }, hidden: { type: "string" },
  "cell-timeout": { type: "string" }, "total-timeout": { type: "string" }, "max-memory-mb": { type: "string" },
  jobs: { type: "string" }, "max-processes": { type: "string" }, "disk-mb": { type: "string" },
  "no-sandbox": { type: "boolean" }, "no-guard": { type: "boolean" }, runner: { type: "string" }, "process-per": { type: "string" },
  "all-cells": { type: "boolean" }, "merge-manual": { type: "string" }, merge: { type: "boolean" }, resume: { type: "boolean" },
  only: { type: "string" }, shard: { type: "string" }, roster: { type: "string" }, gradebook: { type: "string" },
  weights: { type: "string" }, feedback: { type: "boolean" }, deadlines: { type: "string" }, "only-failed": { type: "string" },
} as const;

type GradeValues = OptionValues<typeof OPTIONS>;
const resolved = (p: string | undefined): string | null => (p === undefined ? null : path.resolve(p));

/** The grading options of the command line (the rest keep defaultGradeOptions()). */
function gradeOptionsFrom(v: GradeValues): GradeOptions {
  const opts = defaultGradeOptions();
  const positive = (flag: keyof GradeValues & string, value: string | undefined, fallback: number): number =>
    value === undefined ? fallback : positiveNumber(`--${flag}`, value, USAGE);
  opts.outDir = resolved(v.out) ?? opts.outDir;
  opts.solutionsDir = resolved(v.solutions) ?? opts.solutionsDir;
  opts.hiddenDir = resolved(v.hidden) ?? opts.hiddenDir;
  opts.cellTimeoutSec = positive("cell-timeout", v["cell-timeout"], opts.cellTimeoutSec);
  opts.totalTimeoutSec = positive("total-timeout", v["total-timeout"], opts.totalTimeoutSec);
  opts.maxMemoryMb = Math.round(positive("max-memory-mb", v["max-memory-mb"], opts.maxMemoryMb));
  opts.jobs = v.jobs === undefined ? opts.jobs : positiveInt("--jobs", v.jobs, USAGE);
  opts.maxProcesses = Math.round(positive("max-processes", v["max-processes"], opts.maxProcesses));
  opts.diskMb = Math.round(positive("disk-mb", v["disk-mb"], opts.diskMb));
  if (v["no-sandbox"]) opts.sandbox = false;
  if (v.runner !== undefined) opts.runner = oneOf("--runner", v.runner, ["direct", "kernel"] as const, USAGE);
  if (v["process-per"] !== undefined) opts.processPer = oneOf("--process-per", v["process-per"], ["student", "submission"] as const, USAGE);
  if (v["all-cells"]) opts.skipMarked = false;
  if (v["no-guard"]) {
    // Only the submissions: for a working tree where others edit the course while grading.
    opts.protect = [];
    opts.guardCourseFiles = false;
  }
  return opts;
}

export function parseGradeArgs(argv: string[]): GradeArgs {
  const { values: v, positionals } = readCommandLine(argv, OPTIONS, USAGE);
  const opts = gradeOptionsFrom(v);
  // --merge takes the shards' folders where submissions would be.
  const merge = v.merge ? positionals.map((p) => path.resolve(p)) : [];
  if (v.merge && merge.length === 0) throw new UsageError(`--merge needs the output folders of the shards\n${USAGE}`);
  const targets = v.merge ? [] : positionals;
  const flags: ClassFlags = { resume: v.resume ?? false, only: v.only?.replace(/\.ipynb$/i, "") ?? null,
    shard: v.shard === undefined ? null : parseShard(v.shard), roster: resolved(v.roster) };
  const gradebook = v.gradebook === undefined ? null : oneOf("--gradebook", v.gradebook, GRADEBOOK_PRESETS, USAGE);
  const outputs: ClassOutputs = { gradebook, weights: resolved(v.weights), feedback: v.feedback ?? false, deadlines: resolved(v.deadlines) };
  const mergeManual = resolved(v["merge-manual"]);
  const onlyFailed = resolved(v["only-failed"]);
  const post = outputs.gradebook !== null || outputs.feedback;
  if (targets.length === 0 && !mergeManual && !onlyFailed && merge.length === 0 && !post) throw new UsageError(`no submission given\n${USAGE}`);
  // The regraded report replaces the one it came from, unless --out says otherwise.
  if (onlyFailed && v.out === undefined) opts.outDir = path.dirname(onlyFailed);
  if (onlyFailed && targets.length) throw new UsageError(`--only-failed regrades the failed rows of that report: give no submission with it\n${USAGE}`);
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

if (require.main === module) main().catch(exitWithError);
