// Judges an executed grading notebook outside the kernel: reads the tagged outputs
// of the injected cells, compares them with the public and hidden cases' expected
// values, and gives points per exercise with a reason for every lost point.
import { judgeCase } from "../../lib/check/check";
import { CaseOutcome, parseCaseOutputs, ParsedOutputs } from "../../lib/check/case-outputs";
import type { Exercise, ExerciseCase } from "../../lib/check/types";
import type { CellError, ExecutionResult } from "../notebooks/execute";
import { Notebook, sourceText } from "../notebooks/format";
import type { AssembledNotebook, CourseSource } from "./assemble";

/** A case with where it comes from. */
export interface GradedCase extends ExerciseCase { hidden: boolean }

export interface CaseGrade { name: string; hidden: boolean; passed: boolean; message: string }

export type ExerciseStatus = "passed" | "partial" | "failed" | "not-done" | "missing" | "error" | "timeout" | "kernel-died" | "not-run" | "tampered" | "reference";

export interface ExerciseGrade {
  exercise: string;
  title: string;
  points: number;
  maxPoints: number;
  status: ExerciseStatus;
  /** How the student's cell was found: metadata, symbol, missing, withheld. */
  found: string;
  /** Portuguese: how many cases passed, or why the points were lost. */
  message: string;
  /** Portuguese: how the cell was found when not by its metadata alone (duplicated, re-typed); "" otherwise. */
  note: string;
  /** Portuguese: why the instructor should look at it (every public case passes, some hidden one fails); absent otherwise. */
  review?: string;
  cases: CaseGrade[];
}

export interface AnswerGrade {
  answer: string;
  maxPoints: number;
  status: "answered" | "unanswered" | "missing";
  /** The student's markdown, for reading. */
  text: string;
  /** Portuguese: where the answer was found when not in its own cell. */
  note?: string;
  /** Points given by hand (`npm run grade -- --merge-manual FILE`). */
  manual?: { points: number; comment: string };
}

