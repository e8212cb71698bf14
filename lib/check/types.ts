// The exercise contract shared by the notebooks (self-checks), the exercise
// definitions in lib/exercises/ and the instructor grader (tools/grader/).
// Everything a case produces must be plain JSON data, so that the grader can
// compare hidden cases outside the student's kernel.

/** Plain data a case feeds in or gets back (numbers, strings, booleans, nested arrays, objects). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One test case. Public cases live with the exercise; hidden ones in tools/grader/hidden/. */
export interface ExerciseCase {
  /** What the case tests, in Portuguese, shown to the student ("passo 2, sem preenchimento"). */
  name: string;
  /** Arguments for a function exercise (the default runner calls submission(...args)). */
  args?: Json[];
  /** Input for a custom `run` (see Exercise.run). */
  input?: Json;
  /** The expected result (compared with tolerance, shapes reported). Omit when `verify` decides. */
  expected?: Json;
  /** Absolute tolerance for numbers (default 1e-6). */
  tolerance?: number;
  /** Property check instead of equality (random outputs): null when it passes, else a message in Portuguese. */
  verify?: (obtained: Json, testCase: ExerciseCase) => string | null;
}

/**
 * What counts as the course's own answer to an exercise, besides its `reference` function.
 * While the exercise's cases run (check() and the grader), reaching any of it scores 0:
 * "usa a implementação de referência do curso".
 */
export interface ExerciseOffLimits {
  /** Labels of the course functions that compute the answer (each calls `noteReferenceCall(label)` first). */
  probes: string[];
  /** TensorFlow.js kernels that compute the same thing, e.g. "Conv2D" (tf.conv2d), "MaxPool" (tf.maxPool). */
  tfKernels?: string[];
}

export interface Exercise {
  /** Matches the `course.exercise` metadata of the solution and check cells. */
  id: string;
  /** The notebook id (`course.id` in notebook metadata) that holds it. */
  notebook: string;
  /** Short title in Portuguese. */
  title: string;
  points: number;
  /**
   * The name the solution cell defines (function or const). The grader uses it to
   * find a cell the student re-typed without its metadata.
   */
  symbol: string;
  /** "function": cases call it with args; "value": the submission itself is compared. */
  kind: "function" | "value";
  /** Public cases, deterministic (fixed seeds). */
  cases: () => ExerciseCase[];
  /**
   * Optional: turns the submission and a case's input into plain data. Runs in the
   * kernel, so it may build tfjs models; may be async.
   */
  run?: (submission: unknown, testCase: ExerciseCase) => Json | Promise<Json>;
  /**
   * The course's own answer (what a correct submission is), for the fallback of teaching
   * cells: `studentOrReference(fn, "<id>")`. Student notebooks never import it by name.
   * Calling it through that fallback while the exercise's cases run scores 0.
   */
  reference?: unknown;
  /** The course functions and tfjs kernels that compute the answer, off limits while the cases run. */
  offLimits?: ExerciseOffLimits;
  /**
   * Why the exercise has no reference or no off-limits list (a test fails for any exercise
   * with neither, see test/tools/grading-off-limits.test.ts): a written reason for the instructor.
   */
  offLimitsReason?: string;
}

/** What one case gave. */
export interface CaseResult {
  name: string;
  passed: boolean;
  /** Portuguese message: why it failed (expected vs obtained, shapes, tolerance). */
  message: string;
}

export type CheckStatus = "passed" | "failed" | "not-done" | "error" | "reference";

export interface CheckReport {
  exercise: string;
  status: CheckStatus;
  passed: number;
  total: number;
  cases: CaseResult[];
  /** One-line summary in Portuguese. */
  summary: string;
}
