// A class run that survives: every graded submission is appended to <out>/rows.jsonl as
// it finishes (one JSON line, with the key of what graded it), so an interrupted run
// keeps its work; `--resume` takes a row again when the same bytes were graded by the
// same grader (commit), the same hidden cases and the same course notebooks.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../../lib/common/config";
import { sha256 } from "../../common/hash";
import type { SubmissionGrade } from "../grader";

export const JOURNAL = "rows.jsonl";

/** What a graded row depends on besides the submission's bytes. */
export interface GradingKey { graderCommit: string; hidden: string; solutions: string }

/** sha256 of every file under `dir` (sorted relative paths and contents). */
export function folderHash(dir: string): string {
  if (!fs.existsSync(dir)) return "none";
  const parts: string[] = [];
  const walk = (d: string): void => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (fs.statSync(p).isDirectory()) walk(p);
      else parts.push(path.relative(dir, p), sha256(fs.readFileSync(p)));
    }
  };
  walk(dir);
  return sha256(Buffer.from(parts.join("\n")));
}

/** The grader's commit (with "+changes" when tools/ or lib/ differ from it), else "unknown". */
export function graderCommit(root = projectRoot()): string {
  const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" });
  if (head.status !== 0) return "unknown";
  const dirty = spawnSync("git", ["status", "--porcelain", "--", "tools", "lib", "scripts/grade.ts"], { cwd: root, encoding: "utf8" });
  return head.stdout.trim() + (dirty.stdout.trim() ? "+changes" : "");
}

export function gradingKey(solutionsDir: string, hiddenDir: string): GradingKey {
  return { graderCommit: graderCommit(), hidden: folderHash(hiddenDir), solutions: folderHash(solutionsDir) };
}

function sameKey(a: GradingKey, b: GradingKey): boolean {
  return a.graderCommit === b.graderCommit && a.hidden === b.hidden && a.solutions === b.solutions;
}

interface JournalLine { key: GradingKey; grade: SubmissionGrade }

/** The rows of an earlier run (the last one per student; a torn last line is ignored). */
export function readJournal(outDir: string): JournalLine[] {
  const file = path.join(outDir, JOURNAL);
  if (!fs.existsSync(file)) return [];
  const rows = new Map<string, JournalLine>();
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    try {
      const row = JSON.parse(line) as JournalLine;
      if (row.grade?.student) rows.set(row.grade.student, row);
    } catch {
      // a line cut by an interruption: that submission is graded again
    }
  }
  return [...rows.values()];
}

export class Journal {
  private readonly file: string;
  private readonly previous: Map<string, JournalLine>;

  constructor(outDir: string, readonly key: GradingKey, fresh: boolean) {
    fs.mkdirSync(outDir, { recursive: true });
    this.file = path.join(outDir, JOURNAL);
    this.previous = new Map(readJournal(outDir).map((r) => [r.grade.student, r]));
    if (fresh) fs.writeFileSync(this.file, "");
  }

  /** An earlier row for this student graded from the same bytes, grader, hidden cases and notebooks. */
  reusable(student: string, sha: string): SubmissionGrade | null {
    const row = this.previous.get(student);
    return row && row.grade.sha256 === sha && row.grade.status !== "failed" && sameKey(row.key, this.key) ? row.grade : null;
  }

  /** The earlier row of a student, whatever graded it (`--only` keeps the others as they were). */
  earlier(student: string): SubmissionGrade | null {
    return this.previous.get(student)?.grade ?? null;
  }

  /** Appends a finished row (one write, so a crash leaves whole lines). */
  write(grade: SubmissionGrade): void {
    fs.appendFileSync(this.file, JSON.stringify({ key: this.key, grade }) + "\n");
  }
}
