// Issue #22, "zeros for the grader's own trouble": a stop the grader causes (a course cell's
// timeout, a total timeout) makes the row "falhou (corretor)" with no exercise zeroed, the
// instructor regrades just those rows (--only-failed), and the CLI exits non-zero. Added
// helper cells and answers written below the stub are graded. Runs small fixture notebooks in tslab kernels.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadCourseSource, assembleGradingNotebook } from "../../tools/grader/assemble";
import { collectAnswers } from "../../tools/grader/judge";
import { defaultGradeOptions, GradeOptions, gradeAll, regradeFailed } from "../../tools/grader/grader";
import { gradesCsv, writeReport } from "../../tools/grader/report";
import { readNotebook, sourceText, stringifyNotebook, toSourceLines, Cell } from "../../tools/notebooks/format";
import { FIXTURE_HIDDEN, FIXTURE_SOLUTIONS } from "../fixtures/grading/make-submissions";
import { parseGradeArgs } from "../../scripts/grade";
import "../fixtures/grading/example-exercise";

const log = (line: string): void => console.log(`      ${line}`);

function codeCell(id: string, code: string): Cell {
  return { cell_type: "code", id, metadata: {}, source: toSourceLines(code), outputs: [], execution_count: null };
}

/** A private copy of the fixture course, with `slowCell` (a course cell that runs no student code) after the imports. */
function course(slowCell: string | null): { base: string; solutions: string; subs: string; out: string } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "grader-fair-"));
  const dirs = { base, solutions: path.join(base, "solutions"), subs: path.join(base, "subs"), out: path.join(base, "out") };
  fs.cpSync(FIXTURE_SOLUTIONS, dirs.solutions, { recursive: true });
  fs.mkdirSync(dirs.subs);
  const file = path.join(dirs.solutions, "00-example.ipynb");
  // The submission: the fixture's solved notebook, renamed (its bytes are the original solution's).
  fs.copyFileSync(file, path.join(dirs.subs, "00-example-maria.ipynb"));
  if (slowCell) {
    const nb = readNotebook(file);
    nb.cells.splice(2, 0, codeCell("slow", slowCell));
    fs.writeFileSync(file, stringifyNotebook(nb));
  }
  return dirs;
}

function options(dirs: { solutions: string; out: string }, extra: Partial<GradeOptions> = {}): GradeOptions {
  return { ...defaultGradeOptions(), solutionsDir: dirs.solutions, hiddenDir: FIXTURE_HIDDEN, outDir: dirs.out,
    protect: [], cellTimeoutSec: 20, totalTimeoutSec: 180, maxMemoryMb: 256, jobs: 1, log, ...extra };
}

describe("grader-side stops: 'falhou (corretor)', no zeros, regrade just those rows", function () {
  this.timeout(900_000);
  const made: string[] = [];
  after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("a course cell that times out twice fails the row for the grader; --only-failed then grades it", async () => {
    const dirs = course("await new Promise((resolve) => setTimeout(resolve, 120_000));");
    made.push(dirs.base);
    const report = await gradeAll([dirs.subs], options(dirs, { cellTimeoutSec: 6 }));
    const row = report.submissions[0];
    log(`${row.status}: ${row.problems.join(" | ")}`);
    assert.equal(row.status, "failed");
    assert.equal(row.retries, 1);
    assert.deepEqual(row.exercises, [], "no exercise is zeroed");
    assert.match(row.problems.join("\n"), /falhou \(corretor\): tempo esgotado: uma célula passou de 12 s .* na célula \d+, que não roda código do aluno; nenhum exercício foi zerado/);
    assert.equal(gradesCsv(report).split("\n")[1].split(",")[4], "", "no grade in grades.csv, not 0");
    // The report records what graded it.
    assert.match(report.grader?.commit ?? "", /^[0-9a-f]{40}$/);
    assert.deepEqual(Object.keys(report.grader?.hiddenCases ?? {}).map((f) => path.basename(f)), ["00-example.ts"]);
    assert.equal(report.grader?.options.cellTimeoutSec, 6);
    const [reportFile] = writeReport(report, dirs.out);
    // The course's slow cell fixed (the machine less loaded): only the failed row is graded again.
    const fixed = course(null);
    made.push(fixed.base);
    const again = await regradeFailed(reportFile, options({ solutions: fixed.solutions, out: dirs.out }));
    const redone = again.submissions[0];
    assert.equal(redone.status, "graded");
    assert.equal(redone.points, redone.maxPoints);
    assert.equal(redone.student, row.student);
    // Its bytes are those of the (fixed) course's solution: flagged in the row and in integrity.md.
    assert.match((redone.integrity ?? []).join(), /sha256 igual ao de uma solução do curso/);
    assert.deepEqual(again.integrity?.files.map((f) => f.student), ["00-example-maria"]);
    const written = writeReport(again, dirs.out);
    const integrity = written.find((f) => f.endsWith("integrity.md")) ?? "";
    assert.match(fs.readFileSync(integrity, "utf8"), /- \*\*00-example-maria\*\*: os bytes são os de .*00-example\.ipynb/);
  });

  it("a total timeout reached while an exercise cell runs blames no exercise: the row fails for the grader", async () => {
    const dirs = course(null);
    made.push(dirs.base);
    // The student's exercise cell waits (under the cell timeout): the total timeout falls there.
    const file = path.join(dirs.subs, "00-example-maria.ipynb");
    const nb = readNotebook(file);
    const cell = nb.cells.find((c) => c.id === "ex-double");
    if (!cell) throw new Error("fixture without its exercise cell");
    cell.source = toSourceLines(`${sourceText(cell)}\nawait new Promise((resolve) => setTimeout(resolve, 120_000));`);
    fs.writeFileSync(file, stringifyNotebook(nb));
    const report = await gradeAll([dirs.subs], options(dirs, { cellTimeoutSec: 300, totalTimeoutSec: 25 }));
    const row = report.submissions[0];
    log(`${row.status}: ${row.problems.join(" | ")}`);
    assert.equal(row.status, "failed");
    assert.deepEqual(row.exercises, []);
    assert.match(row.problems.join("\n"), /falhou \(corretor\): tempo total esgotado \(25 s\); nenhum exercício foi zerado/);
  });
});

