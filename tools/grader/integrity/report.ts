// The integrity report: what the instructor should look at besides the grades. Submissions
// refused (symbolic links, paths outside the folder), submissions equal byte for byte to a
// solution, exercises flagged for review by the judge (every public case passed, hidden ones
// failed), exercises that reached the course's answer or tampered, and the similarity pairs
// (student vs student, student vs the course's own source) with both scores. In report.json
// (`integrity`) and as integrity.md.
import * as path from "path";
import type { Notebook } from "../../notebooks/format";
import { CourseSource, findExerciseCell } from "../assemble";
import type { SubmissionGrade } from "../grader";
import { referenceSamples } from "./references";
import { CodeSample, FLAG_AT, MIN_TOKENS, normalizedTokens, REFERENCE_FLAG_AT, SHINGLE, SimilarPair, similarPairs } from "./similarity";
import { sourceText } from "../../notebooks/format";

export interface IntegrityFlag { student: string; exercise: string | null; reason: string }

export interface IntegrityReport {
  /** Rows refused for their path (symlink, outside the folder) and rows equal to a solution file. */
  files: IntegrityFlag[];
  /** Exercises to review: public cases passed and hidden failed, the course's answer reached, tampering. */
  exercises: IntegrityFlag[];
  similarity: {
    method: string;
    flagAt: number;
    referenceFlagAt: number;
    minTokens: number;
    /** Exercise cells compared (long enough), and those too short to compare. */
    compared: number;
    tooShort: number;
    pairs: (SimilarPair & { pointsA: number | null; pointsB: number | null; maxPoints: number })[];
  };
}

/** The exercise cells of a graded submission, as the grader extracts them (missing ones left out). */
export function exerciseSamples(student: string, nb: Notebook, source: CourseSource): CodeSample[] {
  return source.exercises.flatMap((ex) => {
    const stubCell = source.student.cells.find((c) => c.metadata.course?.role === "solution" && c.metadata.course.exercise === ex.id);
    const stub = stubCell ? sourceText(stubCell) : "";
    const found = findExerciseCell(nb, ex, stub);
    return found.how === "missing" || found.code.trim() === stub.trim() ? [] : [{ owner: student, exercise: ex.id, code: found.code }];
  });
}

export function buildIntegrityReport(rows: SubmissionGrade[], notebooks: Map<string, Notebook>, sources: Map<string, CourseSource>): IntegrityReport {
  const files: IntegrityFlag[] = rows.flatMap((r) => (r.integrity ?? []).map((reason) => ({ student: r.student, exercise: null, reason })));
  const exercises: IntegrityFlag[] = rows.flatMap((r) => r.exercises.flatMap((e): IntegrityFlag[] => {
    if (e.review) return [{ student: r.student, exercise: e.exercise, reason: e.review }];
    if (e.status === "reference" || e.status === "tampered") return [{ student: r.student, exercise: e.exercise, reason: e.message }];
    return [];
  }));
  const samples = rows.flatMap((r) => {
    const nb = notebooks.get(r.student), source = r.notebook ? sources.get(r.notebook) : undefined;
    return nb && source && r.status !== "rejected" ? exerciseSamples(r.student, nb, source) : [];
  });
  const used = [...sources.values()].filter((s) => rows.some((r) => r.notebook === s.id));
  const long = samples.filter((s) => normalizedTokens(s.code).length >= MIN_TOKENS).length;
  const pointsOf = (student: string, exercise: string): number | null =>
    rows.find((r) => r.student === student)?.exercises.find((e) => e.exercise === exercise)?.points ?? null;
  const maxOf = (exercise: string): number => rows.flatMap((r) => r.exercises).find((e) => e.exercise === exercise)?.maxPoints ?? 0;
  const pairs = similarPairs(samples, referenceSamples(used)).map((p) => ({
    ...p, pointsA: pointsOf(p.a, p.exercise), pointsB: p.kind === "student" ? pointsOf(p.b, p.exercise) : null, maxPoints: maxOf(p.exercise),
  }));
  return {
    files, exercises,
    similarity: {
      method: `${SHINGLE}-token shingles after TypeScript's scanner (types, comments and whitespace dropped; identifiers and strings normalized): ` +
        "Jaccard index between submissions, share of the submission's shingles in the course's source",
      flagAt: FLAG_AT, referenceFlagAt: REFERENCE_FLAG_AT, minTokens: MIN_TOKENS, compared: long, tooShort: samples.length - long, pairs,
    },
  };
}

function score(p: number | null, max: number): string {
  return p === null ? "—" : `${p}/${max}`;
}

/** integrity.md: for reading (Portuguese, like the rest of what the instructor reads about students). */
export function integrityMarkdown(report: IntegrityReport): string {
  const lines = ["# Relatório de integridade", ""];
  lines.push("## Arquivos", "");
  if (!report.files.length) lines.push("Nenhum envio recusado pelo caminho nem igual a uma solução.");
  for (const f of report.files) lines.push(`- **${f.student}**: ${f.reason}`);
  lines.push("", "## Exercícios para revisar", "");
  if (!report.exercises.length) lines.push("Nenhum.");
  for (const f of report.exercises) lines.push(`- **${f.student}**, \`${f.exercise}\`: ${f.reason}`);
  const s = report.similarity;
  lines.push("", "## Semelhança", "", `${s.method}. Marcado a partir de ${s.flagAt.toLocaleString("pt-BR")} entre envios e de ` +
    `${s.referenceFlagAt.toLocaleString("pt-BR")} contra o código do curso. ` +
    `${s.compared} célula(s) comparada(s); ${s.tooShort} curta(s) demais (< ${s.minTokens} tokens) não entram.`, "");
  if (!s.pairs.length) lines.push("Nenhum par marcado.");
  else {
    lines.push("| exercício | envio | com | semelhança | nota do envio | nota do outro |", "|---|---|---|---|---|---|");
    for (const p of s.pairs) {
      lines.push(`| ${p.exercise} | ${p.a} | ${p.b} | ${p.similarity.toLocaleString("pt-BR")} | ${score(p.pointsA, p.maxPoints)} | ${p.kind === "student" ? score(p.pointsB, p.maxPoints) : "—"} |`);
    }
  }
  return lines.join("\n") + "\n";
}

export const INTEGRITY_FILE = "integrity.md";
export function integrityPath(outDir: string): string {
  return path.join(outDir, INTEGRITY_FILE);
}
