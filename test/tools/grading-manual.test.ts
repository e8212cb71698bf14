// The hand-graded answers: answers.md (question, model answer, rubric, every student's
// answer), manual-points.csv, and --merge-manual folding the points into grades.csv.
// Also: the instructor's terminal shows no TensorFlow.js banner.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../../lib/common/config";
import { readNotebook, stringifyNotebook } from "../../tools/notebooks/format";
import { studentNotebook } from "../../tools/notebooks/solutions";
import { loadCourseSource } from "../../tools/grader/assemble";
import type { GradingReport, SubmissionGrade } from "../../tools/grader/grader";
import { answersMarkdown, applyManualPoints, manualPointsCsv, mergeManualPoints, questionsOf } from "../../tools/grader/manual";
import { writeReport } from "../../tools/grader/report";

const root = projectRoot();
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");

function submission(student: string, text: string | null): SubmissionGrade {
  return {
    student, file: `${student}.ipynb`, sha256: "", originalUnchanged: true, notebook: "02-filtros-convolucao", status: "graded", problems: [],
    points: 2, maxPoints: 3, exercises: [], rounds: 1, retries: 0, seconds: 1, executed: null,
    answers: [{ answer: "slide-discrepancy", maxPoints: 2, status: text === null ? "unanswered" : "answered", text: text ?? "_Escreva sua resposta aqui._" }],
  };
}

describe("hand-graded answers", () => {
  const source = loadCourseSource(path.join(root, "solutions", "02-filtros-convolucao.ipynb"));
  const questions = questionsOf(source);
  const report = (): GradingReport => ({ generatedAt: "", seconds: 1, questions,
    submissions: [submission("ana", "A soma de 9 números ímpares é ímpar."), submission("bruno", null)] });

  it("answers.md gives the question, the model answer from solutions/, the rubric, then each student's answer", () => {
    assert.equal(questions.length, 1);
    assert.equal(questions[0].points, 2);
    const md = answersMarkdown(report());
    assert.match(md, /## slide-discrepancy \(2 ponto\(s\), 02-filtros-convolucao\)\n\n\*\*Pergunta:\*\*\n\n> /);
    assert.match(md, /\*\*Resposta modelo:\*\*\n\n> A conta está certa\. Cada produto é \$\+1\$ ou \$-1\$/);
    assert.match(md, /\*\*Critério:\*\*\n\n- 2: [^\n]+\n- 1: [^\n]+\n- 0: /);
    assert.match(md, /### ana\n\nA soma de 9 números ímpares é ímpar\.\n/);
    assert.match(md, /### bruno\n\n_\(não respondida\)_/);
    assert.ok(!md.includes("BEGIN SOLUTION"));
  });

  it("manual-points.csv has a row per answer (unanswered already 0); --merge-manual adds the points and totals to grades.csv", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "manual-"));
    writeReport(report(), out);
    const csv = fs.readFileSync(path.join(out, "manual-points.csv"), "utf8");
    assert.equal(csv, manualPointsCsv(report()));
    assert.deepEqual(csv.trim().split("\n"), ["student,notebook,answer,max_points,points,comment",
      "ana,02-filtros-convolucao,slide-discrepancy,2,,", "bruno,02-filtros-convolucao,slide-discrepancy,2,0,não respondida"]);
    const filled = path.join(out, "filled.csv");
    fs.writeFileSync(filled, csv.replace("ana,02-filtros-convolucao,slide-discrepancy,2,,", 'ana,02-filtros-convolucao,slide-discrepancy,2,1.5,"paridade, sem o -0.55"'));
    const r = spawnSync(process.execPath, [tsx, path.join(root, "scripts", "grade.ts"), "--merge-manual", filled, "--out", out], { encoding: "utf8", cwd: root });
    assert.equal(r.status, 0, r.stderr);
    const grades = fs.readFileSync(path.join(out, "grades.csv"), "utf8").trim().split("\n");
    assert.match(grades[0], /,answer:slide-discrepancy,manual_points,manual_max,total_points,total_max,/);
    assert.match(grades[1], /^ana,.*,1\.5,1\.5,2,3\.5,5,/);
    assert.match(grades[2], /^bruno,.*,0,0,2,2,5,/);
  });

  it("a bad CSV is refused with the line and what to fix", () => {
    const rows = [{ student: "ana", answer: "slide-discrepancy", points: "3" }, { student: "zé", answer: "slide-discrepancy", points: "1" },
      { student: "bruno", answer: "slide-discrepancy", points: "" }];
    assert.throws(() => applyManualPoints(report(), rows, "m.csv"), (err: Error) => {
      assert.match(err.message, /m\.csv line 2: points must be a number from 0 to 2 \(got "3"\) for ana \/ slide-discrepancy/);
      assert.match(err.message, /m\.csv line 3: no answer "slide-discrepancy" of student "zé" in this report/);
      assert.match(err.message, /m\.csv line 4: points must be a number from 0 to 2 \(got ""\)/);
      return true;
    });
    assert.throws(() => mergeManualPoints(fs.mkdtempSync(path.join(os.tmpdir(), "empty-")), "x.csv"), /no report at .*report\.json: grade first/);
  });
});

describe("npm run grade: the instructor's terminal", () => {
  it("shows no TensorFlow.js banner while computing the expected values", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-banner-"));
    // A submission of 02 without its exercise cells: its expected values are computed with tfjs, no kernel is needed.
    const nb = studentNotebook(readNotebook(path.join(root, "solutions", "02-filtros-convolucao.ipynb")));
    nb.cells = nb.cells.filter((c) => c.metadata.course?.role !== "solution");
    fs.writeFileSync(path.join(dir, "02-filtros-convolucao.ipynb"), stringifyNotebook(nb));
    const r = spawnSync(process.execPath, [tsx, path.join(root, "scripts", "grade.ts"), dir, "--out", path.join(dir, "out"), "--no-guard"], { encoding: "utf8", cwd: root });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /02-filtros-convolucao\s+0\/3/);
    assert.doesNotMatch(r.stdout + r.stderr, /Hi, looks like you are running TensorFlow\.js/);
  });
});
