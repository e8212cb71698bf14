// The sandbox every submission's kernel runs in (Linux, bubblewrap): the whole headless
// runner (Python's nbclient and the tslab kernel it starts) goes inside, the judge stays
// outside. Inside: its own network namespace (no network), its own PID namespace (nothing
// outlives the run), the course's runtime files read-only (node_modules, lib/, the runner),
// no view of the instructor's home, of solutions/, of the hidden cases or of other
// submissions, a private /tmp and a size-capped kernel folder (the only writable places),
// a clean environment, and limits on processes, memory and file size (prlimit).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Launch } from "../notebooks/execute";
import { SANDBOX_INFO_FD } from "../notebooks/sandbox-end";

export interface SandboxSpec {
  /** The course checkout (its node_modules, lib/ and tools/notebooks/ are mounted read-only). */
  root: string;
  /** Host folder with the grading notebook and the kernel spec (mounted read-only). */
  workspace: string;
  /** The kernel's working folder: an empty size-capped tmpfs at this path, with node_modules linked. */
  kernelDir: string;
  /** Name of the kernel spec written under `<workspace>/jupyter/kernels/`. */
  kernelName: string;
  /** Per-process data segment limit (heap, buffers): the V8 heap cap plus room for native memory. */
  maxMemoryMb: number;
  /** Processes and threads the sandbox may add to its user's count. */
  maxProcesses: number;
  /** Size of the kernel folder and of /tmp (each), and the largest file. */
  diskMb: number;
  /** Environment of the kernel (besides PATH, HOME, LANG and Jupyter's folders). */
  env: Record<string, string>;
  /** More host folders to mount read-only (the X-ray data). */
  readOnly: string[];
}

/** The uid the sandbox runs as: the instructor's, or `nobody` when grading as root (root is exempt from process limits). */
export function sandboxUser(): { uid: number; gid: number } | null {
  if (!gradingAsRoot()) return null;
  return { uid: NOBODY, gid: NOBODY };
}

const NOBODY = 65534;

function gradingAsRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

const BWRAP_MISSING_HELP = [
  "Grading runs every submission's kernel in a bubblewrap sandbox (no network, the course read-only,",
  "no view of your home, of solutions/ or of the hidden cases), and it cannot start here:",
  "%REASON%",
  "Install it: Debian/Ubuntu `sudo apt-get install bubblewrap`, Fedora `sudo dnf install bubblewrap`, Arch `sudo pacman -S bubblewrap`.",
  "It needs Linux with unprivileged user namespaces (sysctl user.max_user_namespaces > 0; in Docker: --security-opt seccomp=unconfined",
  "or a VM). On macOS or Windows, grade inside a Linux VM. To grade anyway, without isolation, pass --no-sandbox",
  "(student code then runs with your permissions: only for submissions you trust).",
].join("\n");

const NAMESPACE_HELP = [
  "  If it says \"No permissions to create new namespace\" or \"setting up uid map: Permission denied\":",
  "  - Ubuntu 23.10 and later (AppArmor restricts unprivileged user namespaces, containers/bubblewrap#632): either",
  "    `sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0` (add it to /etc/sysctl.d/ to keep it), or an AppArmor",
  "    profile for /usr/bin/bwrap that allows `userns,` (see Ubuntu's /etc/apparmor.d/ examples);",
  "  - other kernels: `sudo sysctl user.max_user_namespaces=15000` (or kernel.unprivileged_userns_clone=1 on older Debian).",
].join("\n");

let checked: string | null | undefined;

/** Null when bubblewrap can create the sandbox here; else what to install or change (English, for the instructor). */
export function sandboxProblem(): string | null {
  if (checked !== undefined) return checked;
  const r = spawnSync("bwrap", bwrapProbeArgs(), { encoding: "utf8", timeout: 30000 });
  let reason: string | null = null;
  const code = (r.error as NodeJS.ErrnoException | undefined)?.code;
  if (r.error) reason = code === "ENOENT" || code === "EACCES" ? `bwrap is not installed (no runnable \`bwrap\` on PATH: ${code}).` : `bwrap could not run: ${r.error.message}`;
  else if (r.status !== 0) reason = `bwrap could not create the namespaces: ${(r.stderr || "").trim() || `exit ${String(r.status)}`}\n${NAMESPACE_HELP}`;
  checked = reason === null ? null : BWRAP_MISSING_HELP.replace("%REASON%", `  ${reason}`);
  return checked;
}

