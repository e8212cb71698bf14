// The feedback pages as the zip Moodle's "Upload multiple feedback files in a zip" takes: one
// folder per student named as Moodle names the folders of its submissions download,
// `<Full name>_<participant id>_assignsubmission_file_`, holding `feedback.html`. The folder name is
// taken from the student's own files (the download keeps it), so it is Moodle's, letter for letter;
// a student whose files are not in such a folder (another layout, a roster id alone) is left out
// and listed. Canvas has no upload of this kind (docs/grading.md).
import * as fs from "fs";
import * as path from "path";
import { zipSync } from "fflate";
import type { GradingReport, SubmissionGrade } from "../grader";
import { feedbackHtml } from "./feedback";
import { LateOf, studentOf } from "./gradebook";

const MOODLE_FOLDER = /^.+_\d+_assign(submission|feedback)_[a-z]+_$/;

/** The Moodle download folder one of the rows' files lies in (`Maria Silva_123456_assignsubmission_file_`), or null. */
export function moodleFolderOf(rows: SubmissionGrade[]): string | null {
  for (const row of rows) {
    const folder = path.dirname(row.file).split(/[\\/]/).reverse().find((part) => MOODLE_FOLDER.test(part));
    if (folder) return folder.replace(/_assign(submission|feedback)_[a-z]+_$/, "_assignsubmission_file_");
  }
  return null;
}

/** Writes `<outDir>/feedback-moodle.zip` (null: no student is in a Moodle folder, nothing written); who is in it and who is left out. */
export function writeMoodleFeedbackZip(report: GradingReport, outDir: string, late: LateOf = () => null): { zip: string | null; students: string[]; leftOut: string[] } {
  const byStudent = new Map<string, SubmissionGrade[]>();
  for (const s of report.submissions) byStudent.set(studentOf(s), [...(byStudent.get(studentOf(s)) ?? []), s]);
  const files: Record<string, Uint8Array> = {};
  const students: string[] = [];
  const leftOut: string[] = [];
  for (const [student, rows] of byStudent) {
    const folder = moodleFolderOf(rows);
    if (!folder) {
      leftOut.push(student);
      continue;
    }
    files[`${folder}/feedback.html`] = Buffer.from(feedbackHtml(student, rows, late), "utf8");
    students.push(student);
  }
  if (students.length === 0) return { zip: null, students, leftOut };
  const zip = path.join(outDir, "feedback-moodle.zip");
  fs.writeFileSync(zip, zipSync(files, { level: 9 }));
  return { zip, students, leftOut };
}
