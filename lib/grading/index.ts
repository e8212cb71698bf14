export * from "./types";
export { todo, NotDoneError, isNotDone } from "./todo";
export { check, evaluate, judgeCase, runCase, formatReport } from "./check";
export { compareValues, shapeOf, toPlain } from "./compare";
export { getExercise, allExercises, registerExercises } from "./registry";
