// One source for solutions and student notebooks: a solved notebook's solution
// regions (between BEGIN/END SOLUTION markers) are replaced by stubs, outputs are
// cleared and cell ids and course metadata kept (see docs/authoring.md).
import * as fs from "fs";
import * as path from "path";
import { Cell, Notebook, readNotebook, sourceText, stringifyNotebook, toSourceLines } from "./format";

/** What replaces a code solution (at the BEGIN marker's indentation). */
export const CODE_STUB = ["// SEU CÓDIGO AQUI", "return todo();"];
/** What replaces a markdown answer. */
export const MARKDOWN_STUB = "_Escreva sua resposta aqui._";

const CODE_BEGIN = /^\s*\/\/\s*BEGIN SOLUTION\s*$/;
const CODE_END = /^\s*\/\/\s*END SOLUTION\s*$/;
const MD_BEGIN = /^\s*<!--\s*BEGIN SOLUTION\s*-->\s*$/;
const MD_END = /^\s*<!--\s*END SOLUTION\s*-->\s*$/;
/** Any mention of a marker: a line that has one but is not a recognised marker is an error. */
const ANY_MARKER = /(BEGIN|END) SOLUTION/;
/** Cell metadata that only records a past execution (nbclient, old extensions). */
const VOLATILE_CELL_METADATA = ["execution", "ExecuteTime"];

/** A marker problem, naming the notebook, the cell and the line. */
export class SolutionMarkerError extends Error {
  constructor(readonly file: string, readonly cellId: string, readonly line: number, detail: string) {
    super(`${file}: cell ${cellId}, line ${line}: ${detail}`);
    this.name = "SolutionMarkerError";
  }
}

/** One solution region of a cell: line numbers are 1-based, markers included. */
export interface SolutionRegion {
  begin: number;
  end: number;
  /** The lines between the markers (the solution). */
  body: string[];
  indent: string;
}

function cellLabel(cell: Cell, index: number): string {
  return cell.id ? `"${cell.id}"` : `#${index} (no id)`;
}

/** The solution regions of a cell; throws SolutionMarkerError on nested, unbalanced or misspelled markers. */
export function solutionRegions(cell: Cell, file = "<notebook>", index = 0): SolutionRegion[] {
  if (cell.cell_type === "raw") return [];
  const [begin, end] = cell.cell_type === "code" ? [CODE_BEGIN, CODE_END] : [MD_BEGIN, MD_END];
  const expected = cell.cell_type === "code" ? "`// BEGIN SOLUTION` / `// END SOLUTION`" : "`<!-- BEGIN SOLUTION -->` / `<!-- END SOLUTION -->`";
  const label = cellLabel(cell, index);
  const lines = sourceText(cell).split("\n");
  const regions: SolutionRegion[] = [];
  let open: { line: number; indent: string } | null = null;
  lines.forEach((text, i) => {
    const line = i + 1;
    if (begin.test(text)) {
      if (open) throw new SolutionMarkerError(file, label, line, `BEGIN SOLUTION inside the region opened at line ${open.line} (regions cannot nest; close it with END SOLUTION first)`);
      open = { line, indent: /^\s*/.exec(text)?.[0] ?? "" };
    } else if (end.test(text)) {
      if (!open) throw new SolutionMarkerError(file, label, line, "END SOLUTION without a BEGIN SOLUTION above it");
      regions.push({ begin: open.line, end: line, body: lines.slice(open.line, i), indent: open.indent });
      open = null;
    } else if (ANY_MARKER.test(text)) {
      throw new SolutionMarkerError(file, label, line, `unrecognised solution marker "${text.trim()}": in a ${cell.cell_type} cell write ${expected}, alone on the line`);
    }
  });
  const unclosed = open as { line: number } | null;
  if (unclosed) throw new SolutionMarkerError(file, label, unclosed.line, "BEGIN SOLUTION is never closed (add END SOLUTION)");
  return regions;
}