/** The smallest sandbox of the same kind the kernels run in (as root: bwrap as root, then `nobody` in a second one). */
function bwrapProbeArgs(): string[] {
  const inner = ["--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev"];
  if (!gradingAsRoot()) return [...inner, "true"];
  return ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--die-with-parent", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev",
    "--", ...dropToNobody(), "bwrap", "--unshare-user", "--disable-userns", "--die-with-parent", "--bind", "/", "/", "--", "true"];
}

/**
 * As root, the first bwrap makes the mounts with root's access (a checkout in /root or in a 0700 `mktemp -d`
 * folder can be mounted, which `nobody` could not reach), then becomes `nobody` with no capabilities and no
 * way back (setpriv), and a second, unprivileged bwrap adds the user namespace that forbids new ones.
 */
function dropToNobody(): string[] {
  return ["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"];
}

/**
 * Null when the sandbox's user can read every folder the sandbox mounts (the course's runtime and the data);
 * else which folder it cannot read and how to fix it. Runs the real sandbox with a one-line Node check.
 */
export function sandboxAccessProblem(root: string, readOnly: string[]): string | null {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "cnn-grade-check-"));
  try {
    fs.chmodSync(workspace, 0o755);
    fs.mkdirSync(path.join(workspace, "kernel"));
    const spec: SandboxSpec = { root, workspace, kernelDir: path.join(workspace, "kernel"), kernelName: "check", maxMemoryMb: 1024,
      maxProcesses: 64, diskMb: 16, env: {}, readOnly };
    const paths = [...mountedPaths(spec), path.join(root, "node_modules", "tslab", "package.json"), path.join(root, "lib", "dist", "index.js"),
      path.join(root, "engine", "dist", "index.js")];
    const script = "const fs=require('fs');const bad=[];for(const p of process.argv.slice(1)){try{fs.accessSync(p,fs.constants.R_OK);" +
      "if(fs.statSync(p).isDirectory())fs.readdirSync(p)}catch(e){bad.push(p+' ('+e.code+')')}}console.log(JSON.stringify(bad))";
    const launch = sandboxLaunch(spec)(process.execPath, ["-e", script, ...paths]);
    const r = spawnSync(launch.command, launch.args, { env: launch.env, uid: launch.uid, gid: launch.gid, encoding: "utf8", timeout: 60000 });
    let bad: string[] | null = null;
    try {
      bad = JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as string[];
    } catch {
      bad = null;
    }
    if (bad === null) return `the sandbox did not start (exit ${String(r.status)}):\n${(r.stderr || "").trim()}`;
    if (bad.length === 0) return null;
    const who = gradingAsRoot() || sandboxUser() ? "`nobody` (uid 65534: grading as root drops to it)" : "your user";
    return [`The sandbox runs the kernels as ${who}, which cannot read:`, ...bad.map((b) => `  ${b}`),
      "Fix: let other users read them, e.g. `chmod -R o+rX " + outermost(bad.map((b) => b.replace(/ \(.*\)$/, ""))).map(shellQuote).join(" ") + "`,",
      "or clone the course (and the data folder) where other users can read, or grade as a regular user."].join("\n");
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

/** The paths not inside another path of the list. */
function outermost(paths: string[]): string[] {
  return [...new Set(paths)].filter((p, _, all) => !all.some((q) => q !== p && p.startsWith(q + "/")));
}

function shellQuote(p: string): string {
  return /^[\w./-]+$/.test(p) ? p : `'${p.replace(/'/g, "'\\''")}'`;
}

/** Folders outside /usr that the Python with Jupyter needs (a pip or pyenv install in the home, a venv). */
function pythonFolders(python: string): string[] {
  const code = "import sys, site, json; print(json.dumps([sys.prefix, sys.base_prefix, sys.exec_prefix] + site.getsitepackages() + [site.getusersitepackages()]))";
  const r = spawnSync(python, ["-c", code], { encoding: "utf8", timeout: 30000 });
  let dirs: string[] = [];
  try {
    dirs = JSON.parse(r.stdout) as string[];
  } catch {
    dirs = [];
  }
  return [path.dirname(resolvedPath(python)), ...dirs];
}

function resolvedPath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** Host folders to mount read-only besides /usr: the runtime's own install when it lives elsewhere. */
function runtimeFolders(python: string): string[] {
  const node = path.dirname(path.dirname(resolvedPath(process.execPath)));
  const all = [node, ...pythonFolders(python)].map(resolvedPath);
  const system = ["/usr", "/bin", "/lib", "/lib64", "/sbin", "/etc"];
  const outside = all.filter((d) => d !== "/" && fs.existsSync(d) && !system.some((s) => d === s || d.startsWith(s + "/")));
  // Keep the outermost folders only (a prefix covers its site-packages).
  return [...new Set(outside)].sort().filter((d, i, list) => !list.slice(0, i).some((p) => d.startsWith(p + "/")));
}

/** /etc files a Python and Node runtime read; not the whole /etc (shadow, keys). */
const ETC_FILES = ["ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "passwd", "group", "nsswitch.conf", "hosts",
  "localtime", "timezone", "ssl", "ca-certificates", "python3", "jupyter", "mime.types", "os-release", "debian_version"];

function systemMounts(): string[] {
  const args: string[] = ["--ro-bind", "/usr", "/usr"];
  for (const dir of ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(dir);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) args.push("--symlink", fs.readlinkSync(dir), dir);
    else if (stat.isDirectory()) args.push("--ro-bind", dir, dir);
  }
  // Folders bwrap creates on its own are 0700 when it runs as root: /etc is made 0755 first.
  args.push("--perms", "0755", "--dir", "/etc");
  for (const name of ETC_FILES) args.push("--ro-bind-try", path.join("/etc", name), path.join("/etc", name));
  const etcPython = fs.existsSync("/etc") ? fs.readdirSync("/etc").filter((n) => /^python3\.\d+$/.test(n)) : [];
  for (const name of etcPython) args.push("--ro-bind", path.join("/etc", name), path.join("/etc", name));
  return args;
}

