// Similarity of exercise cells, student against student and student against the course's own
// source (the solution cell and the lib functions that compute the answer). The code is
// normalised with TypeScript's own scanner (a dependency already, and the language's real
// tokenizer: template literals, regexes and comments are tokens, not guesses): types are
// stripped by transpiling, comments and whitespace dropped, every identifier becomes `ID`,
// every string `STR`; numbers and keywords stay. Two submissions are compared by the Jaccard
// index of their 5-token shingles, as MOSS-like tools do; a submission against the course's
// source by the share of its shingles found there (the course's functions are longer and more
// general than an answer: a copy is a part of them).
import * as ts from "typescript";

/** Shingle length (tokens). */
export const SHINGLE = 5;
/** Cells with fewer normalized tokens than this are too short to compare (one-line formulas look alike by necessity). */
export const MIN_TOKENS = 40;
/** Two submissions are flagged at or above this Jaccard index (measured on test/fixtures/grading/similarity-class.ts). */
export const FLAG_AT = 0.6;
/** A submission is flagged when at least this share of its shingles is in the course's own source for the exercise. */
export const REFERENCE_FLAG_AT = 0.75;

/** The code's tokens, normalized: types, comments and whitespace gone, identifiers `ID`, strings `STR`. */
export function normalizedTokens(code: string): string[] {
  const js = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, removeComments: true }, reportDiagnostics: false }).outputText;
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, js);
  const tokens: string[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.Identifier || kind === ts.SyntaxKind.PrivateIdentifier) tokens.push("ID");
    else if (kind === ts.SyntaxKind.StringLiteral || kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral || (kind >= ts.SyntaxKind.TemplateHead && kind <= ts.SyntaxKind.TemplateTail)) tokens.push("STR");
    else if (kind === ts.SyntaxKind.SemicolonToken) continue;
    else tokens.push(scanner.getTokenText());
  }
  // `export` and a trailing "export {}" from transpiling say nothing about the solution.
  return tokens.filter((t) => t !== "export");
}

export function shingles(tokens: string[], k = SHINGLE): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + k <= tokens.length; i++) out.add(tokens.slice(i, i + k).join(" "));
  return out;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const s of a) if (b.has(s)) shared++;
  return shared / (a.size + b.size - shared);
}

/** One exercise cell to compare. */
export interface CodeSample { owner: string; exercise: string; code: string }

export interface SimilarPair {
  exercise: string;
  a: string;
  b: string;
  /** Student pairs: Jaccard index of the normalized 5-token shingles; reference pairs: share of a's shingles in the course's source (0-1). */
  similarity: number;
  /** "student" (two submissions) or "reference" (b is the course's own source). */
  kind: "student" | "reference";
}

interface Prepared { sample: CodeSample; tokens: number; set: Set<string> }

function prepare(samples: CodeSample[]): Prepared[] {
  return samples.map((sample) => {
    const tokens = normalizedTokens(sample.code);
    return { sample, tokens: tokens.length, set: shingles(tokens) };
  });
}

/** Share of `a`'s shingles that are in `b`. */
export function containment(a: Set<string>, b: Set<string>): number {
  if (a.size === 0) return 0;
  let shared = 0;
  for (const s of a) if (b.has(s)) shared++;
  return shared / a.size;
}

/** The course's source of each exercise as one set of shingles (the probes' `noteReferenceCall` lines left out). */
function referenceSets(references: CodeSample[]): Map<string, { set: Set<string>; owners: string[] }> {
  const byExercise = new Map<string, { set: Set<string>; owners: string[] }>();
  for (const r of references) {
    const entry = byExercise.get(r.exercise) ?? { set: new Set<string>(), owners: [] };
    const code = r.code.split("\n").filter((l) => !l.includes("noteReferenceCall(")).join("\n");
    for (const s of shingles(normalizedTokens(code))) entry.set.add(s);
    entry.owners.push(r.owner);
    byExercise.set(r.exercise, entry);
  }
  return byExercise;
}

export interface SimilarityOptions { flagAt?: number; referenceFlagAt?: number; minTokens?: number }

/**
 * Every pair (per exercise) at or above the thresholds: submissions against each other, and
 * each submission against the course's source of its exercise. Cells below `minTokens` are skipped.
 */
export function similarPairs(students: CodeSample[], references: CodeSample[], opts: SimilarityOptions = {}): SimilarPair[] {
  const flagAt = opts.flagAt ?? FLAG_AT, refFlagAt = opts.referenceFlagAt ?? REFERENCE_FLAG_AT, minTokens = opts.minTokens ?? MIN_TOKENS;
  const subs = prepare(students).filter((p) => p.tokens >= minTokens);
  const refs = referenceSets(references);
  const pairs: SimilarPair[] = [];
  for (let i = 0; i < subs.length; i++) {
    const s = subs[i];
    for (let j = i + 1; j < subs.length; j++) {
      const t = subs[j];
      if (t.sample.exercise !== s.sample.exercise || t.sample.owner === s.sample.owner) continue;
      const similarity = jaccard(s.set, t.set);
      if (similarity >= flagAt) pairs.push({ exercise: s.sample.exercise, a: s.sample.owner, b: t.sample.owner, similarity: round3(similarity), kind: "student" });
    }
    const ref = refs.get(s.sample.exercise);
    const share = ref ? containment(s.set, ref.set) : 0;
    if (ref && share >= refFlagAt) {
      pairs.push({ exercise: s.sample.exercise, a: s.sample.owner, b: `código do curso (${ref.owners.join("; ")})`, similarity: round3(share), kind: "reference" });
    }
  }
  return pairs.sort((x, y) => y.similarity - x.similarity || x.exercise.localeCompare(y.exercise));
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
