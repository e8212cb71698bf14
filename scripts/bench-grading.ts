// npm run bench:grading -- [--students 2] [--jobs N] [--runner direct|kernel] [--process-per student|submission] [--all-cells] [--no-guard] [--keep DIR]
// (--keep: the class and its report stay in DIR)
// Builds a synthetic class (every course notebook per student; right, wrong, unfinished and
// broken submissions mixed: tools/grader/fast/synthetic.ts), grades it as `npm run grade`
// does (sandbox, guard) and prints ONE JSON line: submissions, seconds, submissions per
// minute, the projection to a class of 300, peak RSS of the grader and its children, the
// points of each kind checked against what that kind should get, and seconds per notebook.
// Exit code 1 when a kind got other points than it should.
import * as tf from "@tensorflow/tfjs";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadCourseSources } from "../tools/grader/assemble";
import { KINDS, SubmissionKind, SyntheticSubmission, writeSyntheticClass } from "../tools/grader/fast/synthetic";
import { defaultGradeOptions, gradeAll, GradeOptions, SubmissionGrade } from "../tools/grader/grader";
import { writeReport } from "../tools/grader/report";
import { exitWithError, oneOf, positiveInt, readOptions } from "./cli";

export interface BenchArgs { students: number; keep: string | null; opts: GradeOptions }

const USAGE = "usage: npm run bench:grading -- [--students 2] [--jobs N] [--runner direct|kernel] [--process-per student|submission] [--all-cells] [--no-sandbox] [--no-guard] [--keep DIR]";
const OPTIONS = {
  students: { type: "string" }, jobs: { type: "string" }, runner: { type: "string" }, "process-per": { type: "string" },
  "all-cells": { type: "boolean" }, "no-sandbox": { type: "boolean" }, "no-guard": { type: "boolean" }, keep: { type: "string" },
} as const;

export function parseBenchArgs(argv: string[]): BenchArgs {
  const v = readOptions(argv, OPTIONS, USAGE);
  const opts = defaultGradeOptions();
  if (v.jobs !== undefined) opts.jobs = positiveInt("--jobs", v.jobs, USAGE);
  if (v.runner !== undefined) opts.runner = oneOf("--runner", v.runner, ["direct", "kernel"] as const, USAGE);
  if (v["process-per"] !== undefined) opts.processPer = oneOf("--process-per", v["process-per"], ["student", "submission"] as const, USAGE);
  if (v["all-cells"]) opts.skipMarked = false;
  if (v["no-sandbox"]) opts.sandbox = false;
  if (v["no-guard"]) {
    // As `npm run grade -- --no-guard`: for a checkout someone edits while the benchmark runs.
    opts.protect = [];
    opts.guardCourseFiles = false;
  }
  return { students: v.students === undefined ? 2 : positiveInt("--students", v.students, USAGE), keep: v.keep === undefined ? null : path.resolve(v.keep), opts };
}

/** Resident memory of this process and all its descendants (Linux /proc), in MB. */
function treeRssMb(): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const name of fs.readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const pid = Number(name);
      const ppid = Number(fields[1]);
      rss.set(pid, Number(fields[21]) * 4096);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  const stack = [process.pid];
  while (stack.length) {
    const pid = stack.pop() as number;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total / 1024 / 1024;
}

/** Why a graded submission does not have the points its kind should get ("" when it does). */
export function kindMismatch(kind: SubmissionKind, g: SubmissionGrade): string {
  if (g.status !== "graded") return `${g.status}: ${g.problems.join("; ")}`;
  const off = (want: string, bad: SubmissionGrade["exercises"]): string =>
    bad.length ? `${want}: ${bad.map((e) => `${e.exercise} ${e.points}/${e.maxPoints} (${e.status}: ${e.message})`).join(", ")}` : "";
  if (kind === "right") return off("full marks", g.exercises.filter((e) => e.points !== e.maxPoints));
  if (kind === "wrong") return off("less than full marks", g.exercises.filter((e) => e.points >= e.maxPoints));
  if (kind === "unfinished") return off("0, not done", g.exercises.filter((e) => e.points !== 0 || e.status !== "not-done"));
  return off("0, error", g.exercises.filter((e) => e.points !== 0 || e.status !== "error"));
}

/** Runner processes started, by why (the reason's first words): "first" is one per student. */
function runnerStarts(rows: SubmissionGrade[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const why of rows.flatMap((r) => r.runnerStarts ?? [])) {
    const key = why.replace(/ \(.*$/, "").slice(0, 80);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

function round(x: number, digits = 1): number {
  return Number(x.toFixed(digits));
}

export async function runBench(args: BenchArgs): Promise<Record<string, unknown>> {
  const dir = args.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), "cnn-bench-grading-"));
  const opts: GradeOptions = { ...args.opts, outDir: path.join(dir, "grades"), log: () => undefined };
  try {
    const sources = loadCourseSources(opts.solutionsDir);
    const subs: SyntheticSubmission[] = writeSyntheticClass(sources, args.students, path.join(dir, "class"));
    let peak = treeRssMb();
    const sampler = setInterval(() => { peak = Math.max(peak, treeRssMb()); }, 500);
    const report = await gradeAll([path.join(dir, "class")], opts).finally(() => clearInterval(sampler));
    if (args.keep) writeReport(report, opts.outDir);
    const byStudent = new Map(subs.map((s) => [s.student, s]));
    const kinds: Record<string, { submissions: number; points: number; maxPoints: number }> = {};
    const mismatches: string[] = [];
    const perNotebook: Record<string, number[]> = {};
    for (const g of report.submissions) {
      const sub = byStudent.get(g.student);
      if (!sub) throw new Error(`graded ${g.student}, which the synthetic class does not have`);
      const k = (kinds[sub.kind] ??= { submissions: 0, points: 0, maxPoints: 0 });
      k.submissions++;
      k.points = round(k.points + g.points, 2);
      k.maxPoints += g.maxPoints;
      const why = kindMismatch(sub.kind, g);
      if (why) mismatches.push(`${g.student} (${sub.kind}): ${why}`);
      (perNotebook[sub.notebook] ??= []).push(g.seconds);
    }
    const n = report.submissions.length;
    const perMinute = n / (report.seconds / 60);
    return {
      bench: "grading", students: args.students, notebooks: sources.size, submissions: n, seconds: round(report.seconds),
      submissionsPerMinute: round(perMinute, 2), projectedHoursFor300Students: round((300 * sources.size) / perMinute / 60, 2),
      peakRssMb: Math.round(peak), jobs: opts.jobs, runner: opts.runner, processPer: opts.processPer, skipMarked: opts.skipMarked, sandbox: opts.sandbox,
      runnerStarts: runnerStarts(report.submissions),
      kinds: Object.fromEntries(KINDS.filter((k) => kinds[k]).map((k) => [k, kinds[k]])), ok: mismatches.length === 0, mismatches,
      secondsPerSubmissionByNotebook: Object.fromEntries(Object.entries(perNotebook).map(([id, s]) => [id, round(s.reduce((a, b) => a + b, 0) / s.length)])),
      loadAverage: os.loadavg().map((x) => round(x, 2)), cores: os.cpus().length,
    };
  } finally {
    if (!args.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  tf.enableProdMode();
  const result = await runBench(parseBenchArgs(process.argv.slice(2)));
  console.log(JSON.stringify(result));
  if (!result.ok) process.exit(1);
}

if (require.main === module) main().catch(exitWithError);
