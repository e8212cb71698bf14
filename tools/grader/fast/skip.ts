// What grading runs of a course notebook: every cell but the teaching cells marked
// `"course": {"grading": "skip"}` (charts, demos, trainings no exercise depends on;
// docs/authoring.md). The exercises, checks and answers are untouched.
import type { CourseSource } from "../assemble";

const views = new WeakMap<CourseSource, CourseSource>();

/** True for a cell grading leaves out. */
export function skippedAtGrading(meta: { grading?: string; role?: string } | undefined): boolean {
  return meta?.grading === "skip" && !meta.role;
}

/** The course source without its skipped cells (computed once per source). */
export function gradingView(source: CourseSource): CourseSource {
  const cached = views.get(source);
  if (cached) return cached;
  const cells = source.student.cells.filter((c) => !skippedAtGrading(c.metadata.course));
  const view: CourseSource = { ...source, student: { ...source.student, cells } };
  views.set(source, view);
  return view;
}
