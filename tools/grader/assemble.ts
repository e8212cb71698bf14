// Builds the notebook the grader executes: the course's source notebook, cell by
// cell, with the student's exercise cells taken from the submission (by metadata id,
// else by the symbol they define; the last one if duplicated), every other code cell
// restored from the course, and after each check a hidden cell that runs the
// submission on the cases' inputs and prints the outputs behind a nonce.
import * as fs from "fs";
import * as path from "path";
import type { CaseInput } from "../../lib/check/case-outputs";
import { getExercise } from "../../lib/check/registry";
import type { Exercise } from "../../lib/check/types";
import "../../lib/exercises";
import { Cell, Notebook, readNotebook, sourceText, toSourceLines } from "../notebooks/format";
import { studentNotebook } from "../notebooks/solutions";
import { addedCodeCells } from "./added-cells";

export interface AnswerSpec { id: string; points: number; cellId: string; stubText: string }

/** A course notebook as the grader needs it. */
export interface CourseSource {
  file: string;
  id: string;
  title: string;
  solved: Notebook;
  /** The student version (what `npm run generate` writes): stubs for missing exercises, restored cells. */
  student: Notebook;
  /** Exercises in notebook order (from the solution cells' metadata). */
  exercises: Exercise[];
  answers: AnswerSpec[];
}

export function loadCourseSource(file: string): CourseSource {
  const solved = readNotebook(file);
  const id = solved.metadata.course?.id;
  if (!id) throw new Error(`${file}: notebook metadata has no course.id`);
  const student = studentNotebook(solved, file);
  const exercises: Exercise[] = [];
  const answers: AnswerSpec[] = [];
  student.cells.forEach((cell) => {
    const meta = cell.metadata.course;
    if (meta?.role === "solution" && meta.exercise && !exercises.some((e) => e.id === meta.exercise)) exercises.push(getExercise(meta.exercise));
    if (meta?.role === "answer" && meta.answer) answers.push({ id: meta.answer, points: meta.points ?? 0, cellId: cell.id ?? "", stubText: sourceText(cell) });
  });
  return { file, id, title: solved.metadata.course?.title ?? id, solved, student, exercises, answers };
}

/** Every solutions/*.ipynb by course id. */
export function loadCourseSources(dir: string): Map<string, CourseSource> {
  const sources = new Map<string, CourseSource>();
  if (!fs.existsSync(dir)) throw new Error(`no solutions folder at ${dir}`);
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith(".ipynb")).sort()) {
    const source = loadCourseSource(path.join(dir, name));
    sources.set(source.id, source);
  }
  return sources;
}

