// One runner process per student (the direct runner): which submissions are one student's, and in
// what order they run. A student is recognised by the path, never guessed across people: files of
// one student folder (`aluno-01/02-x.ipynb`, `Maria Silva_123_assignsubmission_file_/03-y.ipynb`, a
// roster id) or of one name in a flat folder (`turma/maria_02-x.ipynb`, `turma/maria_03-y.ipynb`).
// A file whose name holds no course notebook id (`turma/maria.ipynb`) gets a process of its own.
import * as path from "path";
import type { SubmissionEntry } from "../grader";

/** The course notebook id a file name holds (the longest that matches), or null. */
function idIn(name: string, notebookIds: string[]): string | null {
  return notebookIds.filter((n) => name.toLowerCase().includes(n.toLowerCase())).sort((a, b) => b.length - a.length)[0] ?? null;
}

/** The key of the process a submission may share, or null when it runs alone. */
export function processKey(entry: SubmissionEntry, notebookIds: string[]): string | null {
  const parts = entry.student.split("/");
  const name = parts[parts.length - 1];
  const id = idIn(name, notebookIds);
  if (!id) return null;
  const at = name.toLowerCase().indexOf(id.toLowerCase());
  const rest = name.slice(0, at) + name.slice(at + id.length);
  const folder = parts.length > 1 ? parts.slice(0, -1).join("/") : `${path.dirname(entry.file)}${path.sep}`;
  return `${folder}\u0000${rest}`;
}

/**
 * The submissions (indices into `entries`) grouped by student, in the order of their first file;
 * inside a group, the notebooks that do not start the engine first (they need a process where
 * TensorFlow.js has no backend yet), then the listing order.
 */
export function studentGroups(entries: SubmissionEntry[], notebookIds: string[], startsEngine: (notebook: string) => boolean): number[][] {
  const groups = new Map<string, number[]>();
  entries.forEach((e, i) => {
    const key = processKey(e, notebookIds) ?? `\u0001${i}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const late = (i: number): number => {
    const nb = idIn(path.basename(entries[i].file), notebookIds);
    return nb && !startsEngine(nb) ? 0 : 1;
  };
  return [...groups.values()].map((g) => [...g].sort((a, b) => late(a) - late(b) || a - b));
}
