// The student-notebook generator: stubs in place of solution regions, outputs
// cleared, ids kept, byte-identical output, clear marker errors, the --check mode,
// and the real notebooks/ folder in sync with solutions/ without any solution text.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../../lib/common/config";
import { Cell, Notebook, readNotebook, sourceText, stringifyNotebook, toSourceLines } from "../../tools/notebooks/format";
import {
  findSolutionLeaks, generateStudentNotebooks, lintSourceNotebook, outOfDate, SolutionMarkerError, studentNotebook,
} from "../../tools/notebooks/solutions";
import { generate, knownExercises } from "../../tools/notebooks/generate";
import { WITH_EXAMPLE_EXERCISE } from "../fixtures/grading/example-exercise";

const root = projectRoot();
const fixture = path.join(__dirname, "..", "fixtures", "grading", "solutions", "00-example.ipynb");

function code(id: string, source: string, course?: Cell["metadata"]["course"]): Cell {
  return { cell_type: "code", id, metadata: course ? { course } : {}, source: toSourceLines(source), outputs: [], execution_count: null };
}

function notebook(cells: Cell[]): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: "tslab" }, course: { id: "00-example", title: "t" } }, cells };
}

function runGenerate(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [...WITH_EXAMPLE_EXERCISE, path.join(root, "scripts", "generate-student.ts"), ...args],
    { encoding: "utf8", cwd: root });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe("student notebook generation", () => {
  it("replaces regions by stubs at the marker's indentation, keeps ids and metadata, clears outputs", () => {
    const solved = readNotebook(fixture);
    solved.cells[3].outputs = [{ output_type: "stream", name: "stdout", text: ["4\n"] }];
    solved.cells[3].execution_count = 7;
    solved.cells[3].metadata.execution = { "iopub.status.busy": "2026-11-28T10:00:00Z" };
    const student = studentNotebook(solved, fixture);
    const ex = student.cells[3];
    assert.equal(sourceText(ex), "function double(x: number): number {\n  // SEU CÓDIGO AQUI\n  return todo();\n}");
    assert.deepEqual(ex.outputs, []);
    assert.equal(ex.execution_count, null);
    assert.deepEqual(ex.metadata, { course: { role: "solution", exercise: "example-double" } });
    assert.deepEqual(student.cells.map((c) => c.id), solved.cells.map((c) => c.id));
    assert.equal(sourceText(student.cells[7]), "**Sua resposta:**\n_Escreva sua resposta aqui._");
    assert.deepEqual(student.metadata.course, solved.metadata.course);
    assert.equal(sourceText(solved.cells[3]).includes("return 2 * x;"), true, "the source notebook is not modified");
  });

  it("is deterministic: generating twice gives the same bytes", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gen-"));
    const first = generateStudentNotebooks(path.dirname(fixture), dir).map((g) => g.text);
    const second = generateStudentNotebooks(path.dirname(fixture), dir).map((g) => g.text);
    assert.deepEqual(first, second);
    assert.equal(first[0], stringifyNotebook(JSON.parse(first[0]) as Notebook), "stable formatting: re-serialising changes nothing");
    assert.ok(first[0].endsWith("}\n") && first[0].startsWith('{\n "cells": ['));
  });

  it("names the notebook, the cell id and the line of nested, unbalanced or misspelled markers", () => {
    const cases: [string, RegExp][] = [
      ["// BEGIN SOLUTION\n// BEGIN SOLUTION\nx\n// END SOLUTION\n// END SOLUTION", /nb\.ipynb: cell "bad", line 2: BEGIN SOLUTION inside the region opened at line 1/],
      ["x\n// END SOLUTION", /nb\.ipynb: cell "bad", line 2: END SOLUTION without a BEGIN SOLUTION/],
      ["a\nb\n  // BEGIN SOLUTION\nreturn 1;", /nb\.ipynb: cell "bad", line 3: BEGIN SOLUTION is never closed/],
      ["// BEGIN SOLUTIONS\nx\n// END SOLUTION", /line 1: unrecognised solution marker "\/\/ BEGIN SOLUTIONS"/],
      ["<!-- BEGIN SOLUTION -->\nx\n<!-- END SOLUTION -->", /line 1: unrecognised solution marker .* in a code cell write `\/\/ BEGIN SOLUTION`/],
    ];
    for (const [source, message] of cases) {
      assert.throws(() => studentNotebook(notebook([code("ok", "1"), code("bad", source)]), "solutions/nb.ipynb"),
        (err: Error) => err instanceof SolutionMarkerError && message.test(err.message), source);
    }
  });

  it("lints the authoring mistakes the grader would trip on", () => {
    const nb = notebook([
      code("a", "function double(x: number) { return 2 * x; }", { role: "solution", exercise: "example-double" }),
      code("a", 'await check("other", double);', { role: "check", exercise: "example-double" }),
      code("c", "// BEGIN SOLUTION\n1\n// END SOLUTION", { role: "solution", exercise: "no-such-exercise" }),
    ]);
    const problems = lintSourceNotebook(nb, "nb.ipynb", knownExercises());
    assert.deepEqual(problems, [
      'nb.ipynb: solution cell "a" has no BEGIN SOLUTION / END SOLUTION region (the student would get the answer)',
      'nb.ipynb: cell id "a" is used by cells #0 and #1',
      'nb.ipynb: check cell "a" does not call check("example-double", ...)',
      'nb.ipynb: cell "c" names exercise "no-such-exercise", which no module in lib/exercises/ registers',
    ]);
  });

  it("finds solution lines left in a student notebook", () => {
    const solved = readNotebook(fixture);
    const student = studentNotebook(solved);
    assert.deepEqual(findSolutionLeaks(solved, student), []);
    student.cells[5].source = toSourceLines("return 2 * x;");
    assert.deepEqual(findSolutionLeaks(solved, student), [{ cellId: "demo", line: "return 2 * x;" }]);
  });

  it("npm run generate -- --check exits 1 listing out-of-date files, 0 once generated", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gen-check-"));
    const notebooks = path.join(dir, "notebooks");
    const args = ["--solutions", path.dirname(fixture), "--notebooks", notebooks];
    const missing = runGenerate([...args, "--check"]);
    assert.equal(missing.status, 1);
    assert.match(missing.out, /notebooks\/00-example\.ipynb is missing/);
    assert.deepEqual(generate({ solutionsDir: path.dirname(fixture), notebooksDir: notebooks, check: false }).written, [path.join(notebooks, "00-example.ipynb")]);
    const fresh = runGenerate([...args, "--check"]);
    assert.equal(fresh.status, 0, fresh.out);
    fs.appendFileSync(path.join(notebooks, "00-example.ipynb"), " ");
    fs.writeFileSync(path.join(notebooks, "99-orphan.ipynb"), "{}");
    const stale = runGenerate([...args, "--check"]);
    assert.equal(stale.status, 1);
    assert.match(stale.out, /00-example\.ipynb differs from what .*00-example\.ipynb generates/);
    assert.match(stale.out, /99-orphan\.ipynb has no source in the solutions folder/);
  });
});

describe("the course's notebooks/ folder", () => {
  const solutionsDir = path.join(root, "solutions");
  const notebooksDir = path.join(root, "notebooks");

  it("is up to date with solutions/ (run `npm run generate`)", () => {
    assert.deepEqual(outOfDate(generateStudentNotebooks(solutionsDir, notebooksDir), notebooksDir), []);
  });

  it("holds no solution text: no marker and no line of any solution region", () => {
    for (const g of generateStudentNotebooks(solutionsDir, notebooksDir)) {
      if (!fs.existsSync(g.target)) continue;
      assert.deepEqual(findSolutionLeaks(readNotebook(g.source), readNotebook(g.target), g.source), [], g.target);
    }
  });

  it("solutions/ follow the authoring rules (ids, roles, registered exercises)", () => {
    const exercises = knownExercises();
    const problems = generateStudentNotebooks(solutionsDir, notebooksDir).flatMap((g) => lintSourceNotebook(readNotebook(g.source), g.source, exercises));
    assert.deepEqual(problems, []);
  });
});
