// The stub the student replaces. Calling it means "not done yet", which a check
// reports as such instead of as a failure.

export class NotDoneError extends Error {
  constructor() {
    super("Exercício ainda não feito: substitua `todo()` pela sua solução.");
    this.name = "NotDoneError";
  }
}

/** Placeholder for an unfinished exercise: `return todo();` type-checks anywhere. */
export function todo(): never {
  throw new NotDoneError();
}

export function isNotDone(err: unknown): boolean {
  return err instanceof NotDoneError || (err instanceof Error && err.name === "NotDoneError");
}
