// Grading as root from a checkout inside a private (0700) folder, as on a fresh server
// (`/root/...`) or in a `mktemp -d` folder: the sandbox's mounts are made as root and the
// kernel runs as `nobody`, so a solution gets full marks; and when the sandbox's user cannot
// read a folder it mounts, the pre-check names that folder before any submission runs.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isCI, projectRoot } from "../../lib/common/config";
import { sandboxProblem } from "../../tools/grader/sandbox";
import { findJupyterPython } from "../../tools/notebooks/jupyter";

const root = projectRoot();
const log = (line: string): void => console.log(`      ${line}`);

/** Why this machine cannot run the test (null: it can). */
function unavailable(): string | null {
  if (process.getuid?.() !== 0) return "needs root (the case is grading as root)";
  if (!findJupyterPython()) return "no Python with Jupyter";
  return sandboxProblem();
}

/** A clone of this repository's HEAD in `dir`, with this checkout's installed packages and compiled lib/ and engine/. */
function cloneCourse(dir: string): string {
  const clone = path.join(dir, "course");
  const git = spawnSync("git", ["clone", "-q", root, clone], { encoding: "utf8" });
  assert.equal(git.status, 0, git.stderr);
  // Hard links when the temporary folder is on the same file system (fast), a copy otherwise.
  const linked = spawnSync("cp", ["-al", path.join(root, "node_modules"), clone]).status === 0;
  if (!linked) fs.cpSync(path.join(root, "node_modules"), path.join(clone, "node_modules"), { recursive: true, verbatimSymlinks: true });
  for (const pkg of ["lib", "engine"]) fs.cpSync(path.join(root, pkg, "dist"), path.join(clone, pkg, "dist"), { recursive: true });
  return clone;
}

function grade(clone: string, out: string, data: string): { status: number | null; stdout: string; stderr: string } {
  const tsx = path.join(clone, "node_modules", ".bin", "tsx");
  const args = [path.join(clone, "scripts", "grade.ts"), path.join(clone, "solutions", "00-boas-vindas.ipynb"), "--out", out, "--jobs", "1"];
  return spawnSync(tsx, args, { cwd: clone, encoding: "utf8", env: { ...process.env, CNN_COURSE_DATA: data }, timeout: 600_000 });
}

describe("grading as root from a checkout in a 0700 folder", function () {
  const reason = unavailable();
  let dir = "";
  let clone = "";
  let data = "";

  before(function () {
    if (reason) {
      if (isCI()) throw new Error(`CI runs as root with bubblewrap and Jupyter: ${reason}`);
      log(`skipped: ${reason}`);
      this.skip();
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "private-course-"));
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700, "mkdtemp makes a 0700 folder");
    clone = cloneCourse(dir);
    // The data folder sits in the private folder too, as ../shared does beside a mktemp -d clone.
    data = path.join(dir, "data");
    fs.mkdirSync(data);
    fs.writeFileSync(path.join(data, "README.txt"), "x-rays would be here\n");
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("grades the solution of notebook 00 with full marks", () => {
    const out = path.join(dir, "out-ok");
    const r = grade(clone, out, data);
    for (const line of r.stdout.trim().split("\n").slice(-6)) log(line);
    assert.equal(r.status, 0, `grading failed:\n${r.stdout}\n${r.stderr}`);
    const report = JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8")) as
      { submissions: { status: string; points: number; maxPoints: number; problems: string[] }[] };
    assert.equal(report.submissions.length, 1);
    const row = report.submissions[0];
    assert.deepEqual(row.problems, []);
    assert.equal(row.status, "graded");
    assert.ok(row.maxPoints > 0);
    assert.equal(row.points, row.maxPoints);
  });

  it("refuses before any submission runs when `nobody` cannot read lib/, naming the folder and the fix", () => {
    const lib = path.join(clone, "lib");
    fs.chmodSync(lib, 0o700);
    try {
      const out = path.join(dir, "out-refused");
      const r = grade(clone, out, data);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /`nobody` \(uid 65534/);
      assert.ok(r.stderr.includes(`${lib} (EACCES)`), r.stderr);
      assert.ok(r.stderr.includes(`chmod -R o+rX ${lib}`), r.stderr);
      assert.equal(fs.existsSync(path.join(out, "report.json")), false, "no submission was graded");
    } finally {
      fs.chmodSync(lib, 0o755);
    }
  });
});
