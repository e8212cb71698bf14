// The instructor grader, end to end on a folder of fixture submissions (full marks,
// zero, re-typed/moved/duplicated/deleted cells and every kind of bad submission),
// plus its pieces without a kernel: cell matching, hidden-case validation, the guard.
import { strict as assert } from "assert";
import { rowOf } from "../helpers/grading";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../../lib/common/config";
import { sha256File as sha } from "../../tools/common/hash";
import { readNotebook, sourceText, toSourceLines } from "../../tools/notebooks/format";
import { studentNotebook } from "../../tools/notebooks/solutions";
import { getExercise } from "../../lib/check/registry";
import { assembleGradingNotebook, definesSymbol, findExerciseCell, loadCourseSource } from "../../tools/grader/assemble";
import { defaultGradeOptions, GradeOptions, gradeAll, GradingReport, SubmissionGrade } from "../../tools/grader/grader";
import { FileGuard } from "../../tools/grader/guard";
import { caseProblems, loadHiddenCases } from "../../tools/grader/hidden-cases";
import { formatTable, writeReport } from "../../tools/grader/report";
import { FIXTURE_HIDDEN, FIXTURE_SOLUTIONS, makeSubmissions } from "../fixtures/grading/make-submissions";
import { WITH_EXAMPLE_EXERCISE } from "../fixtures/grading/example-exercise";

const root = projectRoot();
const log = (line: string): void => console.log(`      ${line}`);

/** A private copy of the fixture course (solutions + hidden cases) the tampering submission may attack. */
function fixtureCourse(): { base: string; solutions: string; hidden: string; subs: string; out: string } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "grader-test-"));
  const dirs = { base, solutions: path.join(base, "solutions"), hidden: path.join(base, "hidden"), subs: path.join(base, "subs"), out: path.join(base, "out") };
  fs.cpSync(FIXTURE_SOLUTIONS, dirs.solutions, { recursive: true });
  fs.cpSync(FIXTURE_HIDDEN, dirs.hidden, { recursive: true });
  return dirs;
}

function options(dirs: ReturnType<typeof fixtureCourse>, extra: Partial<GradeOptions> = {}): GradeOptions {
  return { ...defaultGradeOptions(), solutionsDir: dirs.solutions, hiddenDir: dirs.hidden, outDir: dirs.out,
    // Only the private copies: the shared lib/dist may be rebuilt by other work while the tests run.
    protect: [], cellTimeoutSec: 20, totalTimeoutSec: 180, maxMemoryMb: 256, log, ...extra };
}