/** The student's lines for a region: the default stub at the marker's indentation. */
export function stubFor(region: SolutionRegion, cellType: Cell["cell_type"]): string[] {
  if (cellType === "markdown") return [MARKDOWN_STUB];
  return CODE_STUB.map((l) => region.indent + l);
}

/** A cell's source with each solution region replaced by its stub. */
export function stripCellSource(cell: Cell, file = "<notebook>", index = 0): string {
  const regions = solutionRegions(cell, file, index);
  if (regions.length === 0) return sourceText(cell);
  const lines = sourceText(cell).split("\n");
  const out: string[] = [];
  let next = 1;
  for (const r of regions) {
    out.push(...lines.slice(next - 1, r.begin - 1), ...stubFor(r, cell.cell_type));
    next = r.end + 1;
  }
  out.push(...lines.slice(next - 1));
  return out.join("\n");
}

/** The student version of a solved notebook (a new object; the input is not changed). */
export function studentNotebook(source: Notebook, file = "<notebook>"): Notebook {
  const cells = source.cells.map((cell, index): Cell => {
    const metadata = structuredClone(cell.metadata);
    for (const key of VOLATILE_CELL_METADATA) delete metadata[key];
    const out: Cell = { cell_type: cell.cell_type, id: cell.id, metadata, source: toSourceLines(stripCellSource(cell, file, index)) };
    if (cell.attachments !== undefined) out.attachments = structuredClone(cell.attachments);
    if (cell.cell_type === "code") {
      out.execution_count = null;
      out.outputs = [];
    }
    return out;
  });
  return { nbformat: source.nbformat, nbformat_minor: source.nbformat_minor, metadata: structuredClone(source.metadata), cells };
}

/** What the generator needs to know about an exercise to lint a notebook. */
export interface KnownExercise { notebook: string; symbol: string }

/**
 * Authoring mistakes that would break the student version or the grader
 * (docs/authoring.md): missing or repeated cell ids, roles without regions,
 * check cells that do not check their exercise, unknown exercise ids.
 */
export function lintSourceNotebook(nb: Notebook, file: string, exercises?: Map<string, KnownExercise>): string[] {
  const problems: string[] = [];
  const courseId = nb.metadata.course?.id;
  if (!courseId) problems.push(`${file}: notebook metadata has no course.id (see docs/authoring.md)`);
  if (nb.metadata.kernelspec?.name !== "tslab") problems.push(`${file}: kernelspec is "${nb.metadata.kernelspec?.name ?? "none"}", expected "tslab"`);
  const seen = new Map<string, number>();
  nb.cells.forEach((cell, index) => {
    const label = cellLabel(cell, index);
    if (!cell.id) problems.push(`${file}: cell #${index} has no id (nbformat 4.5 ids are required; open and save the notebook in Jupyter, or add "id")`);
    else if (seen.has(cell.id)) problems.push(`${file}: cell id "${cell.id}" is used by cells #${seen.get(cell.id)} and #${index}`);
    else seen.set(cell.id, index);
    const meta = cell.metadata.course;
    if (!meta) return;
    let regions: SolutionRegion[] = [];
    try {
      regions = solutionRegions(cell, file, index);
    } catch (err) {
      problems.push((err as Error).message);
    }
    const id = meta.exercise;
    if (meta.role === "solution" || meta.role === "check") {
      if (cell.cell_type !== "code") problems.push(`${file}: cell ${label} has role "${meta.role}" but is ${cell.cell_type}, not code`);
      if (!id) problems.push(`${file}: cell ${label} has role "${meta.role}" but no "exercise" id`);
      else if (exercises && !exercises.has(id)) problems.push(`${file}: cell ${label} names exercise "${id}", which no module in lib/exercises/ registers`);
      else if (exercises && courseId && exercises.get(id)?.notebook !== courseId) problems.push(`${file}: exercise "${id}" belongs to notebook "${exercises.get(id)?.notebook}", not "${courseId}"`);
    }
    if (meta.role === "solution" && regions.length === 0) problems.push(`${file}: solution cell ${label} has no BEGIN SOLUTION / END SOLUTION region (the student would get the answer)`);
    if (meta.role === "check" && id && !new RegExp(`check\\(\\s*["']${id}["']`).test(sourceText(cell))) problems.push(`${file}: check cell ${label} does not call check("${id}", ...)`);
    if (meta.grading !== undefined && (meta.grading !== "skip" || meta.role || cell.cell_type !== "code")) {
      problems.push(`${file}: cell ${label} has "grading": ${JSON.stringify(meta.grading)}; only a teaching code cell (no role) may be "skip"`);
    }
    if (meta.role === "answer") {
      if (cell.cell_type !== "markdown") problems.push(`${file}: answer cell ${label} is ${cell.cell_type}, not markdown`);
      if (!meta.answer) problems.push(`${file}: answer cell ${label} has no "answer" id`);
      if (regions.length === 0) problems.push(`${file}: answer cell ${label} has no <!-- BEGIN SOLUTION --> region`);
    }
  });
  return problems;
}

