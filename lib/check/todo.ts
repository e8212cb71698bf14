// The stub the student replaces. Calling it means "not done yet", which a check
// reports as such instead of as a failure. The error remembers which function the
// stub is in, so that a finished exercise that calls an unfinished one (conv2d calling
// zeroPad) can say which helper is missing.

export class NotDoneError extends Error {
  /** Name of the function whose body is still `todo()` (from the call stack); "" when unknown. */
  readonly stub: string;
  constructor(stub = "") {
    super(stub
      ? `Exercício ainda não feito: \`${stub}\` ainda é \`todo()\`; substitua pela sua solução.`
      : "Exercício ainda não feito: substitua `todo()` pela sua solução.");
    this.name = "NotDoneError";
    this.stub = stub;
  }
}

/** The function that called `fn`, read from a V8 stack trace ("    at zeroPad (...)"); "" when anonymous. */
export function callerName(fn: (...args: never[]) => unknown): string {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, fn);
  const frame = (holder.stack ?? "").split("\n").find((line) => /^\s+at /.test(line)) ?? "";
  const match = /^\s+at (?:async )?(?:new )?([\w$.]+) \(/.exec(frame);
  if (!match) return "";
  const name = match[1].split(".").pop() ?? "";
  return name === "<anonymous>" || name === "eval" ? "" : name;
}

/** Placeholder for an unfinished exercise: `return todo();` type-checks anywhere. */
export function todo(): never {
  throw new NotDoneError(callerName(todo));
}

export function isNotDone(err: unknown): boolean {
  return err instanceof NotDoneError || (err instanceof Error && err.name === "NotDoneError");
}

/** The unfinished function named by a NotDoneError, or "" (other errors, or no name). */
export function unfinishedStub(err: unknown): string {
  const stub = (err as { stub?: unknown } | null)?.stub;
  return isNotDone(err) && typeof stub === "string" ? stub : "";
}
