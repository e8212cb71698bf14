// The two pieces of state that used to go stale: a failed notebook run that `npm run site`
// reused because the source had not changed, and a per-user tslab kernel spec pointing at a
// checkout that is gone (or is another one). The notebook runs need Jupyter (nbclient).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isCI } from "../../lib/common/config";
import { needsRun, RunStatus } from "../../tools/notebooks/run";
import { executeNotebook } from "../../tools/notebooks/execute";
import { Notebook, writeNotebook } from "../../tools/notebooks/format";
import { findJupyterPython } from "../../tools/notebooks/jupyter";
import { checkoutTslab, staleUserKernel, tslabKernelSpec } from "../../tools/notebooks/kernel-spec";
import * as crypto from "crypto";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cnn-stale-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function tinyNotebook(code: string): Notebook {
  return {
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
    cells: [{ id: "a", cell_type: "code", metadata: {}, source: code, execution_count: null, outputs: [] }],
  };
}

describe("npm run site: which executed notebooks it runs again", () => {
  const source = path.join(tmp, "lesson.ipynb"), executed = path.join(tmp, "executed.ipynb");
  before(() => {
    writeNotebook(source, tinyNotebook("console.log(1)"));
    writeNotebook(executed, tinyNotebook("console.log(1)"));
  });
  const sha = (): string => crypto.createHash("sha256").update(fs.readFileSync(source)).digest("hex");
  const status = (ok: boolean, sourceSha256 = sha()): RunStatus => ({ ok, sourceSha256 });

  it("re-runs a notebook whose last run failed, even when its source did not change", () => {
    assert.equal(needsRun(source, executed, status(false), false), true);
  });
  it("reuses a successful run of an unchanged source", () => {
    assert.equal(needsRun(source, executed, status(true), false), false);
  });
  it("re-runs a changed source, a missing copy or status, and everything with --fresh", () => {
    assert.equal(needsRun(source, executed, status(true, "0".repeat(64)), false), true);
    assert.equal(needsRun(source, path.join(tmp, "missing.ipynb"), status(true), false), true);
    assert.equal(needsRun(source, executed, null, false), true);
    assert.equal(needsRun(source, executed, status(true), true), true);
  });
});

describe("tslab kernel spec that points at a missing or another checkout", function () {
  this.timeout(180_000);
  const py = findJupyterPython();
  /** A user Jupyter data folder holding a tslab spec that starts `binary`. */
  function userDataWithSpec(name: string, binary: string): NodeJS.ProcessEnv {
    const data = path.join(tmp, name);
    fs.mkdirSync(path.join(data, "kernels", "tslab"), { recursive: true });
    fs.writeFileSync(path.join(data, "kernels", "tslab", "kernel.json"), JSON.stringify(tslabKernelSpec(binary)));
    return { ...process.env, JUPYTER_DATA_DIR: data, JUPYTER_PATH: "" };
  }
  const gone = path.join(tmp, "removed-checkout", "node_modules", ".bin", "tslab");
  const other = path.join(tmp, "other-checkout", "node_modules", ".bin", "tslab");

  before(function () {
    if (!py) {
      if (isCI()) throw new Error("CI=true but no Python with nbclient (apt-get install python3-nbclient)");
      this.skip();
    }
    fs.mkdirSync(path.dirname(other), { recursive: true });
    fs.writeFileSync(other, "#!/bin/sh\nexit 1\n", { mode: 0o755 });
  });

  it("says in one line that the user's spec starts a tslab that no longer exists, and to run npm run kernel", () => {
    const line = staleUserKernel(py!.python, userDataWithSpec("gone", gone));
    assert.ok(line, "a stale spec is reported");
    assert.match(line, /no longer exists: run `npm run kernel`/);
    assert.ok(line.includes(gone));
    assert.equal(line.split("\n").length, 1);
  });

  it("says so when the user's spec starts another checkout's tslab, and nothing when it starts this one's", () => {
    assert.match(staleUserKernel(py!.python, userDataWithSpec("other", other)) ?? "", /another checkout's .*run `npm run kernel`/);
    assert.equal(staleUserKernel(py!.python, userDataWithSpec("mine", checkoutTslab())), null);
  });

  it("runs notebooks with this checkout's own spec although the user's points at a removed checkout", async () => {
    const nb = path.join(tmp, "run.ipynb");
    writeNotebook(nb, tinyNotebook("console.log(6 * 7)"));
    const out = path.join(tmp, "run-executed.ipynb");
    const env = userDataWithSpec("gone-run", gone);
    const r = await executeNotebook(nb, out, { env: { JUPYTER_DATA_DIR: env.JUPYTER_DATA_DIR, JUPYTER_PATH: "" }, cellTimeoutSec: 120, totalTimeoutSec: 170 });
    assert.equal(r.startupError, null);
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    assert.match(fs.readFileSync(out, "utf8"), /42/);
  });
});
