// One runner process per student (the direct runner): a fixture course of three notebooks
// (copies of 00-example), graded per student and per submission, must give the same grades;
// a notebook that kills the process does not cost the student's later notebooks; a global or a
// declaration of one notebook does not reach the next one; a timer or a process left running sends
// the next notebook to a fresh process. Also which files count as one student's.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isCI } from "../../lib/common/config";
import { gradeDifferences } from "../../tools/grader/fast/compare";
import { processKey, studentGroups } from "../../tools/grader/fast/per-student";
import { defaultGradeOptions, gradeAll, GradeOptions, GradingReport, SubmissionEntry, SubmissionGrade } from "../../tools/grader/grader";
import { sandboxProblem } from "../../tools/grader/sandbox";
import { findJupyterPython } from "../../tools/notebooks/jupyter";
import { registerExercises } from "../../lib/check/registry";
import { Notebook, stringifyNotebook, toSourceLines, validateNotebook } from "../../tools/notebooks/format";
import { exercises } from "../fixtures/grading/example-exercise";
import { FIXTURE_HIDDEN, FIXTURE_SOLUTIONS } from "../fixtures/grading/make-submissions";
import { rowOf } from "../helpers/grading";

const NOTEBOOKS = ["00-example", "01-example", "02-example"];
const RIGHT = "function double(x: number): number {\n  return 2 * x;\n}";

/** The fixture's exercise as it is in notebook `id` (each notebook has its own exercise id). */
const exerciseOf = (id: string): string => `example-double-${id.slice(0, 2)}`;
registerExercises(NOTEBOOKS.map((id) => ({ ...exercises[0], id: exerciseOf(id), notebook: id })));

/** The fixture notebook as course notebook `id`, with its exercise cell's source replaced (if given). */
function notebookAs(id: string, exercise?: string): Notebook {
  const text = fs.readFileSync(path.join(FIXTURE_SOLUTIONS, "00-example.ipynb"), "utf8");
  const nb = validateNotebook(JSON.parse(text.replace(/example-double/g, exerciseOf(id)).replace(/00-example/g, id)), `${id}.ipynb`);
  const cell = nb.cells.find((c) => c.metadata.course?.role === "solution");
  if (!cell) throw new Error("the fixture has no exercise cell");
  if (exercise !== undefined) cell.source = toSourceLines(exercise);
  return nb;
}

/** Each student's exercise cell per notebook (undefined: the solution). */
const CLASS: Record<string, (string | undefined)[]> = {
  // The process dies in notebook 01 (while its cases run): 02 is still graded.
  ana: [undefined, "function double(x: number): number {\n  process.exit(3);\n}", undefined],
  // 00 sets a global and declares a name: 01 would be off by 100 and 02 would compile if they leaked.
  bia: [
    `const onlyIn00 = 5;\n(globalThis as any).leaked = 100;\n${RIGHT}`,
    "function double(x: number): number {\n  return 2 * x + ((globalThis as any).leaked ?? 0);\n}",
    "function double(x: number): number {\n  return onlyIn00 > 0 ? 2 * x : 0;\n}",
  ],
  // 00 leaves a timer running: 01 runs in a fresh process.
  caio: [`setInterval(() => undefined, 60000);\n${RIGHT}`, undefined, undefined],
  // 00 leaves a detached child running (no handle of the runner's): 01 runs in a fresh process.
  davi: [`import { spawn } from "child_process";\nspawn("sleep", ["60"], { detached: true, stdio: "ignore" }).unref();\n${RIGHT}`, undefined, undefined],
};

