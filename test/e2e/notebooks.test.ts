// The notebook runner on the course itself: every solution notebook runs top to
// bottom with all its checks passing, every student notebook runs with its checks
// saying "not done yet" and no cell error. Executed copies land in .cache/executed/.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { describeFailure } from "../../tools/notebooks/execute";
import { Notebook, readNotebook, sourceText } from "../../tools/notebooks/format";
import { courseNotebooks, runNotebooks, NotebookRun } from "../../tools/notebooks/run";

const log = (line: string): void => console.log(`      ${line}`);

function outputText(nb: Notebook, cellIndex: number): string {
  const cell = nb.cells[cellIndex];
  return (cell.outputs ?? []).map((o) => {
    const t = o.text ?? (o.data?.["text/plain"] as string | string[] | undefined) ?? "";
    return Array.isArray(t) ? t.join("") : t;
  }).join("");
}

function checkCells(nb: Notebook): number[] {
  return nb.cells.map((c, i) => (c.metadata.course?.role === "check" ? i : -1)).filter((i) => i >= 0);
}

describe("notebook runner", () => {
  it("names the notebook, the cell index and the error when a cell fails", async () => {
    const fixtures = path.join(__dirname, "..", "fixtures", "runner");
    const runs = await runNotebooks([path.join(fixtures, "fails-at-cell-2.ipynb"), path.join(fixtures, "type-error.ipynb")],
      { jobs: 2, cellTimeoutSec: 120, totalTimeoutSec: 300, outDir: path.join(__dirname, "..", "..", ".cache", "test-runner"), log });
    const [fails, typeError] = runs.sort((a, b) => a.notebook.localeCompare(b.notebook));
    assert.equal(fails.result.ok, false);
    assert.equal(fails.result.errors[0].cellIndex, 2);
    assert.match(describeFailure("fails-at-cell-2.ipynb", fails.result), /fails-at-cell-2\.ipynb: cell 2 .*Error: falha proposital/);
    // It stopped at the failing cell: the last cell never ran, the first two did.
    const executed = readNotebook(fails.executed);
    assert.match(outputText(executed, 0), /true/);
    assert.equal(outputText(executed, 3), "");
    assert.equal(typeError.result.errors[0].ename, "TypeScriptError");
    assert.match(typeError.result.errors[0].evalue, /not assignable to type 'number'/);
  });
});

describe("course notebooks (solutions and student versions)", function () {
  const notebooks = courseNotebooks("all");
  let runs: NotebookRun[] = [];

  before(async function () {
    if (notebooks.length === 0) this.skip();
    // Each notebook has its own cell and total limits below; the hook itself waits for all
    // of them (about 20 runs, two at a time: minutes on an idle machine, more on a loaded one).
    this.timeout(notebooks.length * 300_000);
    // CI runs the pneumonia notebook with its small preset.
    process.env.CNN_COURSE_PRESET = process.env.CNN_COURSE_PRESET ?? "smoke";
    runs = await runNotebooks(notebooks, { jobs: 2, cellTimeoutSec: 600, totalTimeoutSec: 1200,
      outDir: path.join(__dirname, "..", "..", ".cache", "executed"), log });
  });

  it("every notebook runs top to bottom without a cell error", () => {
    const failures = runs.filter((r) => !r.result.ok).map((r) => describeFailure(path.basename(r.notebook), r.result));
    assert.deepEqual(failures, []);
  });

  it("every check passes in the solutions and says 'not done yet' in the student notebooks", () => {
    const problems: string[] = [];
    for (const run of runs) {
      const nb = readNotebook(run.executed);
      const student = path.basename(path.dirname(run.notebook)) === "notebooks";
      for (const i of checkCells(nb)) {
        const text = outputText(nb, i);
        const id = nb.cells[i].metadata.course?.exercise ?? "?";
        const expected = student ? "☐" : "✔";
        if (!text.includes(expected)) problems.push(`${path.basename(path.dirname(run.notebook))}/${path.basename(run.notebook)} check "${id}" (cell ${i}): expected ${expected}, got: ${text.trim().slice(0, 200) || "(no output)"}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it("wrote an executed copy of every notebook", () => {
    for (const run of runs) assert.ok(fs.existsSync(run.executed), run.executed);
  });
});

describe("solutions and student notebooks (sources, no kernel)", () => {
  const exercises = (nb: Notebook, role: "solution" | "check"): string[] =>
    nb.cells.filter((c) => c.metadata.course?.role === role).map((c) => c.metadata.course?.exercise ?? "?");

  it("every solution notebook holds exercises: solution cells with a solution region, each with its check; the student copy has the same exercises and no solution text", () => {
    const problems: string[] = [];
    const solutions = courseNotebooks("solutions");
    assert.ok(solutions.length >= 10, `solution notebooks found: ${solutions.length}`);
    for (const file of solutions) {
      const name = path.basename(file), nb = readNotebook(file);
      const solved = exercises(nb, "solution"), checked = exercises(nb, "check");
      if (solved.length === 0) problems.push(`${name}: no exercise`);
      nb.cells.filter((c) => c.metadata.course?.role === "solution" && !/BEGIN SOLUTION/.test(sourceText(c)))
        .forEach((c) => problems.push(`${name}: solution cell ${c.id} has no BEGIN SOLUTION region`));
      solved.filter((id) => !checked.includes(id)).forEach((id) => problems.push(`${name}: exercise ${id} has no check cell`));
      const studentFile = path.join(path.dirname(file), "..", "notebooks", name);
      if (!fs.existsSync(studentFile)) { problems.push(`${name}: no student notebook (npm run generate)`); continue; }
      const student = readNotebook(studentFile);
      if (exercises(student, "solution").join() !== solved.join()) problems.push(`${name}: the student copy has other exercises (${exercises(student, "solution").join(", ")})`);
      if (/BEGIN SOLUTION|END SOLUTION/.test(student.cells.map(sourceText).join("\n"))) problems.push(`notebooks/${name}: holds solution text`);
    }
    assert.deepEqual(problems, []);
  });
});