/** The course notebook a submission answers: its course.id, else its file name (e.g. "02-x (1).ipynb"). */
export function identifySource(submission: Notebook, fileName: string, sources: Map<string, CourseSource>): CourseSource | null {
  const id = submission.metadata.course?.id;
  if (id && sources.has(id)) return sources.get(id) ?? null;
  const base = path.basename(fileName).toLowerCase();
  for (const source of sources.values()) {
    if (base.includes(path.basename(source.file, ".ipynb").toLowerCase())) return source;
  }
  return null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** True when the code declares `symbol` at the top level of a line (function, const, let, var, class). */
export function definesSymbol(code: string, symbol: string): boolean {
  const s = escapeRegExp(symbol);
  return new RegExp(`^\\s*(?:export\\s+)?(?:(?:async\\s+)?function\\s*\\*?\\s*${s}\\b|(?:const|let|var|class)\\s+${s}\\b)`, "m").test(code);
}

function normalized(code: string): string {
  return code.split("\n").map((l) => l.trim()).filter(Boolean).join("\n");
}

/** How the student's cell for an exercise was found. */
export interface FoundCell {
  how: "metadata" | "symbol" | "missing" | "withheld";
  /** Portuguese note for the report ("" when nothing to say). */
  note: string;
  /** The code graded (the stub when missing or withheld). */
  code: string;
}

/** Finds the submission's cell for `ex`; `stub` is the student version's cell source. */
export function findExerciseCell(submission: Notebook, ex: Exercise, stub: string): FoundCell {
  const code = submission.cells.filter((c) => c.cell_type === "code");
  const byMeta = code.filter((c) => c.metadata.course?.exercise === ex.id && c.metadata.course?.role !== "check");
  const bySymbol = code.filter((c) => !c.metadata.course?.role && definesSymbol(sourceText(c), ex.symbol));
  const last = <T>(list: T[]): T => list[list.length - 1];
  if (byMeta.length) {
    const chosen = last(byMeta);
    const text = sourceText(chosen);
    const retyped = bySymbol.filter((c) => submission.cells.indexOf(c) > submission.cells.indexOf(chosen));
    if (normalized(text) === normalized(stub) && retyped.length) {
      return { how: "symbol", code: sourceText(last(retyped)), note: `a célula do exercício ficou como veio; corrigi a célula abaixo dela que define \`${ex.symbol}\`` };
    }
    const note = byMeta.length > 1 ? `célula do exercício duplicada (${byMeta.length} cópias): corrigi a última` : "";
    return { how: "metadata", code: text, note };
  }
  if (bySymbol.length) {
    const note = `célula sem a metadata do exercício, encontrada por definir \`${ex.symbol}\`` +
      (bySymbol.length > 1 ? ` (${bySymbol.length} células; corrigi a última)` : "");
    return { how: "symbol", code: sourceText(last(bySymbol)), note };
  }
  return { how: "missing", code: stub,
    note: `célula do exercício não encontrada (apagada?): nenhuma célula com a metadata "${ex.id}" nem que defina \`${ex.symbol}\`` };
}

/** What a cell of the grading notebook is there for (to blame a timeout or a dead kernel on an exercise). */
export type CellOwner =
  | { kind: "preamble" }
  | { kind: "exercise" | "check" | "grader"; exercise: string }
  | { kind: "course"; exercise: string | null }
  /** A code cell the student added (helpers, extra imports): owned by the next exercise. */
  | { kind: "added"; exercise: string | null };

export interface AssembledNotebook {
  nb: Notebook;
  owners: CellOwner[];
  found: Map<string, FoundCell>;
  /** Index of the injected grader cell of each exercise. */
  graderCells: Map<string, number>;
}

function codeCell(id: string, source: string, metadata: Cell["metadata"] = {}): Cell {
  return { cell_type: "code", id, metadata, source: toSourceLines(source), outputs: [], execution_count: null };
}

/** Variable names of the grader in the kernel: unguessable, so student code cannot replace them. */
export function graderNames(nonce: string): { run: string; log: string } {
  return { run: `graderRun_${nonce}`, log: `graderLog_${nonce}` };
}

/**
 * The grading notebook. `withheld` maps exercises whose student cell must not run
 * again (it hung or killed the kernel in an earlier round) to the reason.
 */
export function assembleGradingNotebook(source: CourseSource, submission: Notebook, inputs: Map<string, CaseInput[]>,
  nonce: string, withheld: Map<string, string> = new Map()): AssembledNotebook {
  const names = graderNames(nonce);
  // First cell: take the runner and console.log before any student code can replace them.
  const cells: Cell[] = [codeCell(`grader-preamble-${nonce}`,
    `import { runCasesForGrader as ${names.run} } from "cnn-course";\nconst ${names.log} = console.log;`, { grader: { role: "preamble" } })];
  const owners: CellOwner[] = [{ kind: "preamble" }];
  const found = new Map<string, FoundCell>();
  const graderCells = new Map<string, number>();
  const defined: Exercise[] = [];
  const inject = (ex: Exercise): void => {
    const cases = JSON.stringify(JSON.stringify(inputs.get(ex.id) ?? []));
    graderCells.set(ex.id, cells.length);
    cells.push(codeCell(`grader-${ex.id}-${nonce}`,
      `await ${names.run}(${JSON.stringify(nonce)}, ${JSON.stringify(ex.id)}, ${ex.symbol}, JSON.parse(${cases}), ${names.log});`,
      { grader: { role: "cases", exercise: ex.id } }));
    owners.push({ kind: "grader", exercise: ex.id });
  };
  const added = addedCodeCells(submission, source.student, source.exercises, definesSymbol);
  /** The exercise that owns student code placed after course cell `i`: the next one, else the last. */
  const ownerAfter = (i: number): string | null => {
    const next = source.student.cells.slice(i + 1).find((c) => c.metadata.course?.role === "solution" && c.metadata.course.exercise);
    return next?.metadata.course?.exercise ?? source.exercises[source.exercises.length - 1]?.id ?? null;
  };
  const pushAdded = (anchor: string | null, i: number): void => {
    const exercise = ownerAfter(i);
    if (exercise && withheld.has(exercise)) return;
    for (const a of added.get(anchor) ?? []) {
      cells.push(codeCell(a.id, a.code, { grader: { role: "added" } }));
      owners.push({ kind: "added", exercise });
    }
  };
  const firstCode = source.student.cells.findIndex((c) => c.cell_type === "code");
  source.student.cells.forEach((cell, i) => {
    pushCourseCell(cell, i);
    // Cells the student added before any course cell run after the first code cell (the imports).
    if (i === firstCode) pushAdded(null, i);
    if (cell.id) pushAdded(cell.id, i);
  });
  function pushCourseCell(cell: Cell, i: number): void {
    if (cell.cell_type !== "code") {
      cells.push(structuredClone(cell));
      owners.push({ kind: "course", exercise: null });
      return;
    }
    const meta = cell.metadata.course;
    const ex = meta?.exercise ? source.exercises.find((e) => e.id === meta.exercise) : undefined;
    const id = cell.id ?? `cell-${i}`;
    if (meta?.role === "solution" && ex) {
      const reason = withheld.get(ex.id);
      const f = reason !== undefined ? { how: "withheld" as const, code: sourceText(cell), note: reason } : findExerciseCell(submission, ex, sourceText(cell));
      found.set(ex.id, f);
      cells.push(codeCell(id, f.code, structuredClone(cell.metadata)));
      owners.push({ kind: "exercise", exercise: ex.id });
      if (!defined.includes(ex)) defined.push(ex);
      const hasCheck = source.student.cells.some((c) => c.metadata.course?.role === "check" && c.metadata.course.exercise === ex.id);
      if (!hasCheck) inject(ex);
      return;
    }
    cells.push(codeCell(id, sourceText(cell), structuredClone(cell.metadata)));
    if (meta?.role === "check" && ex) {
      owners.push({ kind: "check", exercise: ex.id });
      inject(ex);
      return;
    }
    const user = [...defined].reverse().find((e) => new RegExp(`\\b${escapeRegExp(e.symbol)}\\b`).test(sourceText(cell)));
    owners.push({ kind: "course", exercise: user?.id ?? null });
  }
  const nb: Notebook = { nbformat: 4, nbformat_minor: Math.max(5, source.student.nbformat_minor),
    metadata: structuredClone(source.student.metadata), cells };
  return { nb, owners, found, graderCells };
}
