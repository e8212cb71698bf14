// A class run of the grader on three fixture submissions: 3 shards merged give the
// rows of one run, --resume and --only keep earlier rows, Ctrl-C leaves a consistent
// report and no temporary folder, a hand-filled manual-points.csv is never overwritten.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isStudent, parseShard, prepareClassRun, shardOf, ClassFlags } from "../../tools/grader/class/run";
import { mergeShards } from "../../tools/grader/class/merge";
import { GradingKey, gradingKey, Journal, JOURNAL, readJournal } from "../../tools/grader/class/journal";
import { projectRoot } from "../../lib/common/config";
import { defaultGradeOptions, GradeOptions, gradeAll, GradingReport, SubmissionEntry } from "../../tools/grader/grader";
import { detailsCsv, gradesCsv, writeReport } from "../../tools/grader/report";
import { FIXTURE_HIDDEN, FIXTURE_SOLUTIONS, makeSubmissions } from "../fixtures/grading/make-submissions";
import "../fixtures/grading/example-exercise";

const NO_FLAGS: ClassFlags = { resume: false, only: null, shard: null };

/** grades.csv without the seconds column (the only thing two runs may differ in). */
function gradesWithoutTime(report: GradingReport): string {
  return gradesCsv(report).split("\n").map((l) => l.replace(/,[\d.]+$/, "")).join("\n");
}

