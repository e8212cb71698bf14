// A page of feedback per student, in Portuguese (HTML): points per exercise, the public
// cases' messages, the hidden cases only as "k de n casos ocultos passaram", the
// hand-given points and comments. Nothing of a hidden case (its name, input, expected
// value or the message that would show them) is written.
import * as fs from "fs";
import * as path from "path";
import type { GradingReport, SubmissionGrade } from "../grader";
import type { ExerciseGrade, ExerciseStatus } from "../judge";
import { LateOf, studentOf } from "./gradebook";

const STATUS: Record<ExerciseStatus, string> = {
  "passed": "completo", "partial": "parcial", "failed": "não passou", "not-done": "ainda não feito", "missing": "célula não encontrada",
  "error": "erro", "timeout": "tempo esgotado", "kernel-died": "a execução parou", "not-run": "não avaliado",
  "tampered": "zerado para revisão", "reference": "usa a implementação de referência",
};

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const num = (x: number): string => String(Math.round(x * 100) / 100).replace(".", ",");

/** What a student may read about an exercise: public cases in full, hidden ones only counted. */
function exerciseHtml(e: ExerciseGrade): string {
  const pub = e.cases.filter((c) => !c.hidden);
  const hidden = e.cases.filter((c) => c.hidden);
  const lines: string[] = [];
  if (e.cases.length) {
    lines.push(`${pub.filter((c) => c.passed).length} de ${pub.length} casos públicos passaram`);
    if (hidden.length) lines.push(`${hidden.filter((c) => c.passed).length} de ${hidden.length} casos ocultos passaram`);
  } else {
    // A message from the grader's own cell may quote a case's input: only its first words.
    lines.push(e.message.startsWith("não consegui rodar os casos") ? "não consegui rodar os casos (veja a sua função com entradas de outros tamanhos)" : e.message);
  }
  const failed = pub.filter((c) => !c.passed).map((c) => `<li><b>${escapeHtml(c.name)}</b>: ${escapeHtml(c.message)}</li>`);
  return `<tr><td>${escapeHtml(e.title)}</td><td>${num(e.points)} / ${num(e.maxPoints)}</td><td>${STATUS[e.status]}</td>` +
    `<td>${lines.map(escapeHtml).join("<br>")}${e.note ? `<br><i>${escapeHtml(e.note)}</i>` : ""}${failed.length ? `<ul>${failed.join("")}</ul>` : ""}</td></tr>`;
}

const when = (d: Date): string => d.toLocaleString("pt-BR", { timeZone: "America/Sao_Paulo", dateStyle: "short", timeStyle: "short" });

function notebookHtml(s: SubmissionGrade, student: string, late: LateOf): string {
  const manual = s.answers.reduce((t, a) => t + (a.manual?.points ?? 0), 0);
  const manualMax = s.answers.reduce((t, a) => t + a.maxPoints, 0);
  const l = late(s, student);
  const total = (s.points + manual) * (1 - (l?.percent ?? 0) / 100);
  const head = `<h2>${escapeHtml(s.notebook ?? s.student)}: ${num(total)} de ${num(s.maxPoints + manualMax)} pontos</h2>` +
    (l ? `<p class="atraso">Entregue em ${when(l.at)}, prazo ${when(l.due)}: ${l.daysLate} dia(s) de atraso, desconto de ${num(l.percent)}% ` +
      `(sem o desconto: ${num(s.points + manual)}).</p>` : "");
  const problems = s.problems.length ? `<ul class="problemas">${s.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join("")}</ul>` : "";
  const table = s.exercises.length ? `<table><tr><th>exercício</th><th>pontos</th><th>situação</th><th>detalhes</th></tr>${s.exercises.map(exerciseHtml).join("")}</table>` : "";
  const answers = s.answers.length ? `<h3>Respostas corrigidas pelo professor</h3><ul>${s.answers.map((a) => `<li>${escapeHtml(a.answer)}: ` +
    (a.manual ? `${num(a.manual.points)} de ${num(a.maxPoints)}${a.manual.comment ? ` (${escapeHtml(a.manual.comment)})` : ""}` : a.status === "answered" ? "ainda não corrigida" : "não respondida") +
    "</li>").join("")}</ul>` : "";
  return head + problems + table + answers;
}

/** The page of one student (all their notebooks). */
export function feedbackHtml(student: string, rows: SubmissionGrade[], late: LateOf = () => null): string {
  return `<!doctype html>\n<html lang="pt-BR"><head><meta charset="utf-8"><title>Correção: ${escapeHtml(student)}</title>` +
    "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;vertical-align:top}</style></head>" +
    `<body><h1>Correção: ${escapeHtml(student)}</h1>${rows.map((r) => notebookHtml(r, student, late)).join("\n")}</body></html>\n`;
}

/** A folder per student under `<outDir>/feedback/` with `feedback.html`; returns the folders. */
export function writeFeedback(report: GradingReport, outDir: string, late: LateOf = () => null): string[] {
  const byStudent = new Map<string, SubmissionGrade[]>();
  for (const s of report.submissions) byStudent.set(studentOf(s), [...(byStudent.get(studentOf(s)) ?? []), s]);
  return [...byStudent.entries()].map(([student, rows]) => {
    const dir = path.join(outDir, "feedback", student.replace(/[\\/]/g, "__"));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "feedback.html"), feedbackHtml(student, rows, late));
    return dir;
  });
}