describe("grader: one runner process per student (sandboxed, 3-notebook fixture course)", function () {
  this.timeout(1200000);
  const problem = sandboxProblem();
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "grader-per-student-"));
  const course = { solutions: path.join(base, "solutions"), hidden: path.join(base, "hidden"), subs: path.join(base, "subs"), tmp: path.join(base, "tmp") };
  const previousTmp = process.env.TMPDIR;
  let perStudent: GradingReport;
  let perSubmission: GradingReport;
  const row = (student: string): SubmissionGrade => rowOf(perStudent, student);
  const options = (out: string, processPer: GradeOptions["processPer"]): GradeOptions => ({
    ...defaultGradeOptions(), solutionsDir: course.solutions, hiddenDir: course.hidden, outDir: path.join(base, out), processPer,
    protect: [], guardCourseFiles: false, cellTimeoutSec: 60, totalTimeoutSec: 300, maxMemoryMb: 512, jobs: 1, log: () => undefined,
  });

  before(async function () {
    if (problem) {
      if (isCI()) throw new Error(`CI must grade in the sandbox: ${problem}`);
      this.skip();
    }
    for (const dir of Object.values(course)) fs.mkdirSync(dir);
    for (const id of NOTEBOOKS) {
      fs.writeFileSync(path.join(course.solutions, `${id}.ipynb`), stringifyNotebook(notebookAs(id)));
      const hidden = fs.readFileSync(path.join(FIXTURE_HIDDEN, "00-example.ts"), "utf8");
      fs.writeFileSync(path.join(course.hidden, `${id}.ts`), hidden.replace(/example-double/g, exerciseOf(id)));
    }
    for (const [student, cells] of Object.entries(CLASS)) {
      fs.mkdirSync(path.join(course.subs, student));
      NOTEBOOKS.forEach((id, i) => fs.writeFileSync(path.join(course.subs, student, `${id}.ipynb`), stringifyNotebook(notebookAs(id, cells[i]))));
    }
    // Every temporary folder the grader makes goes here, to see that none is left.
    process.env.TMPDIR = course.tmp;
    perStudent = await gradeAll([course.subs], options("per-student", "student"));
    perSubmission = await gradeAll([course.subs], options("per-submission", "submission"));
    for (const s of perStudent.submissions) {
      console.log(`      ${s.student}: ${s.points}/${s.maxPoints} ${s.exercises.map((e) => e.status).join(",")} ${s.seconds.toFixed(1)} s; runner: ${s.runnerStarts?.join(" | ") ?? "shared"}`);
    }
  });
  after(() => {
    // Assigning undefined would store the string "undefined".
    if (previousTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmp;
    fs.rmSync(base, { recursive: true, force: true });
  });

  it("gives the grades of one process per submission, case by case", () => {
    assert.deepEqual(gradeDifferences(perSubmission, perStudent), { rows: 12, exercises: 12, differences: [] });
    assert.ok(perSubmission.submissions.every((s) => s.runnerStarts?.[0] === "first"), "per submission: each row starts its own runner");
  });

  it("a notebook that kills the process: its exercise gets 0, the student's next notebook is graded in a fresh process", () => {
    assert.equal(row("ana/00-example").points, 1);
    assert.equal(row("ana/01-example").exercises[0].status, "kernel-died");
    assert.equal(row("ana/01-example").points, 0);
    assert.equal(row("ana/02-example").points, 1);
    assert.match(row("ana/02-example").runnerStarts?.join() ?? "", /after the process ended/);
  });

  it("a global or a declaration of one notebook does not reach the next, which shared its process", () => {
    assert.equal(row("bia/00-example").points, 1);
    assert.equal(row("bia/01-example").points, 1, "the global set in 00 reached 01");
    assert.equal(row("bia/01-example").runnerStarts, undefined, "01 should have shared 00's process");
    const e = row("bia/02-example").exercises[0];
    assert.equal(e.status, "error");
    assert.match(e.message, /onlyIn00/);
    assert.equal(row("bia/02-example").runnerStarts, undefined);
  });

  it("a timer left running sends the next notebook to a fresh process, which grades it", () => {
    assert.equal(row("caio/00-example").points, 1);
    assert.match(row("caio/01-example").runnerStarts?.join() ?? "", /unclean: .*running handles \(.*Timeout/);
    assert.equal(row("caio/01-example").points, 1);
    assert.equal(row("caio/02-example").runnerStarts, undefined);
  });

  it("a process left running sends the next notebook to a fresh process", () => {
    assert.equal(row("davi/00-example").points, 1);
    assert.match(row("davi/01-example").runnerStarts?.join() ?? "", /unclean: .*process\(es\) left running/);
    assert.equal(row("davi/01-example").points, 1);
  });

  it("the Jupyter kernel in the sandbox (--runner kernel) gives the same grades, case by case", async function () {
    if (!findJupyterPython()) {
      if (isCI()) throw new Error("CI must have Jupyter");
      this.skip();
    }
    const kernel = await gradeAll([course.subs], { ...options("kernel", "submission"), runner: "kernel" });
    assert.deepEqual(gradeDifferences(perSubmission, kernel), { rows: 12, exercises: 12, differences: [] });
  });

  it("no temporary folder of the runs is left", () => {
    assert.deepEqual(fs.readdirSync(course.tmp), []);
  });
});

describe("grader: which submissions are one student's", () => {
  const ids = ["02-filtros", "03-passo", "04-olhos"];
  const entry = (student: string, file = `/turma/${student}.ipynb`): SubmissionEntry => ({ student, file, root: "/turma" });

  it("a student folder, a name in a flat folder and a roster id group; a name without a notebook id runs alone", () => {
    assert.equal(processKey(entry("aluno-01/02-filtros"), ids), processKey(entry("aluno-01/03-passo"), ids));
    assert.notEqual(processKey(entry("aluno-01/02-filtros"), ids), processKey(entry("aluno-02/02-filtros"), ids));
    assert.equal(processKey(entry("maria_02-filtros"), ids), processKey(entry("maria_03-passo"), ids));
    assert.notEqual(processKey(entry("maria_02-filtros"), ids), processKey(entry("joao_02-filtros"), ids));
    assert.equal(processKey(entry("maria"), ids), null);
    assert.equal(processKey(entry("turma-a/maria"), ids), null);
    // Files given one by one (no common folder): the folder of each file decides.
    assert.notEqual(processKey({ student: "02-filtros", file: "/a/02-filtros.ipynb", root: null }, ids),
      processKey({ student: "03-passo", file: "/b/03-passo.ipynb", root: null }, ids));
  });

  it("groups in listing order, the notebooks that do not start the engine first", () => {
    const entries = ["ana/02-filtros", "ana/03-passo", "ana/04-olhos", "bia/02-filtros", "maria", "bia/04-olhos"].map((s) => entry(s));
    assert.deepEqual(studentGroups(entries, ids, (nb) => nb !== "04-olhos"), [[2, 0, 1], [5, 3], [4]]);
  });
});
