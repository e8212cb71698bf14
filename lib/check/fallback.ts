// Lets teaching cells that use a student's function keep working before the student
// wrote it: an unfinished stub (todo()) falls back to the course's reference, once announced.
// The reference is found by exercise id (`studentOrReference(convolve, "convolve")`), so
// student notebooks never import a reference implementation by name.
import { getExercise } from "./registry";
import { fallbackLabel, noteReferenceCall } from "./reference-use";
import { isNotDone, unfinishedStub } from "./todo";
import "../exercises";

const announced = new Set<string>();

type AnyFunction = (...args: never[]) => unknown;

/** The reference of exercise `exerciseId` (its `reference` field), checked to be a function. */
export function exerciseReference(exerciseId: string): { reference: AnyFunction; label: string } {
  const ex = getExercise(exerciseId);
  if (typeof ex.reference !== "function") {
    throw new Error(`O exercício "${exerciseId}" não tem uma implementação de referência em função (campo reference).`);
  }
  const implementation = ex.reference as AnyFunction;
  const watchLabel = fallbackLabel(exerciseId);
  const reference = (...args: never[]): unknown => {
    // Reaching the reference this way while the exercise's cases run scores 0 (see reference-use.ts).
    noteReferenceCall(watchLabel);
    return implementation(...args);
  };
  return { reference, label: ex.symbol };
}

function announce(label: string, own: string, err: unknown): void {
  const stub = unfinishedStub(err);
  const helper = stub !== "" && stub !== label && stub !== own;
  const what = helper ? `${label} chama ${stub}, que ainda não foi feito` : `${label} ainda não foi feito`;
  // Once per reason: the same stub is said once, but a new reason (another helper) is said again.
  if (announced.has(what)) return;
  announced.add(what);
  console.log(`ℹ️ ${what}: esta célula usa a implementação de referência do curso. Complete o exercício e rode de novo para ver a sua.`);
}

/**
 * Wraps the student's `submission`: each call runs it; if it is still `todo()` (or calls a
 * helper that is), the call runs the reference instead and says so (once per reason).
 * Real errors are not hidden. Two forms:
 *  - `studentOrReference(convolve, "convolve")`: the reference of that exercise id;
 *  - `studentOrReference(fn, reference, label)`: an explicit reference (for code that is not an exercise).
 */
export function studentOrReference<F extends AnyFunction>(submission: F, exerciseId: string): F;
export function studentOrReference<A extends unknown[], R>(submission: (...args: A) => R, reference: (...args: A) => R, label: string): (...args: A) => R;
export function studentOrReference(submission: AnyFunction, second: string | AnyFunction, third?: string): AnyFunction {
  const { reference, label } = typeof second === "string" ? exerciseReference(second) : { reference: second, label: third ?? "a função" };
  return (...args: never[]): unknown => {
    try {
      return submission(...args);
    } catch (err) {
      if (!isNotDone(err)) throw err;
      announce(label, submission.name, err);
      return reference(...args);
    }
  };
}
