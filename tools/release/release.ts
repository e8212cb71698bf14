// The folder an instructor hands to students (`npm run release -- OUT`): the course's
// tracked files a student needs (the library, the headless runner, the data tools, the
// npm start script), the student notebooks generated afresh from solutions/ (so a stale
// notebooks/ cannot leak an answer), a package.json whose scripts all exist there, and a
// README in Portuguese. Left out: solutions/, tools/grader/ (hidden cases), the tests,
// CI and the instructor's docs; docs/results/ goes in (notebook 09 shows the full run and the
// seed tables from it; the sample notice quotes them).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../lib/common/config";
import { generateStudentNotebooks } from "../notebooks/solutions";

/** Tracked paths (exact files or folder prefixes ending in "/") that go into the release. */
export const RELEASE_INCLUDE = [
  "engine/", "lib/", "docs/results/", "data/", "tools/notebooks/", "tools/data/", "tools/common/", "tools/results/", "scripts/course.js", "scripts/install-kernel.ts", "scripts/run-notebooks.ts",
  "scripts/download-data.ts", "scripts/train.ts", "scripts/cli.ts", "package-lock.json", "tsconfig.base.json", ".gitignore",
];

/**
 * Never in a release (the answers and the instructor's side), unless a longer include rule names a
 * part of it: docs/results/ is in, the rest of docs/ is not.
 */
export const RELEASE_EXCLUDE = ["solutions/", "tools/grader/", "test/", "docs/", "docs/results/experiments/", ".ci/", "notebooks/"];

export interface ReleaseResult { out: string; files: string[] }

function trackedFiles(root: string): string[] {
  const r = spawnSync("git", ["-C", root, "ls-files", "-z"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm run release needs a git checkout of the course (git ls-files failed in ${root}): ${r.stderr.trim()}`);
  return r.stdout.split("\0").filter(Boolean);
}

export function inRelease(file: string): boolean {
  const matches = (rule: string): boolean => (rule.endsWith("/") ? file.startsWith(rule) : file === rule);
  const longest = (rules: readonly string[]): number => Math.max(-1, ...rules.filter(matches).map((r) => r.length));
  return longest(RELEASE_INCLUDE) > longest(RELEASE_EXCLUDE); // the more specific rule decides
}

/** package.json with only the scripts whose entry file is in the release (no test, grade, generate...). */
function releasePackageJson(root: string, out: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts?: Record<string, string> };
  const scripts: Record<string, string> = {};
  for (const [name, command] of Object.entries(pkg.scripts ?? {})) {
    const files = command.match(/\b(?:scripts|tools)\/[\w./-]+\.(?:ts|js)\b/g) ?? [];
    // the root tsconfig, the tests and the lint config stay with the instructor
    const needsInstructorFiles = /tsc -p \.(?:\s|$)|\bmocha\b|\beslint\b/.test(command);
    if (files.every((f) => fs.existsSync(path.join(out, f))) && !needsInstructorFiles) scripts[name] = command;
  }
  return JSON.stringify({ ...pkg, scripts }, null, 2) + "\n";
}

/** Writes the release into `out` (which must not exist or be empty). */
export function makeRelease(out: string, root = projectRoot()): ReleaseResult {
  const target = path.resolve(out);
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) throw new Error(`${out} is not empty: give a new folder for the release`);
  const files = trackedFiles(root).filter(inRelease);
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(target, file));
  }
  const notebooks = generateStudentNotebooks(path.join(root, "solutions"), path.join(target, "notebooks"));
  fs.mkdirSync(path.join(target, "notebooks"), { recursive: true });
  for (const nb of notebooks) fs.writeFileSync(nb.target, nb.text);
  fs.copyFileSync(path.join(root, "tools", "release", "LEIA-ME.md"), path.join(target, "README.md"));
  fs.writeFileSync(path.join(target, "package.json"), releasePackageJson(root, target));
  const written = [...files, ...notebooks.map((n) => path.relative(target, n.target)), "README.md", "package.json"];
  return { out: target, files: written.sort() };
}