/** Writes the kernel spec the sandboxed runner starts: this checkout's tslab under this Node. */
export function writeKernelSpec(spec: SandboxSpec): void {
  const dir = path.join(spec.workspace, "jupyter", "kernels", spec.kernelName);
  fs.mkdirSync(dir, { recursive: true });
  const tslab = path.join(spec.root, "node_modules", "tslab", "bin", "tslab");
  fs.writeFileSync(path.join(dir, "kernel.json"), JSON.stringify({
    argv: [process.execPath, tslab, "kernel", "--config-path", "{connection_file}"], display_name: "TypeScript (sandbox)", language: "typescript",
  }));
}

/** Processes and threads `uid` runs now (RLIMIT_NPROC counts them all, so the limit is this plus the allowance). */
export function tasksOf(uid: number): number {
  let count = 0;
  for (const pid of fs.readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
      const owner = /^Uid:\s+(\d+)/m.exec(status)?.[1];
      if (Number(owner) === uid) count += Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 1);
    } catch {
      // the process ended meanwhile
    }
  }
  return count;
}

/** The host paths mounted read-only from the course and the data (the runtime's own folders aside). */
function mountedPaths(spec: SandboxSpec): string[] {
  const root = spec.root;
  return [path.join(root, "package.json"), path.join(root, "node_modules"), path.join(root, "lib"), path.join(root, "engine"), path.join(root, "tools", "notebooks"),
    spec.workspace, ...spec.readOnly.filter((p) => fs.existsSync(p))];
}

