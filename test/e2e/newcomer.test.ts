// A newcomer's first command, on a fresh clone with no data configured and no network:
// `npm start -- --headless` sets everything up and runs every notebook (solutions and student
// versions; the pneumonia one on the repository's X-ray sample) without a cell error.
// To keep CI time small, node_modules is a hard-linked copy of this checkout's (same packages,
// same package-lock.json) and the pneumonia notebook uses the smoke preset. Without network:
// a network namespace with only loopback (unshare, as root), else npm told to stay offline.
import { strict as assert } from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isCI, projectRoot } from "../../lib/common/config";
import { findJupyterPython } from "../../tools/notebooks/jupyter";

const log = (line: string): void => console.log(`      ${line}`);

/** True when this process may create a network namespace with only loopback (root + unshare + ip). */
function canIsolateNetwork(): boolean {
  if (process.getuid?.() !== 0) return false;
  return spawnSync("unshare", ["-n", "sh", "-c", "ip link set lo up"], { stdio: "ignore" }).status === 0;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: string[] = [];
    const keep = (d: Buffer): void => { out.push(d.toString()); };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => { clearTimeout(timer); resolve({ code, output: out.join("") }); });
  });
}

describe("a newcomer's path: fresh clone, no data, no network, npm start -- --headless", function () {
  this.timeout(3_600_000);
  const root = projectRoot();
  let tmp = "";
  let clone = "";

  before(function () {
    if (!findJupyterPython()) {
      if (isCI()) throw new Error("CI=true but no Python with nbclient: apt-get install python3-nbclient jupyter-nbconvert");
      this.skip();
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cnn-newcomer-"));
    clone = path.join(tmp, "course");
    const c = spawnSync("git", ["clone", "--quiet", root, clone], { encoding: "utf8" });
    assert.equal(c.status, 0, `git clone failed: ${c.stderr}`);
    // The same installed packages, without a download: hard links (same file system as /tmp), else a copy.
    const cp = spawnSync("cp", ["-al", path.join(root, "node_modules"), path.join(clone, "node_modules")]);
    if (cp.status !== 0) assert.equal(spawnSync("cp", ["-a", path.join(root, "node_modules"), path.join(clone, "node_modules")]).status, 0);
    // npm start installs when package-lock.json is newer than the install marker (the clone's is brand new).
    const now = new Date();
    fs.utimesSync(path.join(clone, "node_modules", ".package-lock.json"), now, now);
    fs.rmSync(path.join(clone, "lib", "dist"), { recursive: true, force: true });
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("runs every notebook without a cell error, the pneumonia one on the sample", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, CNN_COURSE_PRESET: process.env.CNN_COURSE_PRESET ?? "smoke",
      // A private Jupyter user folder: `npm run kernel` registers there, not for this machine's user.
      JUPYTER_DATA_DIR: path.join(tmp, "jupyter-data"), JUPYTER_CONFIG_DIR: path.join(tmp, "jupyter-config"),
      npm_config_offline: "true", npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" };
    for (const k of ["CNN_COURSE_DATA", "CNN_COURSE_CACHE", "JUPYTER_PATH"]) delete env[k];
    const isolated = canIsolateNetwork();
    log(`network: ${isolated ? "none (network namespace with loopback only)" : "npm offline only (not root: no network namespace)"}`);
    const started = Date.now();
    const r = isolated
      ? await run("unshare", ["-n", "sh", "-c", "ip link set lo up && exec npm start -- --headless"], clone, env, 3_500_000)
      : await run("npm", ["start", "--", "--headless"], clone, env, 3_500_000);
    log(`npm start -- --headless: exit ${String(r.code)} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const summary = /(\d+)\/(\d+) notebooks ran without errors/.exec(r.output);
    assert.equal(r.code, 0, `npm start -- --headless failed:\n${r.output.slice(-4000)}`);
    assert.ok(summary, `the runner's summary line:\n${r.output.slice(-2000)}`);
    const expected = ["solutions", "notebooks"].map((f) => fs.readdirSync(path.join(clone, f)).filter((n) => n.endsWith(".ipynb")).length).reduce((a, b) => a + b);
    assert.deepEqual([Number(summary[1]), Number(summary[2])], [expected, expected]);
    log(summary[0]);
    const pneumonia = fs.readFileSync(path.join(clone, ".cache", "executed", "solutions", "09-pneumonia.ipynb"), "utf8");
    assert.match(pneumonia, /amostra de radiografias que vem com o curso/, "the pneumonia notebook says it runs on the sample");
    assert.match(pneumonia, /npm run download/);
    assert.match(pneumonia, /chest-xray-sample/);
  });
});
