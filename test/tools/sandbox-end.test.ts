// tools/notebooks/sandbox-end.ts: a sandboxed run ends when everything in the sandbox is gone,
// not when bwrap's monitor exits (it exits first, then its PID 1 kills what was left running).
import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import { isCI } from "../../lib/common/config";
import { sandboxProblem } from "../../tools/grader/sandbox";
import { SANDBOX_INFO_FD, sandboxInit, untilSandboxGone, withInfoPipe } from "../../tools/notebooks/sandbox-end";

/** Host processes whose command line contains `marker`. */
function countWith(marker: string): number {
  return fs.readdirSync("/proc").filter((n) => /^\d+$/.test(n)).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").includes(marker);
    } catch {
      return false;
    }
  }).length;
}

/** A sandbox whose command starts 200 sleeps and exits at once; how many sleeps are alive when the monitor exits, and after untilSandboxGone. */
function leaveSleeps(marker: string): Promise<{ atMonitorExit: number; afterWait: number }> {
  const args = ["--info-fd", String(SANDBOX_INFO_FD), "--unshare-pid", "--unshare-user", "--die-with-parent", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev",
    "--", "/bin/sh", "-c", `for i in $(seq 200); do sleep ${marker} & done; exit 0`];
  const child = spawn("bwrap", args, { stdio: withInfoPipe(["ignore", "ignore", "ignore"], SANDBOX_INFO_FD) });
  const init = sandboxInit(child, SANDBOX_INFO_FD);
  return new Promise((resolve) => {
    child.on("close", () => {
      const atMonitorExit = countWith(marker);
      void init.then(untilSandboxGone).then(() => resolve({ atMonitorExit, afterWait: countWith(marker) }));
    });
  });
}

describe("sandbox end (bwrap --info-fd)", function () {
  this.timeout(120_000);
  before(function () {
    const problem = sandboxProblem();
    if (problem) {
      if (isCI()) throw new Error(`CI must have the sandbox: ${problem}`);
      this.skip();
    }
  });

  it("pads stdio with ignored fds up to the info pipe", () => {
    assert.deepEqual(withInfoPipe(["pipe", "ignore", "pipe"], 5), ["pipe", "ignore", "pipe", "ignore", "ignore", "pipe"]);
    assert.deepEqual(withInfoPipe(["pipe"], undefined), ["pipe"]);
  });

  it("reads the sandbox's PID 1 and waits until none of the 200 processes it left is alive, run after run", async () => {
    const marker = `${700 + crypto.randomInt(200)}.${crypto.randomInt(1e6)}`;
    const runs: { atMonitorExit: number; afterWait: number }[] = [];
    for (let i = 0; i < 8; i++) runs.push(await leaveSleeps(marker));
    console.log(`      alive when bwrap's monitor exited: ${runs.map((r) => r.atMonitorExit).join(", ")}; after the wait: ${runs.map((r) => r.afterWait).join(", ")}`);
    assert.deepEqual(runs.map((r) => r.afterWait), runs.map(() => 0));
  });

  it("a sandbox whose setup fails ends at once, and a launch without the info pipe has nothing to wait for", async () => {
    const child = spawn("bwrap", ["--info-fd", String(SANDBOX_INFO_FD), "--unshare-pid", "--ro-bind", "/nonexistent-folder", "/x", "--", "true"],
      { stdio: withInfoPipe(["ignore", "ignore", "ignore"], SANDBOX_INFO_FD) });
    const init = sandboxInit(child, SANDBOX_INFO_FD);
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert.notEqual(code, 0);
    const t = Date.now();
    await untilSandboxGone(await init);
    assert.ok(Date.now() - t < 1000, `waited ${Date.now() - t} ms`);
    const plain = spawn("true", [], { stdio: withInfoPipe(["ignore", "ignore", "ignore"], undefined) });
    assert.equal(await sandboxInit(plain, undefined), null);
    // No bwrap at all (ENOENT): the info pipe closes without data, nothing to wait for.
    const missing = spawn("/nonexistent/bwrap", [], { stdio: withInfoPipe(["ignore", "ignore", "ignore"], SANDBOX_INFO_FD) });
    missing.on("error", () => undefined);
    assert.equal(await sandboxInit(missing, SANDBOX_INFO_FD), null);
  });
});
