// The grading report in the forms an instructor uses: a table on the terminal,
// CSV (one row per submission; one row per case), JSON (everything) and the
// hand-graded answers as Markdown for reading.
import * as fs from "fs";
import * as path from "path";
import type { GradingReport, SubmissionGrade } from "./grader";
import type { ExerciseStatus } from "./judge";
import { answersMarkdown, manualPointsCsv } from "./manual";
import { INTEGRITY_FILE, integrityMarkdown } from "./integrity/report";
import { MARKS } from "../../lib/check/marks";

/** Each status's mark in the terminal table: characters DejaVu Sans Mono has, as the check lines' (lib/check/marks.ts). */
export const STATUS_MARK: Record<ExerciseStatus, string> = {
  "passed": MARKS.passed, "partial": "◐", "failed": MARKS.failed, "not-done": MARKS.notDone, "missing": "∅",
  "error": MARKS.error, "timeout": "◷", "kernel-died": "☠", "not-run": "·", "tampered": "⊠", "reference": MARKS.reference,
};

function pad(text: string, width: number): string {
  const len = [...text].length;
  return len >= width ? text : text + " ".repeat(width - len);
}

function score(points: number, max: number): string {
  return `${Number(points.toFixed(2))}/${max}`;
}

/** One line per submission, then one indented line per problem and per exercise that lost points. */
export function formatTable(report: GradingReport): string {
  const rows = report.submissions;
  const w = {
    student: Math.max(5, ...rows.map((r) => [...r.student].length)),
    notebook: Math.max(8, ...rows.map((r) => (r.notebook ?? "—").length)),
  };
  const lines = [`${pad("aluno", w.student)}  ${pad("notebook", w.notebook)}  ${pad("nota", 9)}  exercícios`];
  lines.push("-".repeat(lines[0].length + 20));
  for (const r of rows) {
    const grade = r.status === "graded" ? score(r.points, r.maxPoints) : r.status === "rejected" ? "rejeitado" : "falhou (corretor)";
    const exercises = r.exercises.map((e) => `${e.exercise} ${STATUS_MARK[e.status]} ${score(e.points, e.maxPoints)}`).join("  ");
    lines.push(`${pad(r.student, w.student)}  ${pad(r.notebook ?? "—", w.notebook)}  ${pad(grade, 9)}  ${exercises}`);
    for (const p of r.problems) lines.push(`    ⚠ ${p}`);
    for (const e of r.exercises) {
      if (e.note) lines.push(`    ${e.exercise}: ${e.note}`);
      if (e.review) lines.push(`    ${e.exercise}: ⚑ ${e.review}`);
      if (e.status === "passed") continue;
      lines.push(`    ${e.exercise}: ${e.message}`);
      for (const c of e.cases.filter((x) => !x.passed).slice(0, 3)) {
        lines.push(`      ✗ ${c.hidden ? "[oculto] " : ""}${c.name}: ${c.message.split("\n")[0]}`);
      }
    }
    const pending = r.answers.filter((a) => a.status === "answered").length;
    if (r.answers.length) lines.push(`    respostas para corrigir à mão: ${pending}/${r.answers.length} respondidas`);
    if (!r.originalUnchanged) lines.push("    ⚠ o arquivo original mudou durante a correção!");
  }
  const graded = rows.filter((r) => r.status === "graded");
  const perSub = rows.length ? report.seconds / rows.length : 0;
  lines.push("", `${rows.length} envio(s), ${graded.length} corrigido(s), ${rows.length - graded.length} rejeitado(s) ou com falha; ` +
    `${report.seconds.toFixed(1)} s (${perSub.toFixed(1)} s por envio)`);
  return lines.join("\n");
}

function csvField(value: string | number | boolean): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(rows: (string | number | boolean)[][]): string {
  return rows.map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}

