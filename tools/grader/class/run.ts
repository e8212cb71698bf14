// The class-run options of `npm run grade`: rows journaled as they finish, `--resume`,
// `--only STUDENT`, `--shard K/N`, and Ctrl-C that leaves a consistent report.
import * as path from "path";
import { loadCourseSources } from "../assemble";
import { processKey } from "../fast/per-student";
import { GradeOptions, GradingReport, listSubmissions, SubmissionEntry, SubmissionGrade } from "../grader";
import { GradingKey, gradingKey, Journal } from "./journal";
import { applyRoster, readRoster, RosterStudent } from "./roster";

export interface ClassFlags {
  resume: boolean;
  only: string | null;
  shard: { k: number; n: number } | null;
  /** A roster CSV (id,name,match): files graded under the student's id, students with no file listed. */
  roster?: string | null;
  /** Keep the journal's rows and add to it (`--only-failed` regrades into an earlier run's folder). */
  append?: boolean;
}

export function parseShard(text: string): { k: number; n: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const k = Number(m?.[1]), n = Number(m?.[2]);
  if (!m || n < 1 || k < 1 || k > n) throw new Error(`--shard takes K/N with 1 <= K <= N (for example 2/3), not "${text}"`);
  return { k, n };
}

/**
 * The K-th of N slices of the submissions: deterministic and balanced by student. The submissions
 * with the same `keyOf` (one student's, who share a runner process) stay in one slice; the students,
 * in the order of their first submission, go to slices 1, 2, ..., N, 1, 2, ...
 */
export function shardOf<T>(entries: T[], shard: { k: number; n: number }, keyOf: (entry: T, index: number) => string = (_, i) => String(i)): T[] {
  const slot = new Map<string, number>();
  return entries.filter((e, i) => {
    const key = keyOf(e, i);
    if (!slot.has(key)) slot.set(key, slot.size % shard.n);
    return slot.get(key) === shard.k - 1;
  });
}

/** True when `student` (a path such as "aluno-01/02-x") is the student named, or one of their files. */
export function isStudent(student: string, name: string): boolean {
  return student === name || student.startsWith(`${name}/`);
}

/** Where each submission sits in the whole class listing (what a merge sorts by). */
export function positionsOf(targets: string[], roster: RosterStudent[] | null = null): Map<string, number> {
  const all = targets.flatMap(listSubmissions);
  return new Map((roster ? applyRoster(all, roster).entries : all).map((e, i) => [e.student, i]));
}

export interface ClassRun {
  opts: GradeOptions;
  /** Adds what a class run knows to the report (shard slice, the rows kept from before). */
  finish(report: GradingReport): GradingReport;
}

/** Sets the grading options for a class run: journal, resume, only, shard, Ctrl-C. `key`: what graded the rows (default: this checkout). */
export function prepareClassRun(targets: string[], opts: GradeOptions, flags: ClassFlags, abort: AbortController,
  key: GradingKey = gradingKey(opts.solutionsDir, opts.hiddenDir)): ClassRun {
  const journal = new Journal(opts.outDir, key, !flags.resume && !flags.only && !flags.append);
  const kept: SubmissionGrade[] = [];
  const roster = flags.roster ? readRoster(flags.roster) : null;
  const notebookIds = flags.shard ? [...loadCourseSources(opts.solutionsDir).keys()] : [];
  const select = (entries: SubmissionEntry[]): SubmissionEntry[] => {
    const named = roster ? applyRoster(entries, roster).entries : entries;
    let list = flags.shard ? shardOf(named, flags.shard, (e, i) => processKey(e, notebookIds) ?? `\u0001${i}`) : named;
    // --only: that student is graded; the others keep their earlier rows (none: left out).
    if (flags.only) list = list.filter((e) => isStudent(e.student, flags.only ?? "") || journal.earlier(e.student));
    return list;
  };
  const reuse = (entry: SubmissionEntry, sha: string): SubmissionGrade | null => {
    const row = flags.only && !isStudent(entry.student, flags.only) ? journal.earlier(entry.student)
      : flags.resume ? journal.reusable(entry.student, sha) : null;
    if (row) kept.push(row);
    return row;
  };
  const onGraded = (grade: SubmissionGrade): void => {
    if (!kept.includes(grade)) journal.write(grade);
  };
  return {
    opts: { ...opts, select, reuse, onGraded, signal: abort.signal },
    finish: (withoutRoster) => {
      const found = applyRoster(targets.flatMap(listSubmissions), roster ?? []);
      const report = roster ? { ...withoutRoster, roster: { missing: found.missing, unmatched: found.unmatched, ambiguous: found.ambiguous } } : withoutRoster;
      if (!flags.shard) return report;
      const positions = positionsOf(targets, roster);
      return { ...report, shard: { k: flags.shard.k, n: flags.shard.n, of: positions.size,
        positions: report.submissions.map((s) => positions.get(s.student) ?? -1) } };
    },
  };
}

/** Ctrl-C: stop starting submissions, kill the running ones; a second Ctrl-C quits at once. */
export function stopOnInterrupt(abort: AbortController, log: (line: string) => void): void {
  process.on("SIGINT", () => {
    if (abort.signal.aborted) process.exit(130);
    log(`\ninterrompido: os envios em andamento foram parados; o relatório terá só os já corrigidos (continue com --resume; ${path.join("<saída>", "rows.jsonl")})`);
    abort.abort();
  });
}
