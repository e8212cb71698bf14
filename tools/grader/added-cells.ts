// Code the student put outside the exercise cells, so that a notebook that passes its
// self-checks at home is graded the same way: code cells the student added (helpers, an
// answer re-typed in a new cell) and names added to the course's import cells. Each is run
// in the grading notebook right after the course cell it follows in the submission, and is
// owned by the next exercise (a hang or a dead kernel there is blamed on that exercise only).
import * as ts from "typescript";
import type { Exercise } from "../../lib/check/types";
import { Cell, Notebook, sourceText } from "../notebooks/format";

export interface AddedCell { id: string; code: string }

/** Named imports of a cell, by module: `import { a, b as c } from "m"` gives m -> ["a", "b as c"] (by local name). */
function namedImports(code: string): Map<string, Map<string, string>> {
  const file = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const byModule = new Map<string, Map<string, string>>();
  for (const st of file.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || st.importClause?.isTypeOnly) continue;
    const bindings = st.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    const names = byModule.get(st.moduleSpecifier.text) ?? new Map<string, string>();
    for (const e of bindings.elements) names.set(e.name.text, e.propertyName ? `${e.propertyName.text} as ${e.name.text}` : e.name.text);
    byModule.set(st.moduleSpecifier.text, names);
  }
  return byModule;
}

/** The imports the student added to a course cell (names the course's version does not import), as code; "" when none. */
export function addedImports(courseCode: string, studentCode: string): string {
  const course = namedImports(courseCode);
  const lines: string[] = [];
  for (const [module, names] of namedImports(studentCode)) {
    const known = course.get(module) ?? new Map<string, string>();
    const extra = [...names].filter(([local]) => !known.has(local) && ![...course.values()].some((m) => m.has(local))).map(([, spec]) => spec);
    if (extra.length) lines.push(`import { ${extra.join(", ")} } from ${JSON.stringify(module)};`);
  }
  return lines.join("\n");
}

/**
 * The student's added code, by the id of the course cell it follows (null: before any course
 * cell). Cells that define an exercise's symbol are left to the exercise matching; cells
 * with course metadata are the course's.
 */
export function addedCodeCells(submission: Notebook, course: Notebook, exercises: Exercise[], definesSymbol: (code: string, symbol: string) => boolean): Map<string | null, AddedCell[]> {
  const courseCells = new Map(course.cells.filter((c) => c.id).map((c) => [c.id as string, c]));
  const added = new Map<string | null, AddedCell[]>();
  let anchor: string | null = null;
  const push = (at: string | null, cell: AddedCell): void => {
    added.set(at, [...(added.get(at) ?? []), cell]);
  };
  submission.cells.forEach((cell: Cell, i) => {
    const known = cell.id ? courseCells.get(cell.id) : undefined;
    if (known) {
      anchor = known.id ?? null;
      // Names added to a course cell's imports (the only part of an edited course cell that is kept).
      if (cell.cell_type === "code" && known.cell_type === "code" && !known.metadata.course?.role) {
        const extra = addedImports(sourceText(known), sourceText(cell));
        if (extra) push(anchor, { id: `added-imports-${i}`, code: extra });
      }
      return;
    }
    if (cell.cell_type !== "code" || cell.metadata.course?.role) return;
    const code = sourceText(cell);
    if (!code.trim() || exercises.some((ex) => definesSymbol(code, ex.symbol))) return;
    push(anchor, { id: `added-${cell.id ?? i}`, code });
  });
  return added;
}