/** The hand-given points of a submission (after --merge-manual) and the most it could get. */
function manualTotals(s: SubmissionGrade): { points: number; max: number } {
  return { points: s.answers.reduce((t, a) => t + (a.manual?.points ?? 0), 0), max: s.answers.reduce((t, a) => t + a.maxPoints, 0) };
}

/**
 * grades.csv: one row per submission, one column per exercise (points). After
 * `--merge-manual`, also one column per hand-graded answer and the totals.
 */
export function gradesCsv(report: GradingReport): string {
  const exerciseIds = [...new Set(report.submissions.flatMap((s) => s.exercises.map((e) => e.exercise)))];
  const manual = report.submissions.some((s) => s.answers.some((a) => a.manual));
  const answerIds = manual ? [...new Set(report.submissions.flatMap((s) => s.answers.map((a) => a.answer)))] : [];
  const header = ["student", "file", "notebook", "status", "points", "max_points", ...exerciseIds,
    ...(manual ? [...answerIds.map((id) => `answer:${id}`), "manual_points", "manual_max", "total_points", "total_max"] : []), "problems", "notes", "seconds"];
  return csv([header, ...report.submissions.map((s) => {
    const t = manualTotals(s);
    const manualCols = manual ? [...answerIds.map((id) => s.answers.find((a) => a.answer === id)?.manual?.points ?? ""),
      t.points, t.max, Math.round((s.points + t.points) * 100) / 100, s.maxPoints + t.max] : [];
    // A row that failed on the grader's side has no grade (blank), never a zero.
    return [s.student, s.file, s.notebook ?? "", s.status, s.status === "failed" ? "" : s.points, s.maxPoints,
      ...exerciseIds.map((id) => s.exercises.find((e) => e.exercise === id)?.points ?? ""), ...manualCols,
      s.problems.join(" | "), s.exercises.filter((e) => e.note).map((e) => `${e.exercise}: ${e.note}`).join(" | "), s.seconds.toFixed(1)];
  })]);
}

/** details.csv: one row per exercise case (and per exercise without cases). */
export function detailsCsv(report: GradingReport): string {
  const rows: (string | number | boolean)[][] = [["student", "notebook", "exercise", "status", "points", "max_points", "case", "hidden", "passed", "message"]];
  for (const s of report.submissions) {
    for (const e of s.exercises) {
      const head = [s.student, s.notebook ?? "", e.exercise, e.status, e.points, e.maxPoints];
      if (e.cases.length === 0) rows.push([...head, "", "", false, e.message]);
      for (const c of e.cases) rows.push([...head, c.name, c.hidden, c.passed, c.message]);
    }
  }
  return csv(rows);
}

/** True when manual-points.csv has points or comments given by hand (never overwritten). */
export function manualPointsFilled(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  return fs.readFileSync(file, "utf8").split("\n").slice(1).some((line) => {
    const cols = line.split(",");
    const points = cols[4] ?? "", comment = cols.slice(5).join(",");
    return (points !== "" && points !== "0") || (comment !== "" && comment !== "não respondida");
  });
}

/** Writes report.json, grades.csv, details.csv, answers.md and manual-points.csv (manual-points.new.csv when the other has hand-given points); returns their paths. */
export function writeReport(report: GradingReport, outDir: string): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  const manual = manualPointsFilled(path.join(outDir, "manual-points.csv")) ? "manual-points.new.csv" : "manual-points.csv";
  const files: [string, string][] = [
    ["report.json", JSON.stringify(report, null, 1) + "\n"],
    ["grades.csv", gradesCsv(report)],
    ["details.csv", detailsCsv(report)],
    ["answers.md", answersMarkdown(report)],
    [manual, manualPointsCsv(report)],
    ...(report.integrity ? [[INTEGRITY_FILE, integrityMarkdown(report.integrity)] as [string, string]] : []),
  ];
  return files.map(([name, text]) => {
    const file = path.join(outDir, name);
    fs.writeFileSync(file, text);
    return file;
  });
}
