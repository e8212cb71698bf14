// The gradebook: one row per student across the notebooks (the automatic points plus
// the hand-given ones), a total and a weighted percentage, written as CSV for a
// spreadsheet in Portuguese (`;`, decimal comma), for Moodle's grade import or for
// Canvas's gradebook import.
import type { GradingReport, SubmissionGrade } from "../grader";
import type { Lateness } from "./deadlines";

/** The lateness of a row (deadlines.ts), or null when on time or without a due date. */
export type LateOf = (row: SubmissionGrade, student: string) => Lateness | null;

export type GradebookPreset = "pt-br" | "moodle" | "canvas";
export const GRADEBOOK_PRESETS: GradebookPreset[] = ["pt-br", "moodle", "canvas"];

export interface GradebookRow {
  student: string;
  /** Points (automatic + manual) and the most possible, by notebook; missing notebooks are absent. */
  notebooks: Map<string, { points: number; max: number }>;
  points: number;
  max: number;
  /** Weighted percentage of the possible points, 0-100 (notebooks not handed in count as 0). */
  percent: number;
}

/** The student a row belongs to: the folder of a per-student layout (aluno-01/02-x), else the file name without the notebook id. */
export function studentOf(row: SubmissionGrade): string {
  const parts = row.student.split("/");
  if (parts.length > 1) return parts.slice(0, -1).join("/");
  const name = parts[0];
  const cut = row.notebook ? name.replace(row.notebook, "").replace(/^[-_ ]+|[-_ ]+$/g, "") : name;
  return cut || name;
}

function rowPoints(s: SubmissionGrade): { points: number; max: number } {
  const manual = s.answers.reduce((t, a) => t + (a.manual?.points ?? 0), 0);
  const manualMax = s.answers.reduce((t, a) => t + a.maxPoints, 0);
  return { points: s.points + manual, max: s.maxPoints + manualMax };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * One row per student. `weights` by notebook id (default 1 each); the percentage weighs
 * each notebook's fraction of its points. `notebookMax` gives the most possible of
 * notebooks a student did not hand in (from any other student's row).
 */
export function gradebookRows(report: GradingReport, weights: Record<string, number> = {}, late: LateOf = () => null): { notebooks: string[]; rows: GradebookRow[] } {
  const graded = report.submissions.filter((s) => s.notebook);
  const notebooks = [...new Set(graded.map((s) => s.notebook as string))].sort();
  const notebookMax = new Map(graded.map((s) => [s.notebook as string, rowPoints(s).max]));
  const byStudent = new Map<string, Map<string, { points: number; max: number }>>();
  for (const s of graded) {
    const id = studentOf(s);
    const m = byStudent.get(id) ?? new Map<string, { points: number; max: number }>();
    const p = rowPoints(s);
    const penalty = late(s, id)?.percent ?? 0;
    m.set(s.notebook as string, { points: round2(p.points * (1 - penalty / 100)), max: p.max });
    byStudent.set(id, m);
  }
  const weight = (nb: string): number => weights[nb] ?? 1;
  const totalWeight = notebooks.reduce((t, nb) => t + weight(nb), 0);
  // Roster students with no file: a row of nothing handed in.
  for (const id of report.roster?.missing ?? []) if (!byStudent.has(id)) byStudent.set(id, new Map());
  const rows = [...byStudent.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([student, m]): GradebookRow => {
    const points = [...m.values()].reduce((t, x) => t + x.points, 0);
    const max = notebooks.reduce((t, nb) => t + (notebookMax.get(nb) ?? 0), 0);
    const fraction = notebooks.reduce((t, nb) => {
      const x = m.get(nb);
      const most = notebookMax.get(nb) ?? 0;
      return t + weight(nb) * (x && most > 0 ? x.points / most : 0);
    }, 0);
    return { student, notebooks: m, points: round2(points), max, percent: totalWeight > 0 ? round2((100 * fraction) / totalWeight) : 0 };
  });
  return { notebooks, rows };
}

function field(value: string, sep: string): string {
  return value.includes(sep) || /["\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The gradebook as CSV in one of the presets. */
export function gradebookCsv(report: GradingReport, preset: GradebookPreset, weights: Record<string, number> = {}, late: LateOf = () => null): string {
  const { notebooks, rows } = gradebookRows(report, weights, late);
  const ptBr = preset === "pt-br";
  const sep = ptBr ? ";" : ",";
  const num = (x: number | undefined): string => (x === undefined ? "" : ptBr ? String(round2(x)).replace(".", ",") : String(round2(x)));
  const line = (cells: string[]): string => cells.map((c) => field(c, sep)).join(sep);
  const cells = (r: GradebookRow): string[] => notebooks.map((nb) => num(r.notebooks.get(nb)?.points));
  const maxOf = (nb: string): number => report.submissions.find((s) => s.notebook === nb)?.maxPoints ?? 0;
  let out: string[];
  if (preset === "canvas") {
    // Canvas: the student columns it matches on, then one column per assignment and a "Points Possible" row.
    const maxRow = rows[0] ? notebooks.map((nb) => num(rows.find((r) => r.notebooks.has(nb))?.notebooks.get(nb)?.max ?? maxOf(nb))) : [];
    out = [line(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", ...notebooks, "Total"]),
      line(["Points Possible", "", "", "", "", ...maxRow, num(rows[0]?.max ?? 0)]),
      ...rows.map((r) => line([r.student, "", "", r.student, "", ...cells(r), num(r.points)]))];
  } else if (preset === "moodle") {
    // Moodle "Import grades > CSV file": map "idnumber" to the user field that holds the id, each notebook to a grade item.
    out = [line(["idnumber", ...notebooks, "total", "percent"]), ...rows.map((r) => line([r.student, ...cells(r), num(r.points), num(r.percent)]))];
  } else {
    out = [line(["aluno", ...notebooks, "total", "máximo", "percentual"]),
      ...rows.map((r) => line([r.student, ...cells(r), num(r.points), num(r.max), num(r.percent)]))];
  }
  // Excel in Portuguese opens a UTF-8 file with a BOM in columns (accents intact).
  return (ptBr ? "\ufeff" : "") + out.join("\r\n") + "\r\n";
}
