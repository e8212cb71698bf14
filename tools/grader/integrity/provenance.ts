// What graded a report, so that a grade can be traced and a regrade compared: the grader's
// git commit (and whether its tree had uncommitted changes), the sha256 of each hidden-case
// file used, and the options (the logging callbacks left out).
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../../lib/common/config";
import { sha256 } from "../../common/hash";
import type { GradeOptions, SubmissionGrade } from "../grader";
import { hiddenCasesFile } from "../hidden-cases";

export interface GraderProvenance {
  /** `git rev-parse HEAD` of the grader's checkout; null outside a git checkout. */
  commit: string | null;
  /** True when tools/, lib/ or solutions/ had uncommitted changes. */
  dirty: boolean | null;
  /** Hidden-case file (relative to the project) -> sha256, for the notebooks graded. */
  hiddenCases: Record<string, string>;
  options: Record<string, string | number | boolean | string[]>;
}

function git(args: string[]): string | null {
  try {
    return execFileSync("git", args, { cwd: projectRoot(), encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

export function graderProvenance(opts: GradeOptions, rows: SubmissionGrade[]): GraderProvenance {
  const hiddenCases: Record<string, string> = {};
  for (const id of [...new Set(rows.map((r) => r.notebook).filter((n): n is string => !!n))].sort()) {
    const file = hiddenCasesFile(id, opts.hiddenDir);
    if (file) hiddenCases[path.relative(projectRoot(), file)] = sha256(fs.readFileSync(file));
  }
  const status = git(["status", "--porcelain", "--", "tools", "lib", "solutions"]);
  const options: GraderProvenance["options"] = {};
  for (const [key, value] of Object.entries(opts)) {
    if (typeof value === "function") continue;
    options[key] = value as string | number | boolean | string[];
  }
  return { commit: git(["rev-parse", "HEAD"]), dirty: status === null ? null : status.length > 0, hiddenCases, options };
}
