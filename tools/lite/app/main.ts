// The course site's page: the notebook list (from the contents index), one notebook open in
// JupyterLab's notebook widget, the browser TypeScript kernel, the student's work saved in the
// browser (localStorage) and downloadable as .ipynb. `window.cnnLite` lets tests drive it.
import "@jupyterlab/theme-light-extension/style/variables.css";
import "@jupyterlab/theme-light-extension/style/theme.css";
import "@jupyterlab/notebook/style/index.js";
import type * as nbformat from "@jupyterlab/nbformat";
import { CodeCell } from "@jupyterlab/cells";
import type { Notebook } from "@jupyterlab/notebook";
import { Widget } from "@lumino/widgets";
import { TypeScriptKernel } from "../kernel/kernel";
import { createNotebook, renderMarkdown, runCell } from "./notebook-view";
import { ContentsEntry, LiteConfig, loadNotebook, saveNotebook, forgetNotebook, download } from "./storage";

declare const cnnCourse: typeof import("../course-entry");

interface RunSummary { cells: { index: number; status: "ok" | "error"; seconds: number; text: string }[]; seconds: number }

let kernel: TypeScriptKernel | null = null;
let current: { path: string; notebook: Notebook } | null = null;

async function startKernel(config: LiteConfig): Promise<TypeScriptKernel> {
  if (kernel) return kernel;
  cnnCourse.setWasmPaths(config.wasmPath);
  await Promise.all([cnnCourse.loadMnist(config.mnistPath), cnnCourse.loadFiles(config.filesManifest)]);
  kernel = new TypeScriptKernel({
    modules: { "cnn-course": cnnCourse.courseModule, "@tensorflow/tfjs": cnnCourse.tf },
    setDisplayWriter: cnnCourse.setDisplayWriter,
  });
  return kernel;
}

function el(tag: string, attrs: Record<string, string> = {}, text = ""): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
}

async function openNotebook(config: LiteConfig, entry: ContentsEntry): Promise<void> {
  const host = document.getElementById("notebook-host")!;
  if (current) { Widget.detach(current.notebook); current.notebook.dispose(); }
  const json = await loadNotebook(config, entry.path);
  const notebook = createNotebook(json);
  Widget.attach(notebook, host);
  renderMarkdown(notebook);
  current = { path: entry.path, notebook };
  document.title = `${entry.name} — curso CNN`;
  document.getElementById("current-name")!.textContent = entry.name;
}

async function runOne(config: LiteConfig, cell: CodeCell): Promise<"ok" | "error"> {
  const k = await startKernel(config);
  const status = await runCell(cell, k);
  if (current) saveNotebook(current.path, current.notebook.model!.toJSON() as nbformat.INotebookContent);
  return status;
}

/** Runs every code cell in order (the test's and the "run all" button's path); goes on after errors, as nbconvert --allow-errors. */
async function runAll(config: LiteConfig): Promise<RunSummary> {
  const started = performance.now();
  const cells: RunSummary["cells"] = [];
  if (!current) throw new Error("no notebook open");
  const widgets = current.notebook.widgets;
  for (let i = 0; i < widgets.length; i++) {
    const cell = widgets[i];
    if (!(cell instanceof CodeCell)) continue;
    current.notebook.activeCellIndex = i;
    const t0 = performance.now();
    const status = await runOne(config, cell);
    // Streams, results and errors as JSON lines (display data left out: charts are megabytes).
    const text = cell.model.outputs.toJSON().filter((o) => o.output_type !== "display_data").map((o) => JSON.stringify(o)).join("\n");
    cells.push({ index: i, status, seconds: (performance.now() - t0) / 1000, text });
  }
  await cnnCourse.filesSaved(); // checkpoints and cache in IndexedDB before the page may close
  return { cells, seconds: (performance.now() - started) / 1000 };
}

function toolbar(config: LiteConfig): HTMLElement {
  const bar = el("div", { class: "cnn-lite-toolbar" });
  const button = (label: string, action: () => unknown): void => {
    const b = el("button", { class: "jp-Button" }, label);
    b.addEventListener("click", () => void action());
    bar.appendChild(b);
  };
  button("▶ Rodar célula", async () => {
    const cell = current?.notebook.activeCell;
    if (cell instanceof CodeCell) await runOne(config, cell);
  });
  button("▶▶ Rodar tudo", () => runAll(config));
  button("⬇ Baixar .ipynb", () => current && download(current.path, current.notebook.model!.toJSON() as nbformat.INotebookContent));
  button("↺ Voltar ao original", async () => {
    if (!current || !confirm("Apagar o que você fez neste notebook e voltar ao original?")) return;
    forgetNotebook(current.path);
    await openNotebook(config, { name: current.path.split("/").pop()!, path: current.path });
  });
  bar.appendChild(el("span", { id: "current-name", class: "cnn-lite-name" }));
  return bar;
}

async function main(): Promise<void> {
  const config = ((await (await fetch("jupyter-lite.json")).json()) as { "jupyter-config-data": LiteConfig })["jupyter-config-data"];
  const index = (await (await fetch(config.contentsIndex)).json()) as { content: ContentsEntry[] };
  const root = document.getElementById("app")!;
  const list = el("nav", { class: "cnn-lite-list" });
  for (const entry of index.content) {
    const a = el("a", { href: `#${entry.path}` }, entry.name.replace(/\.ipynb$/, ""));
    list.appendChild(a);
  }
  root.append(list, toolbar(config), el("main", { id: "notebook-host" }));
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && ev.shiftKey && current) {
      ev.preventDefault();
      const cell = current.notebook.activeCell;
      if (cell instanceof CodeCell) void runOne(config, cell);
      current.notebook.activeCellIndex = current.notebook.activeCellIndex + 1;
    }
  });
  const openFromHash = async (): Promise<void> => {
    const path = decodeURIComponent(location.hash.slice(1)) || index.content[0]?.path;
    const entry = index.content.find((e) => e.path === path);
    if (entry) await openNotebook(config, entry);
  };
  window.addEventListener("hashchange", () => void openFromHash());
  await openFromHash();
  (window as unknown as { cnnLite: unknown }).cnnLite = {
    runAll: () => runAll(config),
    notebookJson: () => current?.notebook.model?.toJSON(),
    open: async (path: string) => { location.hash = path; await openFromHash(); },
    startKernel: async () => { await startKernel(config); },
    ready: true,
  };
}

void main();
