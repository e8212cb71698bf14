// What grading runs of a course notebook: every cell but the teaching cells marked
// `"course": {"grading": "skip"}` (charts, demos, trainings no exercise depends on;
// docs/authoring.md). The grading notebook is assembled from the whole course notebook
// (so a student's copy of a skipped cell is known as the course's, never run as an added
// cell), then the marked course cells are taken out.
import type { AssembledNotebook } from "../assemble";

/** True for a cell grading leaves out. */
export function skippedAtGrading(meta: { grading?: string; role?: string } | undefined): boolean {
  return meta?.grading === "skip" && !meta.role;
}

/** The assembled grading notebook without the course cells marked "skip" (owners and grader cell indices follow). */
export function withoutSkipped(assembled: AssembledNotebook): AssembledNotebook {
  const keep = assembled.nb.cells.map((c, i) => !(assembled.owners[i]?.kind === "course" && skippedAtGrading(c.metadata.course)));
  const newIndex: number[] = [];
  let n = 0;
  for (const k of keep) newIndex.push(k ? n++ : -1);
  return {
    ...assembled,
    nb: { ...assembled.nb, cells: assembled.nb.cells.filter((_, i) => keep[i]) },
    owners: assembled.owners.filter((_, i) => keep[i]),
    graderCells: new Map([...assembled.graderCells].map(([id, i]) => [id, newIndex[i]])),
  };
}
