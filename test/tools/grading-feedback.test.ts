// Feedback pages and the gradebook from a grading report (no kernel): nothing of a
// hidden case reaches a student's page; the gradebook's presets (pt-BR, Moodle, Canvas);
// the zip of pages Moodle's bulk feedback upload takes.
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import { strFromU8, unzipSync } from "fflate";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { feedbackHtml, writeFeedback } from "../../tools/grader/class/feedback";
import { gradebookCsv, gradebookRows, studentOf } from "../../tools/grader/class/gradebook";
import { moodleFolderOf, writeMoodleFeedbackZip } from "../../tools/grader/class/moodle-zip";
import { readWeights } from "../../tools/grader/class/outputs";
import { applyRoster, readRoster } from "../../tools/grader/class/roster";
import type { GradingReport, SubmissionGrade } from "../../tools/grader/grader";
import type { ExerciseGrade } from "../../tools/grader/judge";

function exercise(id: string, points: number, maxPoints: number, extra: Partial<ExerciseGrade> = {}): ExerciseGrade {
  return { exercise: id, title: `Exercício ${id}`, points, maxPoints, status: points === maxPoints ? "passed" : "partial", found: "metadata", message: "", note: "", cases: [], ...extra };
}

function row(student: string, notebook: string, exercises: ExerciseGrade[], extra: Partial<SubmissionGrade> = {}): SubmissionGrade {
  return { student, file: `/x/${student}.ipynb`, sha256: "0", originalUnchanged: true, notebook, status: "graded", problems: [],
    points: exercises.reduce((t, e) => t + e.points, 0), maxPoints: exercises.reduce((t, e) => t + e.maxPoints, 0),
    exercises, answers: [], rounds: 1, retries: 0, seconds: 1, executed: null, ...extra };
}

const SECRET = "SEGREDO-7f3a";

const report: GradingReport = { generatedAt: "2026-12-07T00:00:00Z", seconds: 3, submissions: [
  row("maria/02-filtros-convolucao", "02-filtros-convolucao", [exercise("convolve", 1, 2, {
    status: "partial", message: `1/3 casos (0/2 ocultos)`,
    cases: [
      { name: "filtro 3x3 da aula", hidden: false, passed: true, message: "ok" },
      { name: `oculto ${SECRET} 5x7`, hidden: true, passed: false, message: `esperado [[${SECRET}]], obtido [[1]]` },
      { name: `oculto ${SECRET} 2`, hidden: true, passed: false, message: `erro com a entrada [[${SECRET}]]` },
    ] }),
  exercise("apply-filter-at", 0, 1, { status: "error", message: `não consegui rodar os casos: Error: entrada ${SECRET}` })],
  { answers: [{ answer: "por-que", maxPoints: 2, status: "answered", text: "...", manual: { points: 1.5, comment: "faltou o passo" } }] }),
  row("maria/03-passo-preenchimento-relu", "03-passo-preenchimento-relu", [exercise("relu", 1, 1, { cases: [{ name: "público", hidden: false, passed: true, message: "ok" }] })]),
  row("joao/02-filtros-convolucao", "02-filtros-convolucao", [exercise("convolve", 2, 2), exercise("apply-filter-at", 1, 1)],
    { answers: [{ answer: "por-que", maxPoints: 2, status: "unanswered", text: "" }] }),
] };