describe("grader pieces (no kernel)", () => {
  const source = loadCourseSource(path.join(FIXTURE_SOLUTIONS, "00-example.ipynb"));
  const ex = getExercise("example-double");
  const stub = sourceText(source.student.cells[3]);

  it("recognises declarations of the exercise's symbol, not uses of it", () => {
    assert.ok(definesSymbol("function double(x: number) {}", "double"));
    assert.ok(definesSymbol("// x\nexport const double = (x: number) => 2 * x;", "double"));
    assert.ok(definesSymbol("async function double() {}", "double"));
    assert.ok(!definesSymbol("console.log(double(2));", "double"));
    assert.ok(!definesSymbol("const doubled = 1;", "double"));
  });

  it("prefers a re-typed cell below an untouched exercise cell", () => {
    const nb = structuredClone(source.student);
    nb.cells.push({ cell_type: "code", id: "mine", metadata: {}, source: toSourceLines("const double = (x: number) => x * 2;"), outputs: [], execution_count: null });
    const found = findExerciseCell(nb, ex, stub);
    assert.equal(found.how, "symbol");
    assert.equal(found.code, "const double = (x: number) => x * 2;");
    assert.equal(findExerciseCell(source.student, ex, stub).how, "metadata");
  });

  it("builds the grading notebook from the course: check cells restored, cases injected, no expected values", () => {
    const submission = structuredClone(source.student);
    submission.cells[4].source = toSourceLines('console.log("✅ passou");');
    const inputs = new Map([["example-double", [{ name: "a", args: [3] }]]]);
    const { nb, owners, graderCells } = assembleGradingNotebook(source, submission, inputs, "abc123");
    const texts = nb.cells.map(sourceText);
    assert.match(texts[0], /import \{ runCasesForGrader as graderRun_abc123 \} from "cnn-course";/);
    assert.equal(texts[5], 'await check("example-double", double);', "the edited check cell is restored");
    assert.equal(graderCells.get("example-double"), 6);
    assert.match(texts[6], /^await graderRun_abc123\("abc123", "example-double", double, JSON\.parse\(.*\), graderLog_abc123\);$/);
    assert.ok(!texts.some((t) => t.includes("return 2 * x")), "no solution from the source");
    assert.deepEqual(owners[7], { kind: "course", exercise: "example-double" });
  });

  it("validates hidden cases with messages that say what to fix", () => {
    assert.deepEqual(caseProblems("e", { name: "ok", args: [1], expected: 2 }, "f.ts"), []);
    assert.deepEqual(caseProblems("e", { name: "x", args: [NaN] }, "f.ts"), [
      'f.ts: case "x" of "e" has neither expected nor verify',
      'f.ts: case "x" of "e": args does not survive JSON (NaN, undefined, typed arrays or class instances?): use plain arrays and numbers',
    ]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hidden-"));
    fs.writeFileSync(path.join(dir, "00-example.ts"), 'export const hidden = { "nope": [], "convolve": [] };\n');
    assert.throws(() => loadHiddenCases("00-example", dir), /"nope" is not a registered exercise[\s\S]*exercise "convolve" belongs to notebook "02-filtros-convolucao", not "00-example"/);
  });

  it("every hidden-case file of the course loads and is valid", () => {
    const dir = path.join(root, "tools", "grader", "hidden");
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith(".ts"))) {
      const hidden = loadHiddenCases(path.basename(name, ".ts"), dir);
      assert.ok(Object.values(hidden).every((cases) => cases.length > 0), name);
    }
  });

  it("the guard reports changed, deleted and added files and puts the first two back", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guard-"));
    fs.writeFileSync(path.join(dir, "a.ts"), "a");
    fs.writeFileSync(path.join(dir, "b.ts"), "b");
    const guard = new FileGuard([dir]);
    fs.writeFileSync(path.join(dir, "a.ts"), "hacked");
    fs.rmSync(path.join(dir, "b.ts"));
    fs.writeFileSync(path.join(dir, "c.ts"), "new");
    const found = guard.restore();
    assert.deepEqual(found, { changed: [path.join(dir, "a.ts")], deleted: [path.join(dir, "b.ts")], added: [path.join(dir, "c.ts")] });
    assert.equal(fs.readFileSync(path.join(dir, "a.ts"), "utf8"), "a");
    assert.equal(fs.readFileSync(path.join(dir, "b.ts"), "utf8"), "b");
    assert.deepEqual(guard.changes(), { changed: [], deleted: [], added: [] });
  });
});