describe("grader class runs (sandboxed, fixture course)", function () {
  this.timeout(1200000);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "grader-class-"));
  const subs = path.join(base, "subs");
  const tmp = path.join(base, "tmp");
  let previousTmp: string | undefined;
  let one: GradingReport;
  // Fixed for the whole test: a commit made while it runs must not change what --resume keeps.
  const key: GradingKey = gradingKey(FIXTURE_SOLUTIONS, FIXTURE_HIDDEN);

  const options = (out: string): GradeOptions => ({
    ...defaultGradeOptions(), solutionsDir: FIXTURE_SOLUTIONS, hiddenDir: FIXTURE_HIDDEN, outDir: path.join(base, out),
    protect: [], guardCourseFiles: false, cellTimeoutSec: 60, totalTimeoutSec: 300, maxMemoryMb: 512, jobs: 1, log: () => undefined,
  });
  const grade = async (out: string, flags: ClassFlags = NO_FLAGS, abort = new AbortController(), extra: Partial<GradeOptions> = {}): Promise<GradingReport> => {
    const run = prepareClassRun([subs], { ...options(out), ...extra }, flags, abort, key);
    const report = run.finish(await gradeAll([subs], { ...run.opts, onStart: extra.onStart, onGraded: (g, i, n) => { run.opts.onGraded?.(g, i, n); extra.onGraded?.(g, i, n); } }));
    writeReport(report, run.opts.outDir);
    return report;
  };

  before(async () => {
    // Every temporary folder the grader makes goes here, to see that none is left.
    previousTmp = process.env.TMPDIR;
    fs.mkdirSync(tmp);
    process.env.TMPDIR = tmp;
    makeSubmissions(subs, { hiddenFile: path.join(FIXTURE_HIDDEN, "00-example.ts") }, ["solved", "untouched", "partial"]);
    one = await grade("one");
  });
  after(() => {
    // Assigning undefined would store the string "undefined" (os.tmpdir() would then be "undefined").
    if (previousTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmp;
    fs.rmSync(base, { recursive: true, force: true });
  });

  it("slices by K/N and refuses bad slices", () => {
    assert.deepEqual(shardOf([0, 1, 2, 3, 4, 5, 6], parseShard("2/3")), [1, 4]);
    // One student's files stay in one slice (they share a runner process); students alternate.
    const files = ["ana/01", "ana/02", "bia/01", "caio/01", "bia/02", "caio/02", "davi/01"];
    const owner = (f: string): string => f.split("/")[0];
    assert.deepEqual(shardOf(files, parseShard("1/2"), owner), ["ana/01", "ana/02", "caio/01", "caio/02"]);
    assert.deepEqual(shardOf(files, parseShard("2/2"), owner), ["bia/01", "bia/02", "davi/01"]);
    assert.throws(() => parseShard("4/3"), /1 <= K <= N/);
    assert.throws(() => parseShard("a/3"), /K\/N/);
    assert.ok(isStudent("aluno-01/02-x", "aluno-01") && !isStudent("aluno-010/02-x", "aluno-01"));
  });

  it("--shard keeps each student's notebooks in one slice (a folder per student, or a name in a flat folder)", () => {
    const ids = ["02-filtros-convolucao", "05-pooling"];
    const entries: SubmissionEntry[] = [
      ...["ana", "bia", "caio"].flatMap((who) => ids.map((id) => ({ file: path.join(base, "turma", who, `${id}.ipynb`), student: `${who}/${id}`, root: null }))),
      ...ids.map((id) => ({ file: path.join(base, "plana", `davi_${id}.ipynb`), student: `davi_${id}`, root: null })),
      { file: path.join(base, "plana", "sem-id.ipynb"), student: "sem-id", root: null },
    ];
    const slice = (k: number): string[] => {
      const run = prepareClassRun([subs], { ...options(`slice-${k}`), solutionsDir: path.join(projectRoot(), "solutions") }, { ...NO_FLAGS, shard: { k, n: 2 } }, new AbortController(), key);
      return (run.opts.select?.(entries) ?? []).map((e) => e.student);
    };
    assert.deepEqual(slice(1), ["ana/02-filtros-convolucao", "ana/05-pooling", "caio/02-filtros-convolucao", "caio/05-pooling", "sem-id"]);
    assert.deepEqual(slice(2), ["bia/02-filtros-convolucao", "bia/05-pooling", "davi_02-filtros-convolucao", "davi_05-pooling"]);
  });

  it("grades the three submissions and journals each row", () => {
    assert.deepEqual(one.submissions.map((s) => s.student), ["partial", "solved", "untouched"]);
    const [partial, solved, untouched] = one.submissions;
    assert.ok(solved.points === solved.maxPoints && untouched.points === 0 && partial.points > 0 && partial.points < partial.maxPoints,
      JSON.stringify(one.submissions.map((s) => [s.student, s.points, s.problems])));
    assert.equal(readJournal(path.join(base, "one")).length, 3);
  });

  it("three shards merged give the rows of one run", async () => {
    const dirs: string[] = [];
    for (let k = 1; k <= 3; k++) {
      const shard = await grade(`shard-${k}`, { ...NO_FLAGS, shard: { k, n: 3 } });
      assert.equal(shard.submissions.length, 1);
      dirs.push(path.join(base, `shard-${k}`));
    }
    assert.throws(() => mergeShards(dirs.slice(0, 2), path.join(base, "merged")), /shard 3\/3 is missing/);
    const merged = mergeShards(dirs.reverse(), path.join(base, "merged"));
    assert.equal(gradesWithoutTime(merged), gradesWithoutTime(one));
    assert.equal(detailsCsv(merged), detailsCsv(one));
    assert.ok(merged.submissions.every((s) => s.executed && fs.existsSync(s.executed) && s.executed.startsWith(path.join(base, "merged"))));
  });

  it("a row is kept only for the same bytes, grader commit, hidden cases and notebooks", () => {
    const journal = new Journal(path.join(base, "one"), key, false);
    const row = one.submissions[1];
    assert.deepEqual(journal.reusable(row.student, row.sha256), readJournal(path.join(base, "one")).find((r) => r.grade.student === row.student)?.grade ?? null);
    assert.ok(journal.reusable(row.student, row.sha256));
    assert.equal(journal.reusable(row.student, "another sha256"), null);
    for (const changed of [{ graderCommit: "other" }, { hidden: "other" }, { solutions: "other" }]) {
      assert.equal(new Journal(path.join(base, "one"), { ...key, ...changed }, false).reusable(row.student, row.sha256), null);
    }
  });

  it("--resume takes the rows again; a changed file is graded again", async () => {
    const file = path.join(subs, "untouched.ipynb");
    const again = await grade("one", { ...NO_FLAGS, resume: true });
    assert.deepEqual(again.submissions.map((s) => s.seconds), one.submissions.map((s) => s.seconds));
    fs.appendFileSync(file, "\n");
    const changed = await grade("one", { ...NO_FLAGS, resume: true });
    const moved = changed.submissions.filter((s, i) => s.seconds !== one.submissions[i].seconds).map((s) => s.student);
    assert.deepEqual(moved, ["untouched"]);
    assert.equal(gradesWithoutTime(changed), gradesWithoutTime(one));
  });

  it("--only regrades one student into the existing report", async () => {
    const before = readJournal(path.join(base, "one"));
    const only = await grade("one", { ...NO_FLAGS, only: "partial" });
    const after = new Map(readJournal(path.join(base, "one")).map((r) => [r.grade.student, r.grade.seconds]));
    assert.deepEqual(only.submissions.map((s) => s.student), ["partial", "solved", "untouched"]);
    for (const row of before.filter((r) => r.grade.student !== "partial")) assert.equal(after.get(row.grade.student), row.grade.seconds);
    assert.equal(only.submissions[0].points, one.submissions[0].points);
  });

  it("Ctrl-C during a run: only finished rows, marked interrupted, no temporary folder left", async () => {
    const abort = new AbortController();
    const report = await grade("cut", NO_FLAGS, abort, {
      // Stop while the second submission's kernel runs.
      onStart: (_student, index) => { if (index === 1) setTimeout(() => abort.abort(), 1500); },
    });
    assert.equal(report.interrupted, true);
    assert.deepEqual(report.submissions.map((s) => s.student), ["partial"]);
    assert.equal(readJournal(path.join(base, "cut")).length, 1);
    assert.deepEqual(fs.readdirSync(tmp).filter((n) => /^(cnn-grade-|nbexec-)/.test(n)), []);
    const resumed = await grade("cut", { ...NO_FLAGS, resume: true });
    assert.equal(gradesWithoutTime(resumed), gradesWithoutTime(one));
  });

  it("never overwrites a manual-points.csv with points given by hand", () => {
    const file = path.join(base, "one", "manual-points.csv");
    const filled = fs.readFileSync(file, "utf8").replace(/example-why,1,,/, "example-why,1,1,boa resposta");
    assert.notEqual(filled, fs.readFileSync(file, "utf8"));
    fs.writeFileSync(file, filled);
    writeReport(one, path.join(base, "one"));
    assert.equal(fs.readFileSync(file, "utf8"), filled);
    assert.ok(fs.existsSync(path.join(base, "one", "manual-points.new.csv")));
    assert.ok(fs.existsSync(path.join(base, "one", JOURNAL)));
  });
});
