// Registers the tslab TypeScript kernel with the local Jupyter, pointing at this project's
// own node_modules/.bin/tslab (so the kernel's tslab and TypeScript versions are the ones
// package-lock.json pins). CLI: scripts/install-kernel.ts (npm run kernel).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../lib/common/config";
import { findJupyterPython, JUPYTER_MISSING_HELP } from "./jupyter";

/** Where `tslab install` puts the spec: Jupyter's default, the user's folder or the Python's prefix. */
export type KernelScope = "default" | "user" | "sys-prefix";

/** Runs `tslab install` for the Jupyter Python found; false (with the reason logged) when it cannot. */
export function registerKernel(log: (line: string) => void = console.log, scope: KernelScope = "default"): boolean {
  const root = projectRoot();
  const tslab = path.join(root, "node_modules", ".bin", "tslab");
  if (!fs.existsSync(tslab)) {
    log(`${tslab} is missing: run \`npm install\` first.`);
    return false;
  }
  const py = findJupyterPython();
  if (!py) {
    log(JUPYTER_MISSING_HELP);
    return false;
  }
  const extra = scope === "default" ? [] : [`--${scope}`];
  const r = spawnSync(tslab, ["install", `--python=${py.python}`, `--binary=${tslab}`, ...extra], { encoding: "utf8" });
  if (r.status !== 0) {
    log(`tslab install failed (exit ${String(r.status)}):\n${r.stderr || r.stdout}`);
    if (/jupyter is not installed/.test(r.stderr)) log(JUPYTER_MISSING_HELP);
    return false;
  }
  const list = spawnSync(py.python, ["-m", "jupyter_client.kernelspec", "list", "--json"], { encoding: "utf8" });
  let where = "";
  try {
    const specs = (JSON.parse(list.stdout) as { kernelspecs: Record<string, { resource_dir: string }> }).kernelspecs;
    where = specs.tslab?.resource_dir ?? "";
  } catch { /* older jupyter_client: the listing is informative only */ }
  log(`tslab kernel registered for ${py.python} (nbclient ${py.nbclientVersion})${where ? ` in ${where}` : ""}, running ${tslab}`);
  return true;
}
