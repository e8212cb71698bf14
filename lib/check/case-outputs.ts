// The instructor grader's bridge into the student's kernel: the kernel runs the
// submission on the cases' inputs and prints only plain outputs, each line behind
// a per-run random nonce; the grader process parses them and judges them against
// the expected values, which never enter the kernel.
import { preview } from "./compare";
import { runCase, thrownMessage } from "./check";
import { getExercise } from "./registry";
import { isReferenceUse } from "./reference-use";
import { isNotDone } from "./todo";
import type { Exercise, Json } from "./types";

/** A case as the kernel sees it: inputs only, never the expected value. */
export interface CaseInput { name: string; args?: Json[]; input?: Json }

export type CaseOutcome =
  | { status: "ok"; value: Json }
  | { status: "error"; message: string }
  | { status: "not-done" }
  /** The case reached the course's own answer (ReferenceUseError): the exercise scores 0. */
  | { status: "reference"; message: string };

/** One printed line: the outcome of case `index`, or the end mark of an exercise. */
export type CaseOutputLine =
  | ({ exercise: string; index: number } & CaseOutcome)
  | { exercise: string; done: true; count: number };

const TAG = "@@cnn-course-grader";
/** Outputs longer than this are not sent back (a runaway array would flood the notebook). */
const MAX_OUTPUT_CHARS = 5_000_000;

function outputLine(nonce: string, line: CaseOutputLine): string {
  return `${TAG} ${nonce} ${JSON.stringify(line)}`;
}

/**
 * Runs `submission` on each case and prints one tagged line per case (then an end
 * mark). Called by the cell the grader injects after each check cell. Never throws.
 */
export async function runCasesForGrader(nonce: string, exerciseId: string, submission: unknown, cases: CaseInput[],
  print: (line: string) => void = console.log): Promise<void> {
  let ex: Exercise;
  try {
    ex = getExercise(exerciseId);
  } catch (err) {
    cases.forEach((_c, index) => print(outputLine(nonce, { exercise: exerciseId, index, status: "error", message: thrownMessage(err) })));
    print(outputLine(nonce, { exercise: exerciseId, done: true, count: cases.length }));
    return;
  }
  for (let index = 0; index < cases.length; index++) {
    let outcome: CaseOutcome;
    try {
      outcome = { status: "ok", value: await runCase(ex, submission, cases[index]) };
    } catch (err) {
      if (isReferenceUse(err)) outcome = { status: "reference", message: err.message };
      else outcome = isNotDone(err) ? { status: "not-done" } : { status: "error", message: thrownMessage(err) };
    }
    let line = outputLine(nonce, { exercise: exerciseId, index, ...outcome });
    if (line.length > MAX_OUTPUT_CHARS) {
      const value = outcome.status === "ok" ? preview(outcome.value, 200) : "";
      line = outputLine(nonce, { exercise: exerciseId, index, status: "error", message: `a saída tem ${line.length} caracteres, grande demais para corrigir: ${value}` });
    }
    print(line);
  }
  print(outputLine(nonce, { exercise: exerciseId, done: true, count: cases.length }));
}

/** What the grader reads back for one exercise. */
export interface ParsedOutputs {
  outcomes: Map<number, CaseOutcome>;
  done: boolean;
  /** Case indexes printed more than once (someone printed lines with the nonce). */
  duplicates: number[];
}

/** Parses the tagged lines of `text` that carry `nonce`, per exercise. Lines with another nonce are ignored. */
export function parseCaseOutputs(text: string, nonce: string): Map<string, ParsedOutputs> {
  const byExercise = new Map<string, ParsedOutputs>();
  const prefix = `${TAG} ${nonce} `;
  for (const raw of text.split("\n")) {
    if (!raw.startsWith(prefix)) continue;
    let line: CaseOutputLine;
    try {
      line = JSON.parse(raw.slice(prefix.length)) as CaseOutputLine;
    } catch {
      continue;
    }
    if (!line || typeof line.exercise !== "string") continue;
    const entry = byExercise.get(line.exercise) ?? { outcomes: new Map<number, CaseOutcome>(), done: false, duplicates: [] };
    byExercise.set(line.exercise, entry);
    if ("done" in line) {
      entry.done = true;
    } else if (Number.isInteger(line.index)) {
      if (entry.outcomes.has(line.index)) entry.duplicates.push(line.index);
      const { exercise: _e, index: _i, ...outcome } = line;
      entry.outcomes.set(line.index, outcome as CaseOutcome);
    }
  }
  return byExercise;
}
