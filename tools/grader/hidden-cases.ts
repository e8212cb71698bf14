// Hidden test cases (instructor grading only): tools/grader/hidden/<notebook-id>.ts exports
// `hidden: Record<exerciseId, ExerciseCase[]>`. They never enter the student's kernel:
// the grader sends only their inputs and judges the outputs itself.
import { isDeepStrictEqual } from "util";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../lib/common/config";
import { getExercise } from "../../lib/check/registry";
import type { ExerciseCase } from "../../lib/check/types";
import "../../lib/exercises";

export type HiddenCases = Record<string, ExerciseCase[]>;

export function defaultHiddenDir(): string {
  return path.join(projectRoot(), "tools", "grader", "hidden");
}

/** The hidden-case module of a notebook, or null when it has none. */
export function hiddenCasesFile(notebookId: string, hiddenDir = defaultHiddenDir()): string | null {
  for (const ext of [".ts", ".js"]) {
    const file = path.join(hiddenDir, notebookId + ext);
    if (fs.existsSync(file)) return file;
  }
  return null;
}

/** Problems of a case that would make grading meaningless or impossible (English, for the instructor). */
export function caseProblems(exerciseId: string, c: ExerciseCase, where: string): string[] {
  const problems: string[] = [];
  const label = `${where}: case "${c.name ?? "?"}" of "${exerciseId}"`;
  if (typeof c.name !== "string" || !c.name) problems.push(`${label} has no name`);
  if (c.expected === undefined && typeof c.verify !== "function") problems.push(`${label} has neither expected nor verify`);
  for (const key of ["args", "input", "expected"] as const) {
    const value = c[key];
    if (value === undefined) continue;
    let copy: unknown;
    try {
      copy = JSON.parse(JSON.stringify(value) ?? "null");
    } catch (err) {
      problems.push(`${label}: ${key} is not JSON data (${(err as Error).message})`);
      continue;
    }
    if (!isDeepStrictEqual(copy, value)) problems.push(`${label}: ${key} does not survive JSON (NaN, undefined, typed arrays or class instances?): use plain arrays and numbers`);
  }
  return problems;
}

/**
 * Loads and validates the hidden cases of a notebook: every key must be an exercise
 * of that notebook, every case JSON data with an expected value or a verify.
 */
export function loadHiddenCases(notebookId: string, hiddenDir = defaultHiddenDir()): HiddenCases {
  const file = hiddenCasesFile(notebookId, hiddenDir);
  if (!file) return {};
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the modules are found by file name at run time
  const mod = require(file) as { hidden?: unknown };
  const hidden = mod.hidden;
  if (!hidden || typeof hidden !== "object" || Array.isArray(hidden)) {
    throw new Error(`${file}: must export \`hidden: Record<string, ExerciseCase[]>\` (keyed by exercise id)`);
  }
  const problems: string[] = [];
  for (const [id, cases] of Object.entries(hidden as Record<string, unknown>)) {
    let notebook: string;
    try {
      notebook = getExercise(id).notebook;
    } catch {
      problems.push(`${file}: "${id}" is not a registered exercise (lib/exercises/)`);
      continue;
    }
    if (notebook !== notebookId) problems.push(`${file}: exercise "${id}" belongs to notebook "${notebook}", not "${notebookId}"`);
    if (!Array.isArray(cases)) {
      problems.push(`${file}: hidden["${id}"] must be an array of cases`);
      continue;
    }
    (cases as ExerciseCase[]).forEach((c) => problems.push(...caseProblems(id, c, file)));
  }
  if (problems.length) throw new Error(`invalid hidden cases:\n  ${problems.join("\n  ")}`);
  return hidden as HiddenCases;
}
