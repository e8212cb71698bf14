// Finds a Python that has Jupyter's notebook client. On Debian that is
// /usr/bin/python3 (packages jupyter-nbconvert, python3-nbclient); on a user's
// machine the Python where JupyterLab was pip-installed. CNN_COURSE_PYTHON overrides.
import { spawnSync } from "child_process";

export interface JupyterPython {
  python: string;
  nbclientVersion: string;
}

let cached: JupyterPython | null | undefined;

function probe(python: string): JupyterPython | null {
  const r = spawnSync(python, ["-c", "import nbclient, nbformat, jupyter_client; print(nbclient.__version__)"], { encoding: "utf8", timeout: 30000 });
  if (r.status !== 0 || !r.stdout) return null;
  return { python, nbclientVersion: r.stdout.trim() };
}

/** The Python to run Jupyter with, or null when none has nbclient. */
export function findJupyterPython(): JupyterPython | null {
  if (cached !== undefined) return cached;
  const candidates = [process.env.CNN_COURSE_PYTHON, "/usr/bin/python3", "python3", "python"].filter((p): p is string => !!p);
  for (const c of candidates) {
    const found = probe(c);
    if (found) return (cached = found);
  }
  return (cached = null);
}

/** What to tell a user whose machine has no Jupyter (English; shown by the command-line tools). */
export const JUPYTER_MISSING_HELP = [
  "No Python with Jupyter's notebook client (nbclient) was found.",
  "Install one of:",
  "  - JupyterLab with pip:      python3 -m pip install jupyterlab",
  "  - on Debian/Ubuntu:         sudo apt-get install jupyter-nbconvert python3-nbclient jupyter-client jupyter-notebook",
  "Then run `npm run kernel` again. To pick a specific interpreter set CNN_COURSE_PYTHON=/path/to/python3.",
].join("\n");