/** A line of solution text found in a student notebook. */
export interface SolutionLeak { cellId: string; line: string }

/**
 * Lines that only a solution region holds (not found anywhere else in the source,
 * nor in a stub) and that still appear in `student`. Markers count as leaks too.
 */
export function findSolutionLeaks(source: Notebook, student: Notebook, file = "<notebook>"): SolutionLeak[] {
  const secret = new Set<string>();
  const elsewhere = new Set<string>();
  source.cells.forEach((cell, index) => {
    const regions = solutionRegions(cell, file, index);
    const lines = sourceText(cell).split("\n");
    const inRegion = new Set<number>();
    for (const r of regions) {
      for (let n = r.begin; n <= r.end; n++) inRegion.add(n);
      for (const l of r.body) secret.add(l.trim());
      for (const l of stubFor(r, cell.cell_type)) elsewhere.add(l.trim());
    }
    lines.forEach((l, i) => { if (!inRegion.has(i + 1)) elsewhere.add(l.trim()); });
  });
  for (const l of elsewhere) secret.delete(l);
  secret.delete("");
  const leaks: SolutionLeak[] = [];
  for (const cell of student.cells) {
    for (const line of sourceText(cell).split("\n")) {
      const t = line.trim();
      if (secret.has(t) || ANY_MARKER.test(t)) leaks.push({ cellId: cell.id ?? "?", line: t });
    }
  }
  return leaks;
}

/** A solutions/ → notebooks/ file pair and the bytes the student file must have. */
export interface GeneratedNotebook { source: string; target: string; text: string }

/** The student notebooks for every solutions/*.ipynb (throws on marker errors). */
export function generateStudentNotebooks(solutionsDir: string, notebooksDir: string): GeneratedNotebook[] {
  if (!fs.existsSync(solutionsDir)) return [];
  return fs.readdirSync(solutionsDir).filter((n) => n.endsWith(".ipynb")).sort().map((name) => {
    const source = path.join(solutionsDir, name);
    const nb = studentNotebook(readNotebook(source), source);
    return { source, target: path.join(notebooksDir, name), text: stringifyNotebook(nb) };
  });
}

/** Why notebooks/ does not match solutions/: one line per file. Empty when in sync. */
export function outOfDate(generated: GeneratedNotebook[], notebooksDir: string): string[] {
  const problems: string[] = [];
  const expected = new Set(generated.map((g) => path.basename(g.target)));
  for (const g of generated) {
    if (!fs.existsSync(g.target)) problems.push(`${g.target} is missing (generated from ${g.source})`);
    else if (fs.readFileSync(g.target, "utf8") !== g.text) problems.push(`${g.target} differs from what ${g.source} generates`);
  }
  if (fs.existsSync(notebooksDir)) {
    for (const name of fs.readdirSync(notebooksDir).filter((n) => n.endsWith(".ipynb")).sort()) {
      if (!expected.has(name)) problems.push(`${path.join(notebooksDir, name)} has no source in the solutions folder (delete it or add the solution)`);
    }
  }
  return problems;
}