describe("grading feedback and gradebook (no kernel)", () => {
  it("a student's page counts the hidden cases and shows nothing else of them", () => {
    const html = feedbackHtml("maria", report.submissions.filter((s) => studentOf(s) === "maria"));
    assert.ok(!html.includes(SECRET), "a hidden case's name, input or expected value leaked");
    assert.ok(!html.includes("oculto "), "a hidden case's name leaked");
    assert.match(html, /0 de 2 casos ocultos passaram/);
    assert.match(html, /1 de 1 casos públicos passaram/);
    assert.match(html, /por-que: 1,5 de 2 \(faltou o passo\)/);
    assert.match(html, /02-filtros-convolucao: 2,5 de 5 pontos/);
    assert.match(html, /lang="pt-BR"/);
  });

  it("writes one folder per student", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "feedback-"));
    try {
      const dirs = writeFeedback(report, out).map((d) => path.basename(d)).sort();
      assert.deepEqual(dirs, ["joao", "maria"]);
      assert.ok(!fs.readFileSync(path.join(out, "feedback", "maria", "feedback.html"), "utf8").includes(SECRET));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it("one gradebook row per student, with totals and weighted percentages", () => {
    const { notebooks, rows } = gradebookRows(report, { "02-filtros-convolucao": 3, "03-passo-preenchimento-relu": 1 });
    assert.deepEqual(notebooks, ["02-filtros-convolucao", "03-passo-preenchimento-relu"]);
    assert.deepEqual(rows.map((r) => [r.student, r.points, r.max]), [["joao", 3, 6], ["maria", 3.5, 6]]);
    // joao: (3 x 3/5 + 1 x 0, 03 not handed in) / 4 = 45 %; maria: (3 x 2,5/5 + 1 x 1/1) / 4 = 62,5 %.
    assert.deepEqual(rows.map((r) => r.percent), [45, 62.5]);
  });

  it("pt-BR: a BOM, `;` and decimal commas", () => {
    const csv = gradebookCsv(report, "pt-br");
    assert.ok(csv.startsWith("\ufeffaluno;02-filtros-convolucao;03-passo-preenchimento-relu;total;máximo;percentual\r\n"));
    assert.match(csv, /\r\nmaria;2,5;1;3,5;6;/);
    assert.match(csv, /\r\njoao;3;;3;6;/);
  });

  it("Moodle and Canvas presets", () => {
    const moodle = gradebookCsv(report, "moodle").split("\r\n");
    assert.equal(moodle[0], "idnumber,02-filtros-convolucao,03-passo-preenchimento-relu,total,percent");
    assert.equal(moodle[2], "maria,2.5,1,3.5,75"); // unweighted: (2,5/5 + 1/1) / 2
    const canvas = gradebookCsv(report, "canvas").split("\r\n");
    assert.equal(canvas[0], "Student,ID,SIS User ID,SIS Login ID,Section,02-filtros-convolucao,03-passo-preenchimento-relu,Total");
    assert.equal(canvas[1], "Points Possible,,,,,5,1,6");
    assert.equal(canvas[3], "maria,,,maria,,2.5,1,3.5");
  });

  it("weights: a clear error for a bad file", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "weights-")), "w.json");
    fs.writeFileSync(file, JSON.stringify({ "02-filtros-convolucao": "dois" }));
    assert.throws(() => readWeights(file), /weights must be numbers >= 0 \(02-filtros-convolucao\)/);
  });

  it("a roster names LMS and Classroom files by student id and lists who handed in nothing", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roster-"));
    const file = path.join(dir, "roster.csv");
    fs.writeFileSync(file, "id,name,match\n2026001,Maria Silva,_123456_\n2026002,João Souza,joaosouza|_123457_\n2026003,Ana Lima,_123458_\n");
    const roster = readRoster(file);
    const result = applyRoster([
      { file: "/d/Maria Silva_123456_assignsubmission_file_/02-filtros-convolucao.ipynb", student: "Maria Silva_123456_assignsubmission_file_/02-filtros-convolucao" },
      { file: "/d/lista-02-JoaoSouza/02-filtros-convolucao.ipynb", student: "lista-02-JoaoSouza/02-filtros-convolucao" },
      { file: "/d/intruso/02-filtros-convolucao.ipynb", student: "intruso/02-filtros-convolucao" },
    ], roster);
    assert.deepEqual(result.entries.map((e) => e.student), ["2026001/02-filtros-convolucao", "2026002/02-filtros-convolucao", "intruso/02-filtros-convolucao"]);
    assert.deepEqual(result.unmatched, ["intruso/02-filtros-convolucao"]);
    assert.deepEqual(result.missing, ["2026003"]);
    fs.writeFileSync(file, "id,name,match\n2026001,Maria,\n2026001,Outra,x\n");
    assert.throws(() => readRoster(file), /line 2: no match text for 2026001[\s\S]*line 3: id 2026001 repeated/);
    const { rows } = gradebookRows({ ...report, roster: { missing: ["ana"], unmatched: [], ambiguous: [] } });
    assert.deepEqual(rows.map((r) => [r.student, r.points, r.percent]), [["ana", 0, 0], ["joao", 3, 30], ["maria", 3.5, 75]]);
  });

  it("the Moodle zip: one folder per student named as Moodle's download, its page inside, nothing hidden; others listed", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "feedback-zip-"));
    try {
      const moodle: GradingReport = { ...report, submissions: [
        ...report.submissions.filter((s) => s.student.startsWith("maria/")).map((s) => ({ ...s,
          file: `/d/Maria Silva_123456_assignsubmission_file_/${s.notebook}.ipynb`, student: `Maria Silva_123456_assignsubmission_file_/${s.notebook}` })),
        ...report.submissions.filter((s) => s.student.startsWith("joao/")),
      ] };
      const written = writeMoodleFeedbackZip(moodle, out);
      assert.deepEqual(written.students, ["Maria Silva_123456_assignsubmission_file_"]);
      assert.deepEqual(written.leftOut, ["joao"]);
      const files = unzipSync(fs.readFileSync(written.zip ?? ""));
      assert.deepEqual(Object.keys(files), ["Maria Silva_123456_assignsubmission_file_/feedback.html"]);
      const html = strFromU8(files["Maria Silva_123456_assignsubmission_file_/feedback.html"]);
      assert.match(html, /02-filtros-convolucao: 2,5 de 5 pontos/);
      assert.ok(!html.includes(SECRET));
      // A standard zip for another reader too (Python's zipfile, as Moodle's PHP ZipArchive reads it).
      const listed = spawnSync("python3", ["-m", "zipfile", "-l", written.zip ?? ""], { encoding: "utf8" });
      assert.equal(listed.status, 0, listed.stderr);
      assert.match(listed.stdout, /Maria Silva_123456_assignsubmission_file_\/feedback\.html/);
      assert.equal(writeMoodleFeedbackZip({ ...report, submissions: report.submissions.filter((s) => s.student.startsWith("joao/")) }, out).zip, null);
      // An online-text download folder gets the file feedback folder of the same participant.
      assert.equal(moodleFolderOf([{ ...moodle.submissions[0], file: "/d/Ana Lima_123458_assignsubmission_onlinetext_/x.ipynb" }]), "Ana Lima_123458_assignsubmission_file_");
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
