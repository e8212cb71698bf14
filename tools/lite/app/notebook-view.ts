// One notebook in JupyterLab's own notebook widget (cells, CodeMirror editors, markdown, output
// areas and their renderers), fed by the browser kernel instead of a Jupyter server.
import { Sanitizer } from "@jupyterlab/apputils/lib/sanitizer";
import { CodeCell, MarkdownCell } from "@jupyterlab/cells";
import { CodeMirrorEditorFactory, CodeMirrorMimeTypeService, EditorExtensionRegistry, EditorLanguageRegistry } from "@jupyterlab/codemirror";
import type * as nbformat from "@jupyterlab/nbformat";
import { Notebook, NotebookModel, NotebookPanel } from "@jupyterlab/notebook";
import { RenderMimeRegistry, standardRendererFactories } from "@jupyterlab/rendermime";
import { marked } from "marked";
import type { IopubMessage, TypeScriptKernel } from "../kernel/kernel";

const languages = new EditorLanguageRegistry();
for (const lang of EditorLanguageRegistry.getDefaultLanguages()) languages.addLanguage(lang);
const extensions = new EditorExtensionRegistry();
for (const ext of EditorExtensionRegistry.getDefaultExtensions()) extensions.addExtension(ext);
const editorFactory = new CodeMirrorEditorFactory({ extensions, languages }).newInlineEditor;

export const rendermime = new RenderMimeRegistry({
  initialFactories: standardRendererFactories,
  sanitizer: new Sanitizer(),
  markdownParser: { render: async (source: string) => marked.parse(source, { async: false }) as string },
});

/** A cell's outcome when it ran: its index, whether it raised, its text. */
export interface CellRun { index: number; status: "ok" | "error"; error?: string; seconds: number }

export function createNotebook(json: nbformat.INotebookContent): Notebook {
  const model = new NotebookModel();
  model.fromJSON(json);
  for (const cell of model.cells) cell.trusted = true;
  const notebook = new Notebook({
    rendermime,
    contentFactory: new NotebookPanel.ContentFactory({ editorFactory }),
    mimeTypeService: new CodeMirrorMimeTypeService(languages),
    languagePreference: "typescript",
    notebookConfig: { ...Notebook.defaultNotebookConfig, windowingMode: "none" },
  });
  notebook.model = model;
  notebook.addClass("jp-mod-noOutputs-hidden");
  return notebook;
}

/** Runs one code cell in the kernel, its outputs into the cell's output area (display ids updated in place). */
export async function runCell(cell: CodeCell, kernel: TypeScriptKernel): Promise<"ok" | "error"> {
  const outputs = cell.model.outputs;
  outputs.clear();
  cell.model.executionCount = null;
  cell.model.trusted = true;
  const byDisplayId = new Map<string, number[]>();
  const emit = (msg: IopubMessage): void => {
    switch (msg.msg_type) {
      case "stream":
        outputs.add({ output_type: "stream", name: msg.content.name, text: msg.content.text });
        break;
      case "display_data": {
        const id = msg.content.transient.display_id;
        const total = outputs.add({ output_type: "display_data", data: msg.content.data, metadata: msg.content.metadata as nbformat.OutputMetadata });
        if (id) byDisplayId.set(id, [...(byDisplayId.get(id) ?? []), total - 1]);
        break;
      }
      case "update_display_data":
        for (const i of byDisplayId.get(msg.content.transient.display_id ?? "") ?? []) {
          outputs.set(i, { output_type: "display_data", data: msg.content.data, metadata: msg.content.metadata as nbformat.OutputMetadata });
        }
        break;
      case "execute_result":
        outputs.add({ output_type: "execute_result", execution_count: msg.content.execution_count, data: msg.content.data, metadata: {} });
        break;
      case "error":
        outputs.add({ output_type: "error", ename: msg.content.ename, evalue: msg.content.evalue, traceback: msg.content.traceback });
        break;
    }
  };
  cell.addClass("cnn-lite-running");
  try {
    const reply = await kernel.execute(cell.model.sharedModel.getSource(), emit);
    cell.model.executionCount = reply.execution_count;
    return reply.status;
  } finally {
    cell.removeClass("cnn-lite-running");
  }
}

/** Renders markdown cells (JupyterLab shows them rendered until edited). */
export function renderMarkdown(notebook: Notebook): void {
  for (const cell of notebook.widgets) if (cell instanceof MarkdownCell) cell.rendered = true;
}
