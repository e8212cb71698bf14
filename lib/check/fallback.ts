// Lets teaching cells that use a student's function keep working before the student
// wrote it: an unfinished stub (todo()) falls back to the course's reference, once announced.
// The reference is found by exercise id inside the library, so that student notebooks
// import no reference implementation: `studentOrReference(convolve, "convolve")`.
import { getExercise } from "./registry";
import { fallbackLabel, noteReferenceCall } from "./reference-use";
import { isNotDone } from "./todo";
import "../exercises";

const announced = new Set<string>();

/** The reference implementation of an exercise, by id (clear error when it has none). */
export function referenceImplementation<A extends unknown[], R>(exerciseId: string): (...args: A) => R {
  const implementation = getExercise(exerciseId).reference?.implementation;
  if (!implementation) throw new Error(`O exercício "${exerciseId}" não tem implementação de referência para usar no lugar da sua (avise o professor).`);
  const label = fallbackLabel(exerciseId);
  return (...args: A): R => {
    // Reaching the reference this way while the exercise's cases run scores 0 (see reference-use.ts).
    noteReferenceCall(label);
    return (implementation as unknown as (...a: A) => R)(...args);
  };
}

/**
 * Wraps the student's `submission`: each call runs it; if it is still `todo()`, the call
 * runs the course's reference instead and says so (once per exercise). Real errors are not hidden.
 *
 * `studentOrReference(convolve, "convolve")` finds the reference of exercise "convolve" in
 * the library. The older form `studentOrReference(submission, reference, label)` still works.
 */
export function studentOrReference<A extends unknown[], R>(submission: (...args: A) => R, exerciseId: string): (...args: A) => R;
export function studentOrReference<A extends unknown[], R>(submission: (...args: A) => R, reference: (...args: A) => R, label: string): (...args: A) => R;
export function studentOrReference<A extends unknown[], R>(submission: (...args: A) => R, referenceOrId: string | ((...args: A) => R), label?: string): (...args: A) => R {
  const byId = typeof referenceOrId === "string";
  const name = byId ? getExercise(referenceOrId).symbol : label ?? "este exercício";
  let reference: ((...args: A) => R) | null = byId ? null : referenceOrId;
  return (...args: A): R => {
    try {
      return submission(...args);
    } catch (err) {
      if (!isNotDone(err)) throw err;
      if (!announced.has(name)) {
        announced.add(name);
        console.log(`ℹ️ ${name} ainda não foi feito: esta célula usa a implementação de referência do curso. Complete o exercício e rode de novo para ver a sua.`);
      }
      reference ??= referenceImplementation<A, R>(referenceOrId as string);
      return reference(...args);
    }
  };
}
