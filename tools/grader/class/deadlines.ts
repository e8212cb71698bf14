// Deadlines (`--deadlines deadlines.json` with --gradebook / --feedback): a due date per
// notebook, per-student extensions, a penalty per day late, and where the time a file was
// handed in comes from, as the instructor names it:
//   "mtime": the file's modification time (a download that kept it: Moodle's zip does);
//   "git":   the last commit touching the file in its clone (GitHub Classroom);
//   "name":  a date in the file's path ("..._2026-03-14T23-59_...", as some LMS downloads name them).
// {"timestamp": "mtime", "due": {"02-filtros-convolucao": "2026-03-14T23:59:00-03:00"},
//  "extensions": {"maria": {"02-filtros-convolucao": "2026-03-16T23:59:00-03:00"}},
//  "penalty": {"perDayPercent": 10, "maxPercent": 50, "graceMinutes": 5}}
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { SubmissionGrade } from "../grader";

export interface DeadlineRules {
  timestamp: "mtime" | "git" | "name";
  due: Record<string, string>;
  extensions?: Record<string, Record<string, string>>;
  penalty: { perDayPercent: number; maxPercent: number; graceMinutes?: number };
}

export interface Lateness { due: Date; at: Date; daysLate: number; percent: number }

const DAY_MS = 24 * 3600 * 1000;

export function readDeadlines(file: string): DeadlineRules {
  let rules: DeadlineRules;
  try {
    rules = JSON.parse(fs.readFileSync(file, "utf8")) as DeadlineRules;
  } catch (err) {
    throw new Error(`${file}: not readable JSON (${(err as Error).message})`);
  }
  const problems: string[] = [];
  if (!["mtime", "git", "name"].includes(rules.timestamp)) problems.push(`"timestamp" is "mtime", "git" or "name", not ${JSON.stringify(rules.timestamp)}`);
  const dates = [...Object.entries(rules.due ?? {}), ...Object.values(rules.extensions ?? {}).flatMap((e) => Object.entries(e))];
  for (const [id, when] of dates) if (Number.isNaN(Date.parse(when))) problems.push(`${id}: "${when}" is not a date (write 2026-03-14T23:59:00-03:00)`);
  if (!rules.due || Object.keys(rules.due).length === 0) problems.push(`"due" needs a date per notebook id`);
  const p = rules.penalty;
  if (!p || !(p.perDayPercent >= 0) || !(p.maxPercent >= 0 && p.maxPercent <= 100)) problems.push(`"penalty" needs perDayPercent >= 0 and maxPercent from 0 to 100`);
  if (problems.length) throw new Error(`${file}:\n  ${problems.join("\n  ")}`);
  return rules;
}

/** When the file was handed in, from the source the rules name (null: unknown). */
export function submittedAt(file: string, source: DeadlineRules["timestamp"]): Date | null {
  if (source === "mtime") return fs.existsSync(file) ? fs.statSync(file).mtime : null;
  if (source === "git") {
    const r = spawnSync("git", ["log", "-1", "--format=%cI", "--", path.basename(file)], { cwd: path.dirname(file), encoding: "utf8" });
    const when = r.status === 0 ? r.stdout.trim() : "";
    return when ? new Date(when) : null;
  }
  const m = /(\d{4})-(\d{2})-(\d{2})[T _](\d{2})[-:h](\d{2})/.exec(file);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00`) : null;
}

/** How late a row is and its penalty (null: no due date for its notebook, or on time). */
export function lateness(row: SubmissionGrade, student: string, rules: DeadlineRules): Lateness | null {
  const nb = row.notebook;
  if (!nb) return null;
  const dueText = rules.extensions?.[student]?.[nb] ?? rules.due[nb];
  if (!dueText) return null;
  const at = submittedAt(row.file, rules.timestamp);
  if (!at) return null;
  const due = new Date(dueText);
  const late = at.getTime() - due.getTime() - (rules.penalty.graceMinutes ?? 0) * 60000;
  if (late <= 0) return null;
  const daysLate = Math.ceil(late / DAY_MS);
  return { due, at, daysLate, percent: Math.min(rules.penalty.maxPercent, daysLate * rules.penalty.perDayPercent) };
}
