// What the grader tests share: a student's row of a grading report, or an error naming the student.
import type { GradingReport, SubmissionGrade } from "../../tools/grader/grader";

export function rowOf(report: GradingReport, student: string): SubmissionGrade {
  const row = report.submissions.find((s) => s.student === student);
  if (!row) throw new Error(`no row for ${student} (rows: ${report.submissions.map((s) => s.student).join(", ")})`);
  return row;
}
