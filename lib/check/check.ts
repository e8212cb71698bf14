// The self-check students call right after an exercise: `await check("conv2d", conv2d)`.
// Runs the public cases and prints, in Portuguese, what passed and what failed.
// It never throws into the notebook.
import { compareValues, preview, toPlain } from "./compare";
import { getExercise } from "./registry";
import { isReferenceUse } from "./reference-use";
import { withReferenceWatch } from "./reference-watch";
import { MARKS } from "./marks";
import { isNotDone, unfinishedStub } from "./todo";
import type { CaseResult, CheckReport, Exercise, ExerciseCase, Json } from "./types";
import "../exercises";

/** A submission that cannot be run at all (undefined, wrong type): same message for every case. */
export class SubmissionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SubmissionError";
  }
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `um array (${preview(value, 60)})`;
  if (typeof value === "function") return "uma função";
  if (typeof value === "object") return `um objeto (${preview(value, 60)})`;
  return `${typeof value} (${preview(value, 60)})`;
}

/** Throws SubmissionError when the submission cannot be what the exercise needs. */
export function validateSubmission(ex: Exercise, submission: unknown): void {
  if (submission === undefined) {
    throw new SubmissionError(`\`${ex.symbol}\` está undefined: rode a célula do exercício antes desta (ou corrija o erro que ela deu).`);
  }
  if (ex.kind === "function" && typeof submission !== "function") {
    throw new SubmissionError(`esperava uma função \`${ex.symbol}\`, recebi ${describeType(submission)}.`);
  }
  if (ex.kind === "value" && typeof submission === "function") {
    throw new SubmissionError(`esperava um valor em \`${ex.symbol}\`, recebi uma função (faltou chamá-la?).`);
  }
}

/** Runs one case: the submission's raw output (may throw, including NotDoneError). */
async function runCaseRaw(ex: Exercise, submission: unknown, testCase: ExerciseCase): Promise<unknown> {
  // A copy, so that a submission that changes its arguments cannot change the case.
  const own = structuredClone({ args: testCase.args, input: testCase.input });
  const caseCopy: ExerciseCase = { ...testCase, ...own };
  if (ex.run) return await ex.run(submission, caseCopy);
  if (ex.kind === "value") return submission;
  return await (submission as (...a: Json[]) => unknown)(...(own.args ?? []));
}

/**
 * Runs one case: the submission's plain-data output (may throw). The exercise's references
 * are watched meanwhile: reaching one throws ReferenceUseError.
 */
export async function runCase(ex: Exercise, submission: unknown, testCase: ExerciseCase, watchReferences = true): Promise<Json> {
  validateSubmission(ex, submission);
  const run = async (): Promise<Json> => toPlain(await runCaseRaw(ex, submission, testCase));
  return watchReferences ? await withReferenceWatch(ex, run) : await run();
}

/** Judges an obtained output against a case (used in the kernel and by the grader). Never throws. */
export function judgeCase(testCase: ExerciseCase, obtained: Json): CaseResult {
  let message: string | null;
  try {
    message = testCase.verify
      ? testCase.verify(obtained, testCase)
      : compareValues(testCase.expected ?? null, obtained, testCase.tolerance ?? 1e-6);
  } catch (err) {
    message = `a verificação do caso falhou (${errorText(err)}); obtido: ${preview(obtained)}`;
  }
  return { name: testCase.name, passed: message === null, message: message ?? "ok" };
}

/** "Name: message" of anything thrown. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return `${typeof err === "string" ? err : preview(err)}`;
}

/** The message for a case whose run threw. */
export function thrownMessage(err: unknown): string {
  if (err instanceof SubmissionError) return err.message;
  return `sua função lançou um erro: ${errorText(err)}`;
}

/** "Not done": the exercise's own stub, or (when `stub` names another function) the helper it calls. */
export function notDoneReport(ex: Exercise, total: number, stub = ""): CheckReport {
  const summary = stub && stub !== ex.symbol
    ? `${MARKS.notDone} ${ex.title}: a sua \`${ex.symbol}\` chama \`${stub}\`, que ainda é \`todo()\`. Complete \`${stub}\` (e rode a célula dela) antes deste exercício.`
    : `${MARKS.notDone} ${ex.title}: ainda não feito — complete a célula do exercício (substitua \`todo()\`) e rode-a de novo.`;
  return { exercise: ex.id, status: "not-done", passed: 0, total, cases: [], summary };
}

/** The message of a self-check whose submission reached the course's answer (0 in the grading). */
export function referenceReport(ex: Exercise, message: string, total: number): CheckReport {
  return { exercise: ex.id, status: "reference", passed: 0, total, cases: [],
    summary: `${MARKS.reference} ${ex.title}: ${message}. Escreva a sua própria versão: na correção, um exercício que usa a referência do curso vale 0.` };
}

/** The summary line and status for judged cases. */
export function summarize(ex: Exercise, results: CaseResult[]): CheckReport {
  const passed = results.filter((r) => r.passed).length;
  const ok = passed === results.length && results.length > 0;
  return {
    exercise: ex.id, status: ok ? "passed" : "failed", passed, total: results.length, cases: results,
    summary: ok ? `${MARKS.passed} ${ex.title}: ${passed}/${results.length} casos passaram.`
      : `${MARKS.failed} ${ex.title}: ${passed}/${results.length} casos passaram.`,
  };
}

export interface EvaluateOptions {
  /**
   * Watch the exercise's references (default true). The course's own tests turn it off to
   * check that the reference itself passes the cases; the grader always watches.
   */
  watchReferences?: boolean;
}

/** Runs the public cases (or `cases`) of an exercise and judges them. */
export async function evaluate(exerciseId: string, submission: unknown, cases?: ExerciseCase[], opts: EvaluateOptions = {}): Promise<CheckReport> {
  const ex = getExercise(exerciseId);
  const list = cases ?? ex.cases();
  const results: CaseResult[] = [];
  for (const c of list) {
    try {
      results.push(judgeCase(c, await runCase(ex, submission, c, opts.watchReferences ?? true)));
    } catch (err) {
      if (isReferenceUse(err)) return referenceReport(ex, err.message, list.length);
      if (isNotDone(err)) return notDoneReport(ex, list.length, unfinishedStub(err));
      results.push({ name: c.name, passed: false, message: thrownMessage(err) });
    }
  }
  return summarize(ex, results);
}

/** The printed form: summary, then one line per case (failures with the details, indented). */
export function formatReport(report: CheckReport): string {
  const lines = [report.summary];
  for (const c of report.cases) {
    if (c.passed) lines.push(`  ${MARKS.casePassed} ${c.name}`);
    else lines.push(`  ${MARKS.caseFailed} ${c.name}: ${c.message.split("\n").join("\n    ")}`);
  }
  return lines.join("\n");
}

/**
 * Self-check for the notebook: prints the report and resolves to nothing, so that
 * tslab shows only the message (use `evaluate` to get the report). Never throws.
 */
export async function check(exerciseId: string, submission: unknown): Promise<void> {
  let report: CheckReport;
  try {
    report = await evaluate(exerciseId, submission);
  } catch (err) {
    report = { exercise: exerciseId, status: "error", passed: 0, total: 0, cases: [],
      summary: `${MARKS.error} Não consegui verificar "${exerciseId}": ${err instanceof Error ? err.message : String(err)} (avise o professor).` };
  }
  console.log(formatReport(report));
}
