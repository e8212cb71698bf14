// Registers the tslab TypeScript kernel with the local Jupyter, pointing at this project's
// own node_modules/.bin/tslab (so the kernel's tslab and TypeScript versions are the ones
// package-lock.json pins). CLI: scripts/install-kernel.ts (npm run kernel).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../lib/common/config";
import { findJupyterPython, JUPYTER_MISSING_HELP } from "./jupyter";
import { staleUserKernel } from "./kernel-spec";

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
  const before = staleUserKernel(py.python);
  if (before) log(`${before.replace(/: run `npm run kernel`.*$/, "")}: registering this checkout's tslab now.`);
  // JUPYTER_DATA_DIR names the user's Jupyter folder: register there (tslab --user honours it).
  const chosen: KernelScope = scope === "default" && process.env.JUPYTER_DATA_DIR ? "user" : scope;
  const extra = chosen === "default" ? [] : [`--${chosen}`];
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
  // A spec earlier on Jupyter's path (e.g. ~/.local/share/jupyter) can still shadow the one just written.
  const after = staleUserKernel(py.python);
  if (after) log(`${after} (if this repeats, a spec earlier on Jupyter's path shadows it: try \`npm run kernel -- --user\`)`);
  log(`tslab kernel registered for ${py.python} (nbclient ${py.nbclientVersion})${where ? ` in ${where}` : ""}, running ${tslab}`);
  return true;
}
