// Lets teaching cells that use a student's function keep working before the student
// wrote it: an unfinished stub (todo()) falls back to the course's reference, once announced.
import { isNotDone } from "./todo";

const announced = new Set<string>();

/**
 * Wraps the student's `submission`: each call runs it; if it is still `todo()`, the call
 * runs `reference` instead and says so (once per label). Real errors are not hidden.
 */
export function studentOrReference<A extends unknown[], R>(submission: (...args: A) => R, reference: (...args: A) => R, label: string): (...args: A) => R {
  return (...args: A): R => {
    try {
      return submission(...args);
    } catch (err) {
      if (!isNotDone(err)) throw err;
      if (!announced.has(label)) {
        announced.add(label);
        console.log(`ℹ️ ${label} ainda não foi feito: esta célula usa a implementação de referência do curso. Complete o exercício e rode de novo para ver a sua.`);
      }
      return reference(...args);
    }
  };
}
