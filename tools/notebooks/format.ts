// The Jupyter notebook file format (nbformat 4), read with validation that names
// what is wrong, and written with stable formatting so regenerated files are
// byte-identical and diffs stay small.
import * as fs from "fs";
import * as path from "path";

export type MultilineString = string | string[];

/** The course's own cell metadata (see docs/authoring.md). */
export interface CourseCellMeta {
  role?: "solution" | "check" | "answer";
  exercise?: string;
  answer?: string;
  points?: number;
  /** "skip": a teaching cell no exercise or check depends on (a chart, a demo, a training); the grader leaves it out. */
  grading?: "skip";
}

export interface CellMetadata {
  course?: CourseCellMeta;
  [key: string]: unknown;
}

export interface Output {
  output_type: "stream" | "display_data" | "execute_result" | "error" | "update_display_data";
  name?: string;
  text?: MultilineString;
  data?: { [mime: string]: unknown };
  metadata?: { [key: string]: unknown };
  execution_count?: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface Cell {
  id?: string;
  cell_type: "code" | "markdown" | "raw";
  metadata: CellMetadata;
  source: MultilineString;
  outputs?: Output[];
  execution_count?: number | null;
  attachments?: unknown;
}

export interface CourseNotebookMeta {
  id: string;
  title: string;
  summary?: string;
  order?: number;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: {
    kernelspec?: { name: string; display_name?: string; language?: string };
    language_info?: { name?: string; [key: string]: unknown };
    course?: CourseNotebookMeta;
    [key: string]: unknown;
  };
  cells: Cell[];
}

export class NotebookFormatError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`${file}: not a valid Jupyter notebook: ${detail}`);
    this.name = "NotebookFormatError";
  }
}

/** A cell's source as one string. */
export function sourceText(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** Splits text into nbformat's list-of-lines form (each line keeps its "\n"). */
export function toSourceLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  return lines.map((l, i) => (i < lines.length - 1 ? l + "\n" : l)).filter((l) => l !== "");
}

/** Checks the structure a notebook must have; throws NotebookFormatError naming the problem. */
export function validateNotebook(value: unknown, file = "<notebook>"): Notebook {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new NotebookFormatError(file, "the top level is not a JSON object");
  const nb = value as Partial<Notebook>;
  if (nb.nbformat !== 4) throw new NotebookFormatError(file, `nbformat is ${String(nb.nbformat)}, expected 4`);
  if (!nb.metadata || typeof nb.metadata !== "object") throw new NotebookFormatError(file, "missing metadata object");
  if (!Array.isArray(nb.cells)) throw new NotebookFormatError(file, "missing cells array");
  nb.cells.forEach((c, i) => {
    if (!c || typeof c !== "object") throw new NotebookFormatError(file, `cell ${i} is not an object`);
    if (!["code", "markdown", "raw"].includes(c.cell_type)) throw new NotebookFormatError(file, `cell ${i} has cell_type ${String(c.cell_type)}`);
    if (typeof c.source !== "string" && !Array.isArray(c.source)) throw new NotebookFormatError(file, `cell ${i} has no source`);
    if (!c.metadata || typeof c.metadata !== "object") c.metadata = {};
  });
  return nb as Notebook;
}

/** Parses notebook JSON text; errors name the file and what to fix. */
export function parseNotebook(text: string, file = "<notebook>"): Notebook {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new NotebookFormatError(file, `malformed JSON (${(err as Error).message})`);
  }
  return validateNotebook(value, file);
}

export function readNotebook(file: string): Notebook {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new NotebookFormatError(file, `cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseNotebook(text, file);
}

/** JSON as Jupyter writes it: 1-space indent, sorted keys, trailing newline. */
export function stringifyNotebook(nb: Notebook): string {
  return JSON.stringify(sortKeys(nb), null, 1) + "\n";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: { [k: string]: unknown } = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as { [k: string]: unknown })[k]);
    return out;
  }
  return value;
}

/** Writes atomically (temp file + rename): an interrupted write never leaves half a notebook. */
export function writeNotebook(file: string, nb: Notebook): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, stringifyNotebook(nb));
  fs.renameSync(tmp, file);
}

/** True when the notebook is meant for the tslab TypeScript kernel. */
export function isTslabNotebook(nb: Notebook): boolean {
  return nb.metadata.kernelspec?.name === "tslab";
}
