// Debian's classic Jupyter Notebook server on 127.0.0.1 with a random token, isolated
// from the user's Jupyter settings (its own config, data and runtime folders, so trust
// signatures are fresh), for the browser test.
import { ChildProcess, spawn, spawnSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";

export interface NotebookServer {
  url: string;
  token: string;
  root: string;
  /** URL of a notebook under `root`, with the token. */
  notebookUrl(relPath: string): string;
  log(): string;
  stop(): Promise<void>;
}

/** The command that starts the classic Notebook server, or null (with what to install). */
export function findNotebookServer(): { command: string; args: string[] } | null {
  const candidates: { command: string; args: string[] }[] = [
    { command: "/usr/bin/jupyter-notebook", args: [] },
    { command: "/usr/bin/python3", args: ["-m", "notebook"] },
  ];
  for (const c of candidates) {
    if (!fs.existsSync(c.command)) continue;
    const r = spawnSync(c.command, [...c.args, "--version"], { encoding: "utf8", timeout: 30000 });
    if (r.status === 0) return c;
  }
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts the server on `root` and waits until its API answers (or throws with its log). */
export async function startNotebookServer(root: string, timeoutMs = 60000): Promise<NotebookServer> {
  const found = findNotebookServer();
  if (!found) throw new Error("Jupyter Notebook server not found: apt-get install jupyter-notebook (Debian) or pip install notebook");
  const token = randomBytes(16).toString("hex");
  const port = await freePort();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "cnn-course-jupyter-"));
  const userData = path.join(os.homedir(), ".local", "share", "jupyter");
  const env = {
    ...process.env,
    JUPYTER_CONFIG_DIR: path.join(home, "config"),
    JUPYTER_DATA_DIR: path.join(home, "data"),
    JUPYTER_RUNTIME_DIR: path.join(home, "runtime"),
    // Keep kernels registered for the user (npm run kernel may have written there).
    JUPYTER_PATH: [process.env.JUPYTER_PATH, userData].filter(Boolean).join(path.delimiter),
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
  const args = [...found.args, "--no-browser", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0",
    `--NotebookApp.token=${token}`, `--notebook-dir=${root}`, "--NotebookApp.open_browser=False"];
  // CI and containers run as root; the server refuses that unless told.
  if (process.getuid?.() === 0) args.push("--allow-root");
  const child: ChildProcess = spawn(found.command, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: false });
  const logLines: string[] = [];
  const keep = (d: Buffer): void => { logLines.push(d.toString()); if (logLines.length > 400) logLines.shift(); };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited = false;
  child.on("exit", () => { exited = true; });
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill("SIGTERM");
      await new Promise<void>((resolve) => {
        const hard = setTimeout(() => { child.kill("SIGKILL"); resolve(); }, 5000);
        child.once("exit", () => { clearTimeout(hard); resolve(); });
      });
    }
    fs.rmSync(home, { recursive: true, force: true });
  };
  const started = Date.now();
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`the Jupyter Notebook server exited at start:\n${logLines.join("").slice(-3000)}`);
    }
    try {
      const res = await fetch(`${url}/api/status?token=${token}`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(`the Jupyter Notebook server did not answer within ${timeoutMs / 1000} s:\n${logLines.join("").slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url, token, root,
    notebookUrl: (rel) => `${url}/notebooks/${rel.split(path.sep).map(encodeURIComponent).join("/")}?token=${token}`,
    log: () => logLines.join(""),
    stop,
  };
}
