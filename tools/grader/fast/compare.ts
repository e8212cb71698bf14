// Compares the grades of two reports of the same submissions (e.g. the kernel with every
// cell vs the direct runner with the marked cells skipped):
//   npx tsx tools/grader/fast/compare.ts A/report.json B/report.json
// Prints one JSON line: rows compared, exercises compared, and every difference in
// status, points or per-case results; exit code 1 when there is one.
import * as fs from "fs";
import type { GradingReport } from "../grader";

export function gradeDifferences(a: GradingReport, b: GradingReport): { rows: number; exercises: number; differences: string[] } {
  const other = new Map(b.submissions.map((s) => [s.student, s]));
  const differences: string[] = [];
  let exercises = 0;
  for (const s of a.submissions) {
    const t = other.get(s.student);
    if (!t) {
      differences.push(`${s.student}: only in the first report`);
      continue;
    }
    if (s.status !== t.status || s.points !== t.points) differences.push(`${s.student}: ${s.status} ${s.points} vs ${t.status} ${t.points}`);
    for (const e of s.exercises) {
      exercises++;
      const f = t.exercises.find((x) => x.exercise === e.exercise);
      const cases = (x: typeof e): string => x.cases.map((c) => (c.passed ? "1" : "0")).join("");
      if (!f || f.status !== e.status || f.points !== e.points || cases(f) !== cases(e)) {
        differences.push(`${s.student} ${e.exercise}: ${e.status} ${e.points} [${cases(e)}] vs ${f ? `${f.status} ${f.points} [${cases(f)}]` : "missing"}`);
      }
    }
  }
  for (const t of b.submissions) if (!a.submissions.some((s) => s.student === t.student)) differences.push(`${t.student}: only in the second report`);
  return { rows: a.submissions.length, exercises, differences };
}

if (require.main === module) {
  const [first, second] = process.argv.slice(2);
  if (!first || !second) {
    console.error("usage: npx tsx tools/grader/fast/compare.ts A/report.json B/report.json");
    process.exit(2);
  }
  const read = (f: string): GradingReport => JSON.parse(fs.readFileSync(f, "utf8")) as GradingReport;
  const result = gradeDifferences(read(first), read(second));
  console.log(JSON.stringify(result));
  if (result.differences.length) process.exit(1);
}