/**
 * A read-only bind at the same path, its missing parents created 0755 first: bwrap would copy the host
 * parents' modes, and a 0700 folder above the checkout would stop `nobody` inside.
 */
function roBind(p: string): string[] {
  const parents: string[] = [];
  for (let dir = path.dirname(p); dir !== path.dirname(dir); dir = path.dirname(dir)) parents.unshift(dir);
  return [...parents.flatMap((d) => ["--perms", "0755", "--dir", d]), "--ro-bind", p, p];
}

function projectMounts(spec: SandboxSpec): string[] {
  return [
    ...mountedPaths(spec).flatMap(roBind),
    "--size", String(spec.diskMb * 1024 * 1024), "--perms", "0777", "--tmpfs", spec.kernelDir,
    "--symlink", path.join(spec.root, "node_modules"), path.join(spec.kernelDir, "node_modules"),
  ];
}

function sandboxEnv(spec: SandboxSpec): string[] {
  const env: Record<string, string> = {
    PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`, HOME: "/tmp/home", LANG: "C.UTF-8",
    JUPYTER_PATH: path.join(spec.workspace, "jupyter"), JUPYTER_RUNTIME_DIR: "/tmp/jupyter/runtime", JUPYTER_DATA_DIR: "/tmp/jupyter/data",
    JUPYTER_CONFIG_DIR: "/tmp/jupyter/config", IPYTHONDIR: "/tmp/ipython", PYDEVD_DISABLE_FILE_VALIDATION: "1", PYTHONDONTWRITEBYTECODE: "1",
    CNN_COURSE_CACHE: "/tmp/cnn-course-cache", ...spec.env,
  };
  return Object.entries(env).flatMap(([k, v]) => ["--setenv", k, v]);
}

/** The `launch` option of executeNotebook that runs the runner inside the sandbox. */
export function sandboxLaunch(spec: SandboxSpec): (python: string, runnerArgs: string[]) => Launch {
  return (python, runnerArgs) => {
    const asRoot = gradingAsRoot();
    const nproc = tasksOf(asRoot ? NOBODY : process.getuid?.() ?? 0) + spec.maxProcesses;
    const limits = [`--nproc=${nproc}`, `--data=${spec.maxMemoryMb * 1024 * 1024}`, `--fsize=${spec.diskMb * 1024 * 1024}`, "--core=0"];
    const namespaces = asRoot
      ? ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
      : ["--unshare-all", "--unshare-user", "--disable-userns"];
    // As root, the mounts are made as root and the rest runs as `nobody` in a nested unprivileged bwrap (dropToNobody);
    // its own /dev (device nodes on mounts inherited into a user namespace cannot be opened) and its own PID
    // namespace (the runner ends with kill(-1), which must not reach the bwrap that runs it; /proc stays the first
    // bwrap's: a new procfs cannot be mounted over one with read-only parts).
    const nested = asRoot ? [...dropToNobody(), "bwrap", "--unshare-user", "--unshare-pid", "--disable-userns", "--die-with-parent", "--bind", "/", "/", "--dev", "/dev", "--chdir", spec.kernelDir, "--"] : [];
    const args = [
      ...namespaces, "--die-with-parent", "--new-session", "--clearenv", "--hostname", "sandbox",
      ...systemMounts(), ...runtimeFolders(python).flatMap(roBind),
      "--proc", "/proc", "--dev", "/dev", "--size", String(spec.diskMb * 1024 * 1024), "--perms", "1777", "--tmpfs", "/tmp", "--perms", "0777", "--dir", "/tmp/home",
      ...projectMounts(spec), ...sandboxEnv(spec), "--chdir", spec.kernelDir,
      "--", ...nested, "prlimit", ...limits, "--", python, ...runnerArgs,
    ];
    return { command: "bwrap", args: ["--info-fd", String(SANDBOX_INFO_FD), ...args], env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, infoFd: SANDBOX_INFO_FD };
  };
}
