// Deadlines: the time a file was handed in from the source the instructor names (file
// time, git commit, a date in the name), extensions, the penalty, and their effect on
// the gradebook and the feedback page (no kernel).
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DeadlineRules, lateness, readDeadlines, submittedAt } from "../../tools/grader/class/deadlines";
import { feedbackHtml } from "../../tools/grader/class/feedback";
import { gradebookRows } from "../../tools/grader/class/gradebook";
import type { GradingReport, SubmissionGrade } from "../../tools/grader/grader";

const NB = "02-filtros-convolucao";

function row(student: string, file: string, points: number): SubmissionGrade {
  return { student, file, sha256: "0", originalUnchanged: true, notebook: NB, status: "graded", problems: [], points, maxPoints: 3,
    exercises: [], answers: [], rounds: 1, retries: 0, seconds: 1, executed: null };
}

describe("grading deadlines (no kernel)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deadlines-"));
  const rules: DeadlineRules = { timestamp: "mtime", due: { [NB]: "2026-03-14T23:59:00Z" },
    extensions: { maria: { [NB]: "2026-03-20T23:59:00Z" } }, penalty: { perDayPercent: 10, maxPercent: 50, graceMinutes: 5 } };
  const file = (name: string, when: string): string => {
    const f = path.join(dir, name);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, "{}");
    fs.utimesSync(f, new Date(when), new Date(when));
    return f;
  };
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("penalty per day late, capped, after the grace minutes; extensions move the due date", () => {
    const onTime = row("joao/x", file("joao/a.ipynb", "2026-03-15T00:03:00Z"), 3); // within 5 min of grace
    const twoDays = row("joao/y", file("joao/b.ipynb", "2026-03-16T12:00:00Z"), 3);
    const tenDays = row("joao/z", file("joao/c.ipynb", "2026-03-25T00:00:00Z"), 3);
    const extended = row("maria/x", file("maria/a.ipynb", "2026-03-19T00:00:00Z"), 3);
    assert.equal(lateness(onTime, "joao", rules), null);
    assert.deepEqual(lateness(twoDays, "joao", rules)?.daysLate, 2);
    assert.equal(lateness(twoDays, "joao", rules)?.percent, 20);
    assert.equal(lateness(tenDays, "joao", rules)?.percent, 50);
    assert.equal(lateness(extended, "maria", rules), null);
    assert.equal(lateness(extended, "joao", rules)?.percent, 40); // without the extension: 4 days late
  });

  it("the time from a git commit or from the file's name", () => {
    const repo = path.join(dir, "clone");
    fs.mkdirSync(repo);
    const git = (...args: string[]): void => {
      const r = spawnSync("git", args, { cwd: repo, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_DATE: "2026-03-16T10:00:00Z", GIT_COMMITTER_DATE: "2026-03-16T10:00:00Z" } });
      assert.equal(r.status, 0, r.stderr);
    };
    git("init", "-q");
    fs.writeFileSync(path.join(repo, `${NB}.ipynb`), "{}");
    git("add", ".");
    git("-c", "user.name=aluno", "-c", "user.email=a@b", "commit", "-qm", "entrega");
    assert.equal(submittedAt(path.join(repo, `${NB}.ipynb`), "git")?.toISOString(), "2026-03-16T10:00:00.000Z");
    const named = submittedAt("/d/Maria_123_2026-03-15T08-30_02.ipynb", "name");
    assert.equal(named?.getFullYear(), 2026);
    assert.deepEqual([named?.getDate(), named?.getHours(), named?.getMinutes()], [15, 8, 30]);
    assert.equal(submittedAt("/d/sem-data.ipynb", "name"), null);
  });

  it("the gradebook and the feedback page apply and show the penalty", () => {
    const late = row("joao/02", file("joao/d.ipynb", "2026-03-16T12:00:00Z"), 3);
    const report: GradingReport = { generatedAt: "", seconds: 1, submissions: [late] };
    const lateOf = (r: SubmissionGrade, s: string) => lateness(r, s, rules);
    assert.equal(gradebookRows(report, {}, lateOf).rows[0].points, 2.4);
    const html = feedbackHtml("joao", [late], lateOf);
    assert.match(html, /2,4 de 3 pontos/);
    assert.match(html, /2 dia\(s\) de atraso, desconto de 20%/);
  });

  it("a bad deadlines file says what to fix", () => {
    const f = path.join(dir, "bad.json");
    fs.writeFileSync(f, JSON.stringify({ timestamp: "ctime", due: { [NB]: "amanhã" }, penalty: { perDayPercent: 10, maxPercent: 150 } }));
    assert.throws(() => readDeadlines(f), /"timestamp" is "mtime", "git" or "name"[\s\S]*"amanhã" is not a date[\s\S]*maxPercent from 0 to 100/);
  });
});
