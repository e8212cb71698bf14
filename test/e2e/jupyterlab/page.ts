// Browser side of the JupyterLab rendering test (bundled by esbuild, see bundle.ts): the output
// areas of a notebook rendered by JupyterLab 4's own code, as its notebook panel does:
// RenderMimeRegistry with the standard renderer factories, JupyterLab's Sanitizer, marked as the
// markdown parser, and one OutputArea per code cell whose model is trusted (cells run in the
// session) or not (a notebook reopened from disk without a matching signature).
import "@jupyterlab/rendermime/style/base.css";
import "@jupyterlab/outputarea/style/base.css";
import { Sanitizer } from "@jupyterlab/apputils/lib/sanitizer";
import type * as nbformat from "@jupyterlab/nbformat";
import { OutputArea, OutputAreaModel } from "@jupyterlab/outputarea";
import { RenderMimeRegistry, standardRendererFactories } from "@jupyterlab/rendermime";
import { Widget } from "@lumino/widgets";
import { marked } from "marked";

interface PageNotebook { cells: { cell_type: string; outputs?: nbformat.IOutput[] }[] }

const rendermime = new RenderMimeRegistry({
  initialFactories: standardRendererFactories,
  sanitizer: new Sanitizer(),
  markdownParser: { render: async (source: string) => marked.parse(source, { async: false }) as string },
});

function htmlOf(output: nbformat.IOutput): string {
  const data = (output as { data?: Record<string, unknown> }).data ?? {};
  const html = data["text/html"];
  return Array.isArray(html) ? html.join("") : typeof html === "string" ? html : "";
}

/**
 * Multiline strings joined, as the Jupyter server hands notebooks to JupyterLab (nbformat's
 * reader calls rejoin_lines); JupyterLab's renderers expect single strings.
 */
function rejoined(output: nbformat.IOutput): nbformat.IOutput {
  const join = (v: unknown): unknown => (Array.isArray(v) && v.every((x) => typeof x === "string") ? v.join("") : v);
  const out = { ...output } as Record<string, unknown>;
  if (out.text !== undefined) out.text = join(out.text);
  if (out.data && typeof out.data === "object") {
    out.data = Object.fromEntries(Object.entries(out.data as Record<string, unknown>).map(([k, v]) => [k, join(v)]));
  }
  return out as unknown as nbformat.IOutput;
}

/** Renders every code cell's outputs under #notebook; resolves when every renderer has finished. */
async function renderNotebook(nb: PageNotebook, trusted: boolean): Promise<number> {
  const host = document.getElementById("notebook")!;
  host.innerHTML = "";
  host.dataset.trusted = String(trusted);
  let count = 0;
  const pending: Promise<void>[] = [];
  nb.cells.forEach((cell, cellIndex) => {
    if (cell.cell_type !== "code" || !cell.outputs?.length) return;
    const outputs = cell.outputs.map(rejoined);
    const model = new OutputAreaModel({ trusted });
    const area = new OutputArea({ model, rendermime });
    const box = document.createElement("div");
    box.className = "test-cell";
    box.dataset.cell = String(cellIndex);
    host.appendChild(box);
    Widget.attach(area, box);
    model.fromJSON(outputs);
    // The model merges consecutive stream outputs (as JupyterLab does), so widget i is the
    // model's item i, not the notebook's output i.
    area.widgets.forEach((w, i) => {
      const out = model.get(i).toJSON();
      const html = htmlOf(out);
      w.node.classList.add("test-output");
      w.node.dataset.cell = String(cellIndex);
      w.node.dataset.output = String(i);
      w.node.dataset.type = out.output_type;
      w.node.dataset.mime = rendermime.preferredMimeType((out as { data?: Record<string, unknown> }).data as never ?? {}, trusted ? "any" : "ensure") ?? "";
      if (html.includes("data-cnn-course-plotly")) w.node.dataset.loader = "1";
      if (html.includes("cnn-course-progress")) w.node.dataset.progress = "1";
      count++;
    });
    // Renderers are asynchronous: wait until each output's widget has content or a short grace time.
    pending.push(new Promise((resolve) => setTimeout(resolve, 50)));
  });
  await Promise.all(pending);
  return count;
}

(window as unknown as { renderNotebook: typeof renderNotebook }).renderNotebook = renderNotebook;
