// The hand-graded answers: what the instructor reads (answers.md: per question, the
// question, the model answer from solutions/, a rubric, then every student's answer),
// the CSV to fill in with the points given, and the merge of that CSV into grades.csv.
import * as fs from "fs";
import * as path from "path";
import { parse } from "csv-parse/sync";
import { sourceText } from "../notebooks/format";
import type { CourseSource } from "./assemble";
import type { GradingReport } from "./grader";
import { gradesCsv } from "./report";

/** One hand-graded question of a course notebook. */
export interface QuestionInfo {
  notebook: string;
  answer: string;
  points: number;
  /** The markdown cell that asks it (the last one before the answer cell). */
  question: string;
  /** The solution region of the answer cell in solutions/. */
  modelAnswer: string;
  /** How the points split: `course.rubric` of the answer cell, else a default split. */
  rubric: string[];
}

const SOLUTION_REGION = /<!--\s*BEGIN SOLUTION\s*-->([\s\S]*?)<!--\s*END SOLUTION\s*-->/;

/** The default split when the answer cell has no `course.rubric` (Portuguese, like the answers). */
export function defaultRubric(points: number): string[] {
  const half = Math.round(points * 50) / 100;
  return [`${points}: responde ao que foi perguntado, com a ideia central da resposta modelo e uma justificativa correta`,
    `${half}: ideia central certa, mas sem justificativa ou com um erro`, "0: em branco, fora do assunto ou errada"];
}

/** The questions of a course notebook, from its solved version. */
export function questionsOf(source: CourseSource): QuestionInfo[] {
  const cells = source.solved.cells;
  return cells.flatMap((cell, i): QuestionInfo[] => {
    const meta = cell.metadata.course;
    if (meta?.role !== "answer" || !meta.answer) return [];
    const asking = cells.slice(0, i).reverse().find((c) => c.cell_type === "markdown" && c.metadata.course?.role !== "answer");
    const rubric = (meta as { rubric?: unknown }).rubric;
    return [{
      notebook: source.id, answer: meta.answer, points: meta.points ?? 0,
      question: asking ? sourceText(asking).trim() : "", modelAnswer: SOLUTION_REGION.exec(sourceText(cell))?.[1].trim() ?? "",
      rubric: Array.isArray(rubric) ? rubric.map(String) : defaultRubric(meta.points ?? 0),
    }];
  });
}

function quoted(text: string): string {
  return text.split("\n").map((l) => `> ${l}`).join("\n");
}

/** answers.md: per question, the question, the model answer, the rubric, then every student's answer. */
export function answersMarkdown(report: GradingReport): string {
  const out = ["# Respostas para corrigir à mão", "",
    "Dê os pontos em `manual-points.csv` (coluna `points`) e junte-os às notas com `npm run grade -- --merge-manual manual-points.csv --out <esta pasta>`.", ""];
  const questions = report.questions ?? [];
  const ids = [...new Set([...questions.map((q) => q.answer), ...report.submissions.flatMap((s) => s.answers.map((a) => a.answer))])];
  for (const id of ids) {
    const q = questions.find((x) => x.answer === id);
    const answers = report.submissions.flatMap((s) => s.answers.filter((a) => a.answer === id).map((a) => ({ s, a })));
    out.push(`## ${id} (${q?.points ?? answers[0]?.a.maxPoints ?? 0} ponto(s)${q ? `, ${q.notebook}` : ""})`, "");
    if (q) {
      out.push("**Pergunta:**", "", quoted(q.question || "(sem enunciado)"), "", "**Resposta modelo:**", "", quoted(q.modelAnswer || "(sem resposta modelo)"), "");
      out.push("**Critério:**", "", ...q.rubric.map((r) => `- ${r}`), "");
    }
    for (const { s, a } of answers) {
      const text = a.status === "answered" ? a.text.trim() : `_(${a.status === "missing" ? "célula de resposta não encontrada" : "não respondida"})_`;
      out.push(`### ${s.student}`, "", text, "");
    }
  }
  return out.join("\n");
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** manual-points.csv: one row per submission and answer; unanswered ones already 0. */
export function manualPointsCsv(report: GradingReport): string {
  const rows: (string | number)[][] = [["student", "notebook", "answer", "max_points", "points", "comment"]];
  for (const s of report.submissions) {
    for (const a of s.answers) {
      const points = a.manual?.points ?? (a.status === "answered" ? "" : 0);
      rows.push([s.student, s.notebook ?? "", a.answer, a.maxPoints, points, a.manual?.comment ?? (a.status === "answered" ? "" : "não respondida")]);
    }
  }
  return rows.map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}

type ManualRow = Record<string, string>;

function readManualRows(file: string): ManualRow[] {
  if (!fs.existsSync(file)) throw new Error(`no manual-points file at ${file}`);
  try {
    return parse(fs.readFileSync(file, "utf8"), { columns: true, skip_empty_lines: true, trim: true, bom: true }) as ManualRow[];
  } catch (err) {
    throw new Error(`${file}: not a readable CSV (${(err as Error).message}); keep the header student,notebook,answer,max_points,points,comment`);
  }
}

/** Puts the CSV's points on the report's answers; every problem is listed with its line (English, for the instructor). */
export function applyManualPoints(report: GradingReport, rows: ManualRow[], file: string): number {
  const problems: string[] = [];
  let merged = 0;
  rows.forEach((row, i) => {
    const line = `${path.basename(file)} line ${i + 2}`;
    const sub = report.submissions.find((s) => s.student === row.student);
    const answer = sub?.answers.find((a) => a.answer === row.answer);
    if (!sub || !answer) {
      problems.push(`${line}: no answer "${row.answer ?? ""}" of student "${row.student ?? ""}" in this report`);
      return;
    }
    const points = Number((row.points ?? "").replace(",", "."));
    if ((row.points ?? "") === "" || !Number.isFinite(points) || points < 0 || points > answer.maxPoints) {
      problems.push(`${line}: points must be a number from 0 to ${answer.maxPoints} (got "${row.points ?? ""}") for ${row.student} / ${row.answer}`);
      return;
    }
    answer.manual = { points, comment: row.comment ?? "" };
    merged++;
  });
  if (problems.length) throw new Error(`cannot merge the manual points:\n  ${problems.slice(0, 20).join("\n  ")}${problems.length > 20 ? `\n  ... and ${problems.length - 20} more` : ""}`);
  return merged;
}

/** `--merge-manual FILE`: reads <outDir>/report.json, adds the hand-given points, rewrites report.json and grades.csv. */
export function mergeManualPoints(outDir: string, csvFile: string): { file: string; merged: number } {
  const reportFile = path.join(outDir, "report.json");
  if (!fs.existsSync(reportFile)) throw new Error(`no report at ${reportFile}: grade first (npm run grade -- <folder> --out ${outDir}), or pass the same --out`);
  const report = JSON.parse(fs.readFileSync(reportFile, "utf8")) as GradingReport;
  const merged = applyManualPoints(report, readManualRows(csvFile), csvFile);
  fs.writeFileSync(reportFile, JSON.stringify(report, null, 1) + "\n");
  const grades = path.join(outDir, "grades.csv");
  fs.writeFileSync(grades, gradesCsv(report));
  return { file: grades, merged };
}