describe("grader on a folder of fixture submissions (fresh tslab kernels)", function () {
  let dirs: ReturnType<typeof fixtureCourse>;
  let files: Record<string, string>;
  let hashesBefore: Map<string, string>;
  let hiddenBefore: string;
  let report: GradingReport;
  const by = (name: string): SubmissionGrade => rowOf(report, name);

  before(async function () {
    dirs = fixtureCourse();
    files = makeSubmissions(dirs.subs, { hiddenFile: path.join(dirs.hidden, "00-example.ts") });
    // Each submission has its own limits (options: 180 s in all); the hook waits for all 14 of them
    // (10 min on a loaded 2-core machine, over mocha's default).
    this.timeout(Object.keys(files).length * 200_000);
    hashesBefore = new Map(Object.values(files).map((f) => [f, sha(f)]));
    hiddenBefore = sha(path.join(dirs.hidden, "00-example.ts"));
    report = await gradeAll([dirs.subs], options(dirs));
    writeReport(report, dirs.out);
    log(`graded ${report.submissions.length} submissions in ${report.seconds.toFixed(1)} s`);
    for (const line of formatTable(report).split("\n")) log(line);
  });

  after(() => fs.rmSync(dirs.base, { recursive: true, force: true }));

  it("the solution gets full marks, public and hidden cases", () => {
    const s = by("solved");
    assert.equal(s.status, "graded");
    assert.equal(s.points, 1);
    assert.deepEqual(s.exercises[0].cases.map((c) => [c.hidden, c.passed]), [[false, true], [false, true], [true, true], [true, true], [true, true]]);
    assert.equal(s.answers[0].status, "answered");
  });

  it("the untouched student notebook gets zero as 'not done', without a crash", () => {
    const s = by("untouched");
    assert.deepEqual([s.status, s.points, s.exercises[0].status, s.problems], ["graded", 0, "not-done", []]);
    assert.equal(s.answers[0].status, "unanswered");
  });

  it("a partly right answer gets the share of hidden cases it passes, with expected vs obtained", () => {
    const s = by("partial");
    // Points from the hidden cases only (docs/grading.md, "Points"): 2 of 3 passed.
    assert.equal(s.points, 0.67);
    assert.equal(s.exercises[0].message, "2/3 casos ocultos (valem a nota); 1/2 públicos");
    const failed = s.exercises[0].cases.filter((c) => !c.passed);
    assert.deepEqual(failed.map((c) => c.name), ["dobro de -1.5", "oculto: dobro de -7.25"]);
    assert.match(failed[1].message, /esperado -14,5, obtido -7,25/);
  });

  it("finds re-typed, moved and duplicated exercise cells; a deleted one is 0 with the reason", () => {
    assert.equal(by("retyped").points, 1, "re-typed without metadata, check cell edited to fake a pass");
    assert.match(by("retyped").exercises[0].note, /encontrada por definir `double`/);
    assert.equal(by("moved-duplicated").points, 1);
    assert.match(by("moved-duplicated").exercises[0].note, /duplicada \(2 cópias\): corrigi a última/);
    const deleted = by("deleted");
    assert.deepEqual([deleted.points, deleted.exercises[0].status, deleted.rounds], [0, "missing", 0]);
    assert.match(deleted.exercises[0].message, /não encontrada \(apagada\?\)/);
  });

  it("rejects malformed JSON and other kernels with a clear line", () => {
    assert.equal(by("malformed").status, "rejected");
    assert.match(by("malformed").problems[0], /JSON malformado/);
    assert.equal(by("python").status, "rejected");
    assert.match(by("python").problems[0], /notebook de outro kernel \("python3"\)/);
  });

  it("an infinite loop times out, a throwing cell and a type error are named, a dying kernel is reported", () => {
    const loop = by("infinite-loop");
    assert.equal(loop.exercises[0].status, "timeout");
    assert.match(loop.problems[0], /tempo esgotado: uma célula passou de 20 s \(laço infinito\?\) no exercício "example-double"/);
    assert.match(by("throws").exercises[0].message, /a célula do exercício deu erro: Error: erro de propósito/);
    assert.match(by("type-error").exercises[0].message, /TypeScriptError: .*Type 'string' is not assignable to type 'number'/);
    for (const name of ["process-exit", "out-of-memory"]) {
      assert.equal(by(name).exercises[0].status, "kernel-died", name);
      assert.match(by(name).problems[0], /o kernel morreu \(process\.exit, falta de memória/);
    }
  });

  it("in the sandbox, tampering with the hidden cases or another submission cannot reach them", () => {
    const s = by("tamper");
    assert.equal(s.points, 0);
    assert.equal(s.exercises[0].status, "error");
    assert.match(s.exercises[0].message, /ENOENT: no such file or directory, open '.*00-example\.ts'/);
    assert.equal(sha(path.join(dirs.hidden, "00-example.ts")), hiddenBefore);
  });

  it("every submission is graded and every original file is unchanged byte for byte", () => {
    assert.equal(report.submissions.length, Object.keys(files).length);
    for (const [file, hash] of hashesBefore) assert.equal(sha(file), hash, file);
    assert.ok(report.submissions.every((s) => s.originalUnchanged));
    const csv = fs.readFileSync(path.join(dirs.out, "grades.csv"), "utf8").trim().split("\n");
    assert.equal(csv.length, Object.keys(files).length + 1);
    assert.match(csv.find((l) => l.startsWith("solved,")) ?? "", /,00-example,graded,1,1,1,/);
    const json = JSON.parse(fs.readFileSync(path.join(dirs.out, "report.json"), "utf8")) as GradingReport;
    assert.equal(json.submissions.length, report.submissions.length);
    assert.match(fs.readFileSync(path.join(dirs.out, "answers.md"), "utf8"), /### solved\n\n\*\*Sua resposta:\*\*\nPorque x \+ x = 2x\./);
  });
});

describe("grader without the sandbox: the file guard", () => {
  it("tampering with the hidden cases or another submission is caught, undone and zeroed", async () => {
    const dirs = fixtureCourse();
    makeSubmissions(dirs.subs, { hiddenFile: path.join(dirs.hidden, "00-example.ts") }, ["tamper", "solved"]);
    const hiddenBefore = sha(path.join(dirs.hidden, "00-example.ts"));
    const report = await gradeAll([dirs.subs], options(dirs, { sandbox: false, jobs: 1 }));
    const s = rowOf(report, "tamper");
    assert.equal(s.points, 0);
    assert.equal(s.exercises[0].status, "tampered");
    assert.match(s.problems.join("\n"), new RegExp(`tentativa de alterar arquivos .*alterou ${path.join(dirs.hidden, "00-example.ts")}.*alterou ${path.join(dirs.subs, "solved.ipynb")}`));
    assert.equal(sha(path.join(dirs.hidden, "00-example.ts")), hiddenBefore);
    const kept = path.join(dirs.out, "tampered", "tamper", dirs.hidden, "00-example.ts");
    assert.equal(fs.readFileSync(kept, "utf8"), "export const hidden = {};\n", "the changed version is kept for review");
    fs.rmSync(dirs.base, { recursive: true, force: true });
  });
});

describe("npm run grade (command line)", () => {
  it("prints the table, writes the report and goes on after bad submissions", () => {
    const dirs = fixtureCourse();
    makeSubmissions(dirs.subs, { hiddenFile: path.join(dirs.hidden, "00-example.ts") }, ["malformed", "python", "deleted"]);
    const r = spawnSync(process.execPath, [...WITH_EXAMPLE_EXERCISE, path.join(root, "scripts", "grade.ts"), dirs.subs,
      "--solutions", dirs.solutions, "--hidden", dirs.hidden, "--out", dirs.out, "--no-guard", "--jobs", "2"], { encoding: "utf8", cwd: root });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /deleted\s+00-example\s+0\/1\s+example-double ∅ 0\/1/);
    assert.match(r.stdout, /malformed\s+—\s+rejeitado/);
    assert.match(r.stdout, /3 envio\(s\), 1 corrigido\(s\), 2 rejeitado\(s\)/);
    for (const f of ["report.json", "grades.csv", "details.csv", "answers.md", "manual-points.csv"]) assert.ok(fs.existsSync(path.join(dirs.out, f)), f);
    assert.doesNotMatch(r.stdout + r.stderr, /Hi, looks like you are running TensorFlow\.js/, "no tfjs banner in the instructor's terminal");
  });

  it("a wrong option exits 2 with the usage", () => {
    const run = (args: string[]): { status: number | null; err: string } => {
      const r = spawnSync(process.execPath, [...WITH_EXAMPLE_EXERCISE, path.join(root, "scripts", "grade.ts"), ...args], { encoding: "utf8", cwd: root });
      return { status: r.status, err: r.stderr };
    };
    const bad = run(["--frobnicate"]);
    assert.equal(bad.status, 2);
    assert.match(bad.err, /unknown argument --frobnicate\nusage: npm run grade/);
    for (const [args, said] of [[["turma/", "--jobs", "0"], /--jobs needs a positive whole number, got "0"/], [["turma/", "--runner", "jupyter"], /--runner is direct or kernel, got "jupyter"/],
      [["turma/", "--out"], /--out.*argument missing/], [["--merge"], /--merge needs the output folders of the shards/]] as const) {
      const r = run([...args]);
      assert.equal(r.status, 2, args.join(" "));
      assert.match(r.err, said);
      assert.match(r.err, /usage: npm run grade/);
    }
  });
});

describe("grader on a real lecture notebook", function () {
  const notebookId = ["02-filtros-convolucao", "00-boas-vindas"].find((id) => fs.existsSync(path.join(root, "solutions", `${id}.ipynb`)));

  it("gives the solution full marks and the student version zero", async function () {
    if (!notebookId) this.skip();
    const solutions = path.join(root, "solutions");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grader-real-"));
    const solved = readNotebook(path.join(solutions, `${notebookId}.ipynb`));
    fs.copyFileSync(path.join(solutions, `${notebookId}.ipynb`), path.join(dir, "solucao.ipynb"));
    fs.writeFileSync(path.join(dir, "aluno.ipynb"), JSON.stringify(studentNotebook(solved)));
    // The example: a convolve whose body calls the course's conv2d (the notebook does not import it: the cell does).
    const cheat = structuredClone(solved);
    const convolveCell = cheat.cells.find((c) => c.metadata.course?.role === "solution" && c.metadata.course.exercise === "convolve");
    if (notebookId === "02-filtros-convolucao" && convolveCell) {
      convolveCell.source = toSourceLines("import { conv2d } from \"cnn-course\";\n\nfunction convolve(image: number[][], kernel: number[][]): number[][] {\n  return conv2d(image, kernel);\n}");
      fs.writeFileSync(path.join(dir, "usa-conv2d.ipynb"), JSON.stringify(cheat));
    }
    // The shared course files are not guarded here: other work may add notebooks while the test runs.
    const report = await gradeAll([dir], { ...defaultGradeOptions(), outDir: path.join(dir, "out"), protect: [], guardCourseFiles: false, log });
    writeReport(report, path.join(dir, "out"));
    for (const line of formatTable(report).split("\n")) log(line);
    const [student, solution, usesReference] = report.submissions;
    assert.equal(solution.points, solution.maxPoints, JSON.stringify(solution.exercises.filter((e) => e.status !== "passed"), null, 1));
    assert.ok(solution.maxPoints > 0);
    assert.equal(student.points, 0);
    assert.ok(student.exercises.every((e) => e.status === "not-done"), JSON.stringify(student.exercises.map((e) => [e.exercise, e.status, e.message])));
    if (notebookId !== "02-filtros-convolucao") return;
    const convolve = usesReference.exercises.find((e) => e.exercise === "convolve");
    assert.deepEqual([convolve?.status, convolve?.points], ["reference", 0]);
    assert.match(convolve?.message ?? "", /^usa a implementação de referência do curso \(conv2d\)/);
    assert.equal(usesReference.points, solution.maxPoints - 2, "the other exercise keeps its points");
    const details = fs.readFileSync(path.join(dir, "out", "details.csv"), "utf8");
    assert.match(details, /usa-conv2d,02-filtros-convolucao,convolve,reference,0,2,.*,false,usa a implementação de referência do curso \(conv2d\)/);
  });
});
