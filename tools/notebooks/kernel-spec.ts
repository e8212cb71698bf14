// The tslab kernel spec. `npm run kernel` registers one per user (for the student's JupyterLab),
// pointing at one checkout's node_modules/.bin/tslab; when that checkout is removed or moved,
// every notebook run through it fails with FileNotFoundError. The course's own runs (notebook
// runner, site, grader) therefore use a spec private to this checkout, written under
// .cache/jupyter/kernels/tslab/ and put first on JUPYTER_PATH, so no per-user state can go stale.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { cacheDir, projectRoot } from "../../lib/common/config";

export const KERNEL_NAME = "tslab";

/** This checkout's tslab launcher. */
export function checkoutTslab(root: string = projectRoot()): string {
  return path.join(root, "node_modules", ".bin", "tslab");
}

/** The spec Jupyter needs to start this checkout's tslab. */
export function tslabKernelSpec(tslab: string = checkoutTslab()): { argv: string[]; display_name: string; language: string } {
  return { argv: [tslab, "kernel", "--config-path", "{connection_file}"], display_name: "TypeScript", language: "typescript" };
}

/**
 * Writes (when missing or different) the per-checkout spec and returns the folder to put on
 * JUPYTER_PATH. Throws, saying what to run, when this checkout has no tslab.
 */
export function ensureCheckoutKernelSpec(root: string = projectRoot(), jupyterDir: string = cacheDir("jupyter")): string {
  const tslab = checkoutTslab(root);
  if (!fs.existsSync(tslab)) throw new Error(`${tslab} is missing: run \`npm install\` in ${root} first.`);
  const file = path.join(jupyterDir, "kernels", KERNEL_NAME, "kernel.json");
  const text = JSON.stringify(tslabKernelSpec(tslab), null, 1) + "\n";
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  }
  return jupyterDir;
}

/** `env` with the per-checkout spec first on JUPYTER_PATH (it wins over user and system specs). */
export function withCheckoutKernel(env: NodeJS.ProcessEnv, root: string = projectRoot()): NodeJS.ProcessEnv {
  const dir = ensureCheckoutKernelSpec(root);
  return { ...env, JUPYTER_PATH: [dir, env.JUPYTER_PATH].filter(Boolean).join(path.delimiter) };
}

/** The tslab spec Jupyter would use for a user's JupyterLab (argv and folder), or null if none is registered. */
export function registeredTslabSpec(python: string, env: NodeJS.ProcessEnv = process.env): { argv: string[]; resourceDir: string } | null {
  const r = spawnSync(python, ["-c", [
    "import json; from jupyter_client.kernelspec import KernelSpecManager as K",
    "m = K()",
    `d = m.find_kernel_specs().get(${JSON.stringify(KERNEL_NAME)})`,
    "print(json.dumps(None if d is None else {'argv': m.get_kernel_spec(" + JSON.stringify(KERNEL_NAME) + ").argv, 'resourceDir': d}))",
  ].join("\n")], { encoding: "utf8", env, timeout: 30_000 });
  if (r.status !== 0) return null;
  try {
    return JSON.parse(r.stdout.trim().split("\n").pop() ?? "null") as { argv: string[]; resourceDir: string } | null;
  } catch {
    return null;
  }
}

/**
 * One line saying why the user's registered tslab spec is stale (missing binary, or another
 * checkout's) and to run `npm run kernel`; null when it runs this checkout's tslab.
 */
export function staleUserKernel(python: string, env: NodeJS.ProcessEnv = process.env, root: string = projectRoot()): string | null {
  const spec = registeredTslabSpec(python, env);
  const mine = checkoutTslab(root);
  if (!spec) return `No tslab kernel is registered for your Jupyter: run \`npm run kernel\` (in ${root}) before opening JupyterLab.`;
  const bin = spec.argv[0] ?? "";
  if (!fs.existsSync(bin)) {
    return `The tslab kernel registered in ${spec.resourceDir} starts ${bin}, which no longer exists: run \`npm run kernel\` (in ${root}).`;
  }
  if (path.resolve(bin) !== path.resolve(mine)) {
    return `The tslab kernel registered in ${spec.resourceDir} starts another checkout's ${bin}: run \`npm run kernel\` (in ${root}) to use this one.`;
  }
  return null;
}
