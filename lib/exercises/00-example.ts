// The smallest exercise of the contract (docs/authoring.md): the grader and check tests grade fixture submissions of it (test/fixtures/grading/). Not part of any course notebook.
import type { Exercise } from "../check/types";

export const exercises: Exercise[] = [
  {
    id: "example-double",
    notebook: "00-example",
    title: "Dobrar um número (exemplo)",
    points: 1,
    symbol: "double",
    kind: "function",
    cases: () => [
      { name: "dobro de 2", args: [2], expected: 4 },
      { name: "dobro de -1.5", args: [-1.5], expected: -3 },
    ],
  },
];
