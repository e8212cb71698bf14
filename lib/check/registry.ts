// Every exercise of the course, by id. Exercise modules register here (lib/exercises/).
import type { Exercise } from "./types";

const exercises = new Map<string, Exercise>();

export function registerExercises(list: Exercise[]): void {
  for (const ex of list) {
    if (exercises.has(ex.id) && exercises.get(ex.id) !== ex) throw new Error(`Exercise id registered twice: ${ex.id}`);
    exercises.set(ex.id, ex);
  }
}

export function getExercise(id: string): Exercise {
  const ex = exercises.get(id);
  if (!ex) throw new Error(`Exercício desconhecido: "${id}". Ids conhecidos: ${[...exercises.keys()].join(", ")}`);
  return ex;
}

export function allExercises(): Exercise[] {
  return [...exercises.values()];
}
