// Where a notebook comes from and goes to in the browser: the site's files (the original) and
// localStorage (the student's copy, saved after every cell), and the .ipynb download.
import type * as nbformat from "@jupyterlab/nbformat";

/** jupyter-lite.json as written by tools/lite/site.ts. */
export interface LiteConfig { appName: string; contentsIndex: string; filesPath: string; wasmPath: string; mnistPath: string; filesManifest: string }

/** One entry of the contents index (api/contents/all.json), as JupyterLite's contents API lists a file. */
export interface ContentsEntry { name: string; path: string }

const KEY = "cnn-course-lite:";

export async function loadNotebook(config: LiteConfig, path: string): Promise<nbformat.INotebookContent> {
  const saved = localStorage.getItem(KEY + path);
  if (saved) return JSON.parse(saved) as nbformat.INotebookContent;
  const res = await fetch(`${config.filesPath}${path}`);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()) as nbformat.INotebookContent;
}

export function saveNotebook(path: string, json: nbformat.INotebookContent): void {
  try {
    localStorage.setItem(KEY + path, JSON.stringify(json));
  } catch (e) {
    console.warn(`não consegui salvar ${path} no navegador: ${String(e)}`);
  }
}

export function forgetNotebook(path: string): void {
  localStorage.removeItem(KEY + path);
}

/** The notebook as an .ipynb file download (nbformat 4 JSON, one-space indent as Jupyter writes). */
export function download(path: string, json: nbformat.INotebookContent): void {
  const blob = new Blob([JSON.stringify(json, null, 1) + "\n"], { type: "application/x-ipynb+json" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = path.split("/").pop() ?? "notebook.ipynb";
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
