export * from "./types";
export { todo, NotDoneError, isNotDone, unfinishedStub } from "./todo";
export { check, evaluate, judgeCase, runCase, formatReport, summarize, validateSubmission, SubmissionError } from "./check";
export { compareValues, shapeOf, toPlain, preview } from "./compare";
export { getExercise, allExercises, registerExercises } from "./registry";
export { runCasesForGrader, parseCaseOutputs } from "./case-outputs";
export type { CaseInput, CaseOutcome, ParsedOutputs } from "./case-outputs";
export { noteReferenceCall, isReferenceUse, ReferenceUseError, describeReferenceLabel } from "./reference-use";
export { withReferenceWatch, watchedLabels } from "./reference-watch";