describe("code and answers the student placed in new cells", () => {
  const source = loadCourseSource(path.join(FIXTURE_SOLUTIONS, "00-example.ipynb"));

  it("helper cells and names added to the import cell are run, owned by the next exercise", () => {
    const nb = structuredClone(source.student);
    const imports = nb.cells.find((c) => c.id === "imports");
    if (!imports) throw new Error("fixture without an import cell");
    imports.source = toSourceLines(sourceText(imports).replace("import { check,", "import { check, preview,"));
    nb.cells.splice(3, 0, codeCell("helper", "const twice = (x: number): number => x + x;"));
    const ex = nb.cells.find((c) => c.id === "ex-double");
    if (!ex) throw new Error("fixture without its exercise cell");
    ex.source = toSourceLines("function double(x: number): number {\n  return twice(x);\n}");
    const { nb: graded, owners } = assembleGradingNotebook(source, nb, new Map(), "n0nce");
    const texts = graded.cells.map(sourceText);
    const helper = texts.indexOf("const twice = (x: number): number => x + x;");
    const extra = texts.indexOf('import { preview } from "cnn-course";');
    const exercise = texts.findIndex((t) => t.includes("return twice(x);"));
    assert.ok(extra > 0 && extra < helper && helper < exercise, `${extra} ${helper} ${exercise}`);
    assert.deepEqual(owners[helper], { kind: "added", exercise: "example-double" });
  });

  it("an open answer written in a new markdown cell below the untouched stub is collected", () => {
    const nb = structuredClone(source.student);
    const at = nb.cells.findIndex((c) => c.metadata.course?.role === "answer");
    nb.cells.splice(at + 1, 0, { cell_type: "markdown", id: "minha", metadata: {}, source: toSourceLines("Porque x + x = 2x.") });
    const [answer] = collectAnswers(source, nb);
    assert.equal(answer.status, "answered");
    assert.equal(answer.text, "Porque x + x = 2x.");
    assert.equal(collectAnswers(source, source.student)[0].status, "unanswered");
  });
});

describe("npm run grade -- --only-failed", () => {
  it("regrades the failed rows of a report, written back to its folder unless --out says otherwise", () => {
    const args = parseGradeArgs(["--only-failed", "turma/notas/report.json", "--total-timeout", "1800"]);
    assert.equal(args.onlyFailed, path.resolve("turma/notas/report.json"));
    assert.equal(args.opts.outDir, path.resolve("turma/notas"));
    assert.equal(args.opts.totalTimeoutSec, 1800);
    assert.equal(parseGradeArgs(["--only-failed", "a/report.json", "--out", "b"]).opts.outDir, path.resolve("b"));
    assert.throws(() => parseGradeArgs(["--only-failed", "a/report.json", "subs/"]), /give no submission with it/);
  });
});
