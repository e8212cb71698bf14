// npm run release: the folder handed to students has no answers, no hidden cases, no
// tests or instructor docs, only scripts that exist there, a Portuguese README, and a
// notebook runs from it headless.
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
    for (const prefix of ["solutions/", "tools/grader/", "test/", "docs/", ".ci/", "scripts/grade.ts", "scripts/generate-student.ts", "scripts/release.ts"]) {
      assert.deepEqual(files.filter((f) => f.startsWith(prefix)), [], prefix);
    }
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

  it("runs 00-boas-vindas from the release, headless", async function () {
    if (!findJupyterPython()) this.skip();
    // The release's own node_modules: this checkout's packages, with cnn-course pointing at the release's lib/.
    const modules = path.join(out, "node_modules");
    fs.mkdirSync(modules);
    for (const name of fs.readdirSync(path.join(root, "node_modules"))) {
      const target = name === "cnn-course" ? path.join(out, "lib") : path.join(root, "node_modules", name);
      fs.symlinkSync(target, path.join(modules, name), "dir");
    }
    const tsc = spawnSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(out, "lib")], { encoding: "utf8" });
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
    const nb = path.join(out, "notebooks", "00-boas-vindas.ipynb");
    const result = await executeNotebook(nb, path.join(out, "executed", "00-boas-vindas.ipynb"), { cwd: path.dirname(nb), cellTimeoutSec: 300, totalTimeoutSec: 900 });
    assert.ok(result.ok, describeFailure("00-boas-vindas (release)", result));
    const executed = fs.readFileSync(path.join(out, "executed", "00-boas-vindas.ipynb"), "utf8");
    assert.match(executed, /ainda não feito/, "the student version's check says the exercise is not done yet");
  });
});