/** All the text a cell printed (stdout and stderr streams, plain-text results). */
export function outputText(nb: Notebook, cellIndex: number): string {
  const cell = nb.cells[cellIndex];
  return (cell?.outputs ?? []).map((o) => {
    const t = o.text ?? (o.data?.["text/plain"] as string | string[] | undefined) ?? "";
    return Array.isArray(t) ? t.join("") : t;
  }).join("");
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** The first line of a cell error, for a report line. */
export function errorLine(e: CellError): string {
  return `${e.ename}: ${e.evalue.split("\n")[0]}`.slice(0, 300);
}

export interface JudgeInput {
  source: CourseSource;
  assembled: AssembledNotebook;
  executed: Notebook;
  result: ExecutionResult;
  nonce: string;
  cases: Map<string, GradedCase[]>;
  /** Exercises whose cell hung or killed the kernel in an earlier round, with the status to give. */
  withheld: Map<string, { status: "timeout" | "kernel-died"; message: string }>;
}

function judgeOutcomes(cases: GradedCase[], parsed: ParsedOutputs): { grades: CaseGrade[]; notDone: number; reference: string | null } {
  let notDone = 0;
  let reference: string | null = null;
  const grades = cases.map((c, index): CaseGrade => {
    const outcome: CaseOutcome | undefined = parsed.outcomes.get(index);
    if (!outcome) return { name: c.name, hidden: c.hidden, passed: false, message: "sem resultado (a execução parou antes deste caso)" };
    if (outcome.status === "not-done") {
      notDone++;
      return { name: c.name, hidden: c.hidden, passed: false, message: "ainda não feito (`todo()`)" };
    }
    if (outcome.status === "error") return { name: c.name, hidden: c.hidden, passed: false, message: outcome.message };
    if (outcome.status === "reference") {
      reference = reference ?? outcome.message;
      return { name: c.name, hidden: c.hidden, passed: false, message: outcome.message };
    }
    const r = judgeCase(c, outcome.value);
    return { name: c.name, hidden: c.hidden, passed: r.passed, message: r.message };
  });
  return { grades, notDone, reference };
}

/** Why an exercise's injected cell printed nothing usable. */
function missingOutputReason(ex: Exercise, input: JudgeInput): { status: ExerciseStatus; message: string } {
  const { assembled, result } = input;
  const exerciseCell = assembled.owners.findIndex((o) => o.kind === "exercise" && o.exercise === ex.id);
  const graderCell = assembled.graderCells.get(ex.id) ?? -1;
  const exerciseError = result.errors.find((e) => e.cellIndex === exerciseCell);
  if (exerciseError?.ename === "NotDoneError") return { status: "not-done", message: "ainda não feito" };
  if (exerciseError) return { status: "error", message: `a célula do exercício deu erro: ${errorLine(exerciseError)}` };
  if (result.timedOut && result.timedOut.cellIndex <= graderCell) {
    return { status: "not-run", message: `não avaliado: a execução parou por tempo (${result.timedOut.kind === "cell" ? "célula" : "total"}, ${result.timedOut.seconds} s) na célula ${result.timedOut.cellIndex}` };
  }
  if (result.kernelDied && (result.kernelDied.cellIndex === null || result.kernelDied.cellIndex <= graderCell)) {
    return { status: "not-run", message: `não avaliado: o kernel morreu na célula ${String(result.kernelDied.cellIndex)} (process.exit, falta de memória ou falha do Node)` };
  }
  const graderError = result.errors.find((e) => e.cellIndex === graderCell);
  if (graderError) return { status: "error", message: `não consegui rodar os casos: ${errorLine(graderError)}` };
  return { status: "error", message: "os casos não devolveram resultado (a saída foi suprimida ou o kernel parou)" };
}

export function gradeExercises(input: JudgeInput): ExerciseGrade[] {
  const { source, assembled, executed, nonce } = input;
  return source.exercises.map((ex): ExerciseGrade => {
    const cases = input.cases.get(ex.id) ?? [];
    const found = assembled.found.get(ex.id);
    const base = { exercise: ex.id, title: ex.title, maxPoints: ex.points, found: found?.how ?? "missing",
      note: found?.how === "missing" || found?.how === "withheld" ? "" : found?.note ?? "" };
    const zero = (status: ExerciseStatus, message: string, caseGrades: CaseGrade[] = []): ExerciseGrade =>
      ({ ...base, points: 0, status, message, cases: caseGrades });
    const withheld = input.withheld.get(ex.id);
    if (withheld) return zero(withheld.status, withheld.message);
    if (!found || found.how === "missing") return zero("missing", found?.note ?? "célula do exercício não encontrada");
    const graderCell = assembled.graderCells.get(ex.id);
    const parsed = graderCell === undefined ? undefined : parseCaseOutputs(outputText(executed, graderCell), nonce).get(ex.id);
    if (!parsed || parsed.outcomes.size === 0) {
      const why = missingOutputReason(ex, input);
      return zero(why.status, why.message);
    }
    if (parsed.duplicates.length) {
      return zero("tampered", `resultados repetidos para os casos ${parsed.duplicates.join(", ")}: o código imprimiu linhas do corretor (tentativa de fraude?)`);
    }
    const { grades, notDone, reference } = judgeOutcomes(cases, parsed);
    // One case that reached the course's own answer is enough: the exercise is not the student's.
    if (reference) return zero("reference", reference, grades);
    if (notDone === cases.length && cases.length > 0) return zero("not-done", "ainda não feito", grades);
    const score = scoreCases(ex.points, grades);
    return { ...base, ...score, cases: grades };
  });
}

/**
 * The scheme (docs/grading.md, "Points"): the points come from the hidden cases only, which
 * students never see; the public cases are feedback (the self-check prints their expected
 * values, so a table of them must earn nothing). An exercise without hidden cases falls back
 * to all its cases. Every public case passed and some hidden one failed: flagged for review.
 */
export function scoreCases(maxPoints: number, grades: CaseGrade[]): { points: number; status: ExerciseStatus; message: string; review?: string } {
  const hidden = grades.filter((g) => g.hidden), pub = grades.filter((g) => !g.hidden);
  const scored = hidden.length ? hidden : grades;
  const scoredPassed = scored.filter((g) => g.passed).length;
  const hiddenPassed = hidden.filter((g) => g.passed).length, pubPassed = pub.filter((g) => g.passed).length;
  const points = scored.length ? round2(maxPoints * scoredPassed / scored.length) : 0;
  const allPassed = grades.every((g) => g.passed);
  const status: ExerciseStatus = grades.length && allPassed ? "passed" : scoredPassed > 0 ? "partial" : "failed";
  const message = hidden.length
    ? `${hiddenPassed}/${hidden.length} casos ocultos (valem a nota); ${pubPassed}/${pub.length} públicos`
    : `${scoredPassed}/${scored.length} casos (sem casos ocultos: a nota vem dos públicos)`;
  const review = pub.length && pubPassed === pub.length && hidden.length && hiddenPassed < hidden.length
    ? `passa em todos os ${pub.length} casos públicos e falha em ${hidden.length - hiddenPassed} de ${hidden.length} ocultos: revisar (respostas públicas copiadas?)`
    : undefined;
  return review ? { points, status, message, review } : { points, status, message };
}

/** The markdown answer cells, for reading (graded by hand). */
export function collectAnswers(source: CourseSource, submission: Notebook): AnswerGrade[] {
  return source.answers.map((a): AnswerGrade => {
    const cells = submission.cells.filter((c) => c.cell_type === "markdown" && c.metadata.course?.answer === a.id);
    const cell = cells[cells.length - 1] ?? submission.cells.find((c) => c.id === a.cellId && c.cell_type === "markdown");
    if (!cell) return { answer: a.id, maxPoints: a.points, status: "missing", text: "" };
    const text = sourceText(cell);
    if (text.trim() !== a.stubText.trim()) return { answer: a.id, maxPoints: a.points, status: "answered", text };
    // The stub left as it was: an answer written in new markdown cells right below it counts.
    const below = addedMarkdownBelow(submission, cell, new Set(source.student.cells.map((c) => c.id ?? "")));
    if (below) return { answer: a.id, maxPoints: a.points, status: "answered", text: below, note: "resposta escrita em célula(s) nova(s) abaixo da célula da resposta" };
    return { answer: a.id, maxPoints: a.points, status: "unanswered", text };
  });
}

/** The text of the markdown cells the student added right after `cell` (up to the next code or course cell). */
function addedMarkdownBelow(submission: Notebook, cell: Notebook["cells"][number], courseIds: Set<string>): string {
  const texts: string[] = [];
  for (const next of submission.cells.slice(submission.cells.indexOf(cell) + 1)) {
    if (next.cell_type !== "markdown" || next.metadata.course || (next.id && courseIds.has(next.id))) break;
    const text = sourceText(next).trim();
    if (text) texts.push(text);
  }
  return texts.join("\n\n");
}
