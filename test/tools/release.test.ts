// npm run release: the folder handed to students has no answers, no hidden cases, no
// tests or instructor docs, only scripts that exist there, a Portuguese README, the results
// notebook 09 reads (docs/results/), and notebook 09 runs from it headless on the sample it ships.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../../lib/common/config";
import { describeFailure, executeNotebook } from "../../tools/notebooks/execute";
import { findJupyterPython } from "../../tools/notebooks/jupyter";
import { makeRelease } from "../../tools/release/release";

const root = projectRoot();

/** Every file under `dir` (relative paths). */
function walk(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.name === "node_modules" || e.name === "dist") return [];
    return e.isDirectory() ? walk(p, base) : [path.relative(base, p)];
  });
}

/** Relative imports of the release's code that do not resolve inside the release. */
function brokenImports(out: string, files: string[]): string[] {
  const broken: string[] = [];
  for (const file of files.filter((f) => /\.(ts|js)$/.test(f))) {
    const text = fs.readFileSync(path.join(out, file), "utf8");
    for (const m of text.matchAll(/(?:from|require\(|import\()\s*"(\.{1,2}\/[^"]+)"/g)) {
      const target = path.resolve(path.dirname(path.join(out, file)), m[1]);
      const found = ["", ".ts", ".js", ".json", "/index.ts", "/index.js"].some((ext) => fs.existsSync(target + ext) && fs.statSync(target + ext).isFile());
      if (!found) broken.push(`${file}: ${m[1]}`);
    }
  }
  return broken;
}

describe("npm run release", function () {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "release-")), "curso");
  let files: string[] = [];

  before(() => {
    makeRelease(out, root);
    files = walk(out);
  });

  after(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));

  it("leaves out the solutions, the hidden cases, the tests, CI and the instructor docs", () => {
    for (const prefix of ["solutions/", "tools/grader/", "test/", ".ci/", "scripts/grade.ts", "scripts/generate-student.ts", "scripts/release.ts"]) {
      assert.deepEqual(files.filter((f) => f.startsWith(prefix)), [], prefix);
    }
    assert.deepEqual(files.filter((f) => f.startsWith("docs/") && !f.startsWith("docs/results/")), [], "docs/ other than the results");
    const notebooks = files.filter((f) => f.startsWith("notebooks/") && f.endsWith(".ipynb"));
    assert.deepEqual(notebooks.map((f) => path.basename(f)).sort(), fs.readdirSync(path.join(root, "solutions")).filter((n) => n.endsWith(".ipynb")).sort());
    for (const f of files.filter((x) => /\.(ipynb|ts|js|md)$/.test(x))) {
      const text = fs.readFileSync(path.join(out, f), "utf8");
      if (/\.(ipynb|md)$/.test(f)) assert.ok(!text.includes("BEGIN SOLUTION"), `${f} holds a solution region`);
      assert.ok(!/export const hidden\b/.test(text), `${f} holds hidden cases`);
    }
  });

  it("has a Portuguese README, scripts that all exist there, and code whose imports resolve inside it", () => {
    assert.match(fs.readFileSync(path.join(out, "README.md"), "utf8"), /## Como começar[\s\S]*npm start[\s\S]*usa a implementação de referência do curso/);
    const scripts = (JSON.parse(fs.readFileSync(path.join(out, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    assert.deepEqual(Object.keys(scripts).sort(), ["build", "download", "kernel", "notebooks", "prepare", "start", "train"]);
    assert.deepEqual(brokenImports(out, files), []);
  });

  it("carries every results file the notebooks read (docs/results: the full run, the seed tables)", () => {
    const read = fs.readdirSync(path.join(root, "docs", "results")).filter((f) => /^(full|classroom-seeds|sample-seeds)-.*\.json$/.test(f));
    assert.ok(read.length >= 3, `results in this checkout: ${read.join(", ")}`);
    for (const f of read) assert.ok(files.includes(`docs/results/${f}`), `docs/results/${f} is missing from the release`);
  });

  it("runs 09-pneumonia from the release, headless, on the X-ray sample it ships (smoke preset)", async function () {
    if (!findJupyterPython()) this.skip();
    this.timeout(40 * 60_000);
    // The release's own node_modules: this checkout's packages, with cnn-course and cnn-course-engine pointing at the release.
    const modules = path.join(out, "node_modules");
    fs.mkdirSync(modules);
    const own: Record<string, string> = { "cnn-course": path.join(out, "lib"), "cnn-course-engine": path.join(out, "engine") };
    for (const name of fs.readdirSync(path.join(root, "node_modules"))) {
      fs.symlinkSync(own[name] ?? path.join(root, "node_modules", name), path.join(modules, name), "dir");
    }
    for (const pkg of ["engine", "lib"]) {
      const tsc = spawnSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(out, pkg)], { encoding: "utf8" });
      assert.equal(tsc.status, 0, `tsc -p ${pkg}: ${tsc.stdout}${tsc.stderr}`);
    }
    const nb = path.join(out, "notebooks", "09-pneumonia.ipynb");
    // No CNN_COURSE_DATA: the release reads its own data/chest-xray-sample; smoke keeps the training to 2 short epochs.
    const env = { CNN_COURSE_DATA: "", CNN_COURSE_PRESET: "smoke" };
    const result = await executeNotebook(nb, path.join(out, "executed", "09-pneumonia.ipynb"), { cwd: path.dirname(nb), env, cellTimeoutSec: 1200, totalTimeoutSec: 2400 });
    assert.ok(result.ok, describeFailure("09-pneumonia (release)", result));
    const executed = fs.readFileSync(path.join(out, "executed", "09-pneumonia.ipynb"), "utf8");
    assert.match(executed, /amostra/, "the notebook says it runs on the sample");
    assert.match(executed, /ainda não feito/, "the student version's checks say the exercises are not done yet");
    assert.doesNotMatch(executed, /Ainda não há resultado da execução completa em docs\/results/, "the full run's results travel with the release");
  });
});
