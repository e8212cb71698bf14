// The class roster (`--roster roster.csv`): student ids and how to recognise their files,
// so that an LMS download (Moodle: "Maria Silva_123456_assignsubmission_file_/02-x.ipynb")
// or Classroom clones ("lista-02-mariasilva/02-x.ipynb") are graded under the student's id,
// and the students with no submission are listed.
//   id,name,match
//   2026001,Maria Silva,_123456_|mariasilva
// `match`: text that occurs in the file's path (case-insensitive), several separated by "|".
import { parse } from "csv-parse/sync";
import * as fs from "fs";
import * as path from "path";
import type { SubmissionEntry } from "../grader";

export interface RosterStudent { id: string; name: string; match: string[] }

export function readRoster(file: string): RosterStudent[] {
  if (!fs.existsSync(file)) throw new Error(`no roster at ${file}`);
  let rows: Record<string, string>[];
  try {
    rows = parse(fs.readFileSync(file, "utf8"), { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  } catch (err) {
    throw new Error(`${file}: not a readable CSV (${(err as Error).message}); write the header id,name,match`);
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  const students = rows.map((r, i): RosterStudent => {
    const line = i + 2;
    const id = r.id ?? "";
    const match = (r.match ?? "").split("|").map((m) => m.trim().toLowerCase()).filter(Boolean);
    if (!id) problems.push(`line ${line}: no id`);
    else if (seen.has(id)) problems.push(`line ${line}: id ${id} repeated`);
    else if (/[\\/]/.test(id)) problems.push(`line ${line}: id ${id} has a slash`);
    if (match.length === 0) problems.push(`line ${line}: no match text for ${id || "?"} (a part of the file names: a Moodle participant number, a Classroom user name)`);
    seen.add(id);
    return { id, name: r.name ?? "", match };
  });
  if (problems.length) throw new Error(`${file}: fix these lines (header id,name,match):\n  ${problems.join("\n  ")}`);
  return students;
}

export interface RosterResult {
  entries: SubmissionEntry[];
  /** Files no roster line matches (graded under their path). */
  unmatched: string[];
  /** Files that more than one student's text matches (graded under their path). */
  ambiguous: string[];
  /** Roster ids with no file. */
  missing: string[];
}

/** Renames each entry `<id>/<file name>` when exactly one student's text occurs in its path. */
export function applyRoster(entries: SubmissionEntry[], roster: RosterStudent[]): RosterResult {
  const unmatched: string[] = [], ambiguous: string[] = [];
  const found = new Set<string>();
  const renamed = entries.map((e) => {
    const where = e.student.toLowerCase();
    const owners = roster.filter((s) => s.match.some((m) => where.includes(m)));
    if (owners.length !== 1) {
      (owners.length ? ambiguous : unmatched).push(e.student);
      return e;
    }
    found.add(owners[0].id);
    return { file: e.file, student: `${owners[0].id}/${path.basename(e.file).replace(/\.ipynb$/i, "")}` };
  });
  return { entries: renamed, unmatched, ambiguous, missing: roster.filter((s) => !found.has(s.id)).map((s) => s.id) };
}
