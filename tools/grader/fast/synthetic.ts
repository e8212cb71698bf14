// A synthetic class for measuring the grader (npm run bench:grading): every student
// hands in every course notebook, each one of four kinds, mixed so that each
// notebook gets all of them:
//   right       the solved notebook: full marks;
//   wrong       each exercise function answers a little off (its first number + 1, or
//               its input back when it returns a tensor): less than full marks on each;
//   unfinished  the student version (`todo()` stubs): 0, "ainda não feito";
//   broken      each exercise cell has a type error (tslab does not run it): 0.
import * as fs from "fs";
import * as path from "path";
import type { Exercise } from "../../../lib/check/types";
import { Cell, Notebook, sourceText, stringifyNotebook, toSourceLines } from "../../notebooks/format";
import { studentNotebook } from "../../notebooks/solutions";
import type { CourseSource } from "../assemble";

export const KINDS = ["right", "wrong", "unfinished", "broken"] as const;
export type SubmissionKind = (typeof KINDS)[number];

export interface SyntheticSubmission { student: string; notebook: string; kind: SubmissionKind; file: string }

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The solution cell with `symbol` renamed and a wrapper of the same name that answers a little off. */
export function wrongAnswer(code: string, symbol: string): string {
  const renamed = `${symbol}__certo`;
  const declaration = new RegExp(`^(\\s*(?:async\\s+)?function\\s*\\*?\\s*)${escapeRegExp(symbol)}\\b`, "m");
  if (!declaration.test(code)) throw new Error(`no \`function ${symbol}\` in the solution cell: the synthetic wrong answer needs one`);
  return [
    code.replace(declaration, `$1${renamed}`),
    "",
    `// Resposta errada de propósito (benchmark do corretor): o primeiro número + 1.`,
    `function ${symbol}(...args: any[]): any {`,
    `  const value = (${renamed} as any)(...args);`,
    `  const plain = (v: any): boolean => v === null || typeof v !== "object" || Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype;`,
    `  if (!plain(value)) return args[args.length - 1];`,
    `  let done = false;`,
    `  const off = (v: any): any => {`,
    `    if (typeof v === "number" && !done) { done = true; return v + 1; }`,
    `    if (Array.isArray(v)) return v.map(off);`,
    `    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, off(x)]));`,
    `    return v;`,
    `  };`,
    `  return off(value);`,
    `}`,
  ].join("\n");
}

/** A type error before the solution (tslab refuses to run the cell). */
export function brokenAnswer(code: string): string {
  return `const quebrado: number = "não é número"; // erro de tipo de propósito (benchmark do corretor)\n${code}`;
}

function exerciseOf(cell: Cell, exercises: Exercise[]): Exercise | undefined {
  const meta = cell.metadata.course;
  return meta?.role === "solution" ? exercises.find((e) => e.id === meta.exercise) : undefined;
}

/** The submission of one kind for a course notebook. */
export function syntheticNotebook(source: CourseSource, kind: SubmissionKind): Notebook {
  if (kind === "unfinished") return studentNotebook(source.solved, source.file);
  const nb = structuredClone(source.solved);
  if (kind === "right") return nb;
  for (const cell of nb.cells) {
    const ex = exerciseOf(cell, source.exercises);
    if (!ex) continue;
    const code = sourceText(cell);
    cell.source = toSourceLines(kind === "wrong" ? wrongAnswer(code, ex.symbol) : brokenAnswer(code));
  }
  return nb;
}

/** Writes `students` x every notebook under `out` (aluno-01/02-filtros-convolucao.ipynb, ...). */
export function writeSyntheticClass(sources: Map<string, CourseSource>, students: number, out: string): SyntheticSubmission[] {
  const list = [...sources.values()];
  const written: SyntheticSubmission[] = [];
  for (let s = 0; s < students; s++) {
    const student = `aluno-${String(s + 1).padStart(3, "0")}`;
    fs.mkdirSync(path.join(out, student), { recursive: true });
    list.forEach((source, n) => {
      const kind = KINDS[(s + n) % KINDS.length];
      const file = path.join(out, student, `${source.id}.ipynb`);
      fs.writeFileSync(file, stringifyNotebook(syntheticNotebook(source, kind)));
      written.push({ student: `${student}/${source.id}`, notebook: source.id, kind, file });
    });
  }
  return written;
}
