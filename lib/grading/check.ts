// The self-check students call right after an exercise: `await check("conv2d", conv2d)`.
// Runs the public cases and prints, in Portuguese, what passed and what failed.
// It never throws into the notebook.
import { compareValues, toPlain } from "./compare";
import { getExercise } from "./registry";
import { isNotDone } from "./todo";
import type { CaseResult, CheckReport, Exercise, ExerciseCase, Json } from "./types";
import "../exercises";

/** Runs one case: the submission's plain-data output (may throw). */
export async function runCase(ex: Exercise, submission: unknown, testCase: ExerciseCase): Promise<Json> {
  if (ex.run) return toPlain(await ex.run(submission, testCase));
  if (ex.kind === "value") return toPlain(submission);
  if (typeof submission !== "function") {
    throw new TypeError(`esperava uma função \`${ex.symbol}\`, recebi ${typeof submission}`);
  }
  return toPlain(await (submission as (...a: Json[]) => unknown)(...(testCase.args ?? [])));
}

/** Judges an obtained output against a case (used in the kernel and by the grader). */
export function judgeCase(testCase: ExerciseCase, obtained: Json): CaseResult {
  const message = testCase.verify
    ? testCase.verify(obtained, testCase)
    : compareValues(testCase.expected ?? null, obtained, testCase.tolerance ?? 1e-6);
  return { name: testCase.name, passed: message === null, message: message ?? "ok" };
}

export async function evaluate(exerciseId: string, submission: unknown, cases?: ExerciseCase[]): Promise<CheckReport> {
  const ex = getExercise(exerciseId);
  const list = cases ?? ex.cases();
  const results: CaseResult[] = [];
  for (const c of list) {
    try {
      results.push(judgeCase(c, await runCase(ex, submission, c)));
    } catch (err) {
      if (isNotDone(err)) {
        return { exercise: ex.id, status: "not-done", passed: 0, total: list.length, cases: [],
          summary: `⏳ ${ex.title}: ainda não feito — complete a célula acima (substitua \`todo()\`) e rode-a de novo.` };
      }
      const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      results.push({ name: c.name, passed: false, message: `sua função lançou um erro: ${msg}` });
    }
  }
  const passed = results.filter((r) => r.passed).length;
  const ok = passed === results.length;
  return {
    exercise: ex.id, status: ok ? "passed" : "failed", passed, total: results.length, cases: results,
    summary: ok ? `✅ ${ex.title}: ${passed}/${results.length} casos passaram.`
      : `❌ ${ex.title}: ${passed}/${results.length} casos passaram.`,
  };
}

export function formatReport(report: CheckReport): string {
  const lines = [report.summary];
  for (const c of report.cases) {
    if (!c.passed) lines.push(`  ✗ caso "${c.name}": ${c.message}`);
  }
  return lines.join("\n");
}

/** Self-check for the notebook: prints the report and returns it; never throws. */
export async function check(exerciseId: string, submission: unknown): Promise<CheckReport> {
  let report: CheckReport;
  try {
    report = await evaluate(exerciseId, submission);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    report = { exercise: exerciseId, status: "error", passed: 0, total: 0, cases: [],
      summary: `⚠️ Não consegui verificar "${exerciseId}": ${msg}` };
  }
  console.log(formatReport(report));
  return report;
}
