// The grader's sandbox (bubblewrap) against hostile submissions: each one is graded on
// its own row, changes nothing outside its folder and does not stop the others. Also the
// refusal to grade without bubblewrap, and --no-sandbox's warning.
import { strict as assert } from "assert";
import { rowOf } from "../helpers/grading";
import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { isCI, projectRoot } from "../../lib/common/config";
import { defaultGradeOptions, gradeAll, GradingReport, SubmissionGrade } from "../../tools/grader/grader";
import { formatTable } from "../../tools/grader/report";
import { sandboxProblem } from "../../tools/grader/sandbox";
import { WITH_EXAMPLE_EXERCISE } from "../fixtures/grading/example-exercise";
import { FIXTURE_HIDDEN, FIXTURE_SOLUTIONS, HostileTargets, makeHostileSubmissions, makeSubmissions } from "../fixtures/grading/make-submissions";

const root = projectRoot();
const log = (line: string): void => console.log(`      ${line}`);
const sha = (file: string): string => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

/** Host processes whose command line contains `marker`. */
function processesWith(marker: string): string[] {
  return fs.readdirSync("/proc").filter((n) => /^\d+$/.test(n)).flatMap((pid) => {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      return cmd.includes(marker) ? [`${pid}: ${cmd}`] : [];
    } catch {
      return [];
    }
  });
}

/** Files named `name` under `dir` (a few levels down). */
function findFiles(dir: string, name: string, depth = 3): string[] {
  if (depth < 0) return [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => e.isDirectory() ? findFiles(path.join(dir, e.name), name, depth - 1) : e.name === name ? [path.join(dir, e.name)] : []);
}

describe("grader sandbox: hostile submissions (bubblewrap)", function () {
  const problem = sandboxProblem();
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "grader-hostile-"));
  const course = { solutions: path.join(base, "solutions"), hidden: path.join(base, "hidden"), subs: path.join(base, "subs"), home: path.join(base, "home") };
  const marker = `${600 + crypto.randomInt(300)}.${crypto.randomInt(1e6)}`;
  const dist = path.join(root, "lib", "dist", "index.js");
  let report: GradingReport;
  let hits = 0;
  let server: http.Server;
  let targets: HostileTargets;
  const leftovers = new Map<string, string[]>();
  const hashes = new Map<string, string>();
  const oldHome = process.env.HOME;
  const by = (name: string): SubmissionGrade => rowOf(report, name);

  before(async function () {
    if (problem) {
      if (isCI()) throw new Error(`CI must grade in the sandbox: ${problem}`);
      this.skip();
    }
    fs.cpSync(FIXTURE_SOLUTIONS, course.solutions, { recursive: true });
    fs.cpSync(FIXTURE_HIDDEN, course.hidden, { recursive: true });
    fs.mkdirSync(course.home);
    fs.writeFileSync(path.join(course.home, ".bashrc"), "# the instructor's own\n");
    process.env.HOME = course.home;
    server = http.createServer((_req, res) => { hits++; res.end("ok"); });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    targets = {
      secrets: [path.join(root, "tools", "grader", "hidden"), path.join(root, "solutions"), course.hidden, course.solutions],
      writes: [path.join(course.home, ".bashrc"), path.join(root, "lib", "dist", "aluno.js")], append: dist,
      port: (server.address() as { port: number }).port, lateFile: path.join(base, "tarde.txt"), sleepMarker: marker,
    };
    const files = { ...makeHostileSubmissions(course.subs, targets), ...makeSubmissions(course.subs, { hiddenFile: path.join(course.hidden, "00-example.ts") }, ["solved"]) };
    for (const f of [...Object.values(files), dist, path.join(course.home, ".bashrc"), path.join(course.hidden, "00-example.ts"), path.join(course.solutions, "00-example.ipynb")]) hashes.set(f, sha(f));
    report = await gradeAll([course.subs], { ...defaultGradeOptions(), solutionsDir: course.solutions, hiddenDir: course.hidden, outDir: path.join(base, "out"),
      protect: [], cellTimeoutSec: 60, totalTimeoutSec: 240, maxMemoryMb: 256, diskMb: 64, maxProcesses: 128, jobs: 2, sandbox: true, log,
      onGraded: (g) => leftovers.set(g.student, processesWith(marker)) });
    log(`graded ${report.submissions.length} submissions in ${report.seconds.toFixed(1)} s (2 jobs, sandboxed)`);
    for (const line of formatTable(report).split("\n")) log(line);
  });

  after(() => {
    process.env.HOME = oldHome;
    server?.close();
    fs.rmSync(base, { recursive: true, force: true });
  });

  it("every submission has its row and the honest one still gets full marks", () => {
    assert.deepEqual(report.submissions.map((s) => s.student).sort(),
      ["bomba-de-processos", "come-memoria", "enche-o-disco", "escreve-fora", "filho-destacado", "le-segredos", "rede", "solved"]);
    assert.equal(by("solved").points, 1);
    assert.ok(report.submissions.every((s) => s.status === "graded"), JSON.stringify(report.submissions.map((s) => [s.student, s.status, s.problems])));
  });

  it("cannot read the hidden cases or the solutions", () => {
    const s = by("le-segredos");
    const msg = s.exercises[0].message;
    for (const p of targets.secrets) assert.match(msg, new RegExp(`${p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: ENOENT`), msg);
    const executed = fs.readFileSync(s.executed ?? "", "utf8");
    assert.ok(!executed.includes("export const hidden") && !executed.includes("BEGIN SOLUTION"), "nothing secret printed");
  });

  it("cannot write in the home or in lib/dist", () => {
    const msg = by("escreve-fora").exercises[0].message;
    for (const p of targets.writes) assert.match(msg, new RegExp(`${p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: (EROFS|ENOENT|EACCES)`), msg);
    assert.match(msg, /append: (EROFS|ENOENT|EACCES)/);
    assert.equal(sha(path.join(course.home, ".bashrc")), hashes.get(path.join(course.home, ".bashrc")));
    assert.equal(sha(dist), hashes.get(dist));
    assert.ok(!fs.existsSync(path.join(root, "lib", "dist", "aluno.js")));
  });

  it("has no network: the server on 127.0.0.1 gets no request", () => {
    assert.match(by("rede").exercises[0].message, /rede: (ECONNREFUSED|ENETUNREACH)/);
    assert.equal(hits, 0);
  });

  it("nothing outlives the kernel: no detached child, no late file, no leftover of the fork loop", () => {
    assert.deepEqual(leftovers.get("filho-destacado"), [], "the detached child died with the sandbox");
    assert.deepEqual(leftovers.get("bomba-de-processos"), []);
    assert.deepEqual(processesWith(marker), []);
    assert.ok(!fs.existsSync(targets.lateFile), "the detached child never wrote its file");
  });

  it("the fork loop hits the process limit, memory and disk hogs stop, each on its own row", () => {
    const bomb = by("bomba-de-processos").exercises[0];
    assert.match(bomb.message, /processos: \d+ criados, [1-9]\d* recusados \(EAGAIN\)/, bomb.message);
    for (const name of ["come-memoria", "enche-o-disco"]) {
      const e = by(name).exercises[0];
      assert.ok(["error", "kernel-died"].includes(e.status), `${name}: ${e.status} ${e.message}`);
      assert.equal(e.points, 0);
    }
    const disk = by("enche-o-disco").exercises[0];
    if (disk.status === "error") assert.match(disk.message, /disco: .*(ENOSPC|EFBIG)/);
    assert.deepEqual(findFiles(os.tmpdir(), "enorme.bin"), [], "nothing written on the host's disk");
  });

  it("changes nothing outside its folder: submissions, course copy, home and lib/dist byte for byte", () => {
    for (const [file, hash] of hashes) assert.equal(sha(file), hash, file);
  });
});

describe("npm run grade: refusal without bubblewrap, --no-sandbox", () => {
  const dirs = (): { subs: string; out: string } => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grader-nosandbox-"));
    makeSubmissions(path.join(dir, "subs"), { hiddenFile: path.join(dir, "h.ts") }, ["malformed", "deleted"]);
    return { subs: path.join(dir, "subs"), out: path.join(dir, "out") };
  };
  const grade = (args: string[], env: NodeJS.ProcessEnv = process.env): ReturnType<typeof spawnSync> =>
    spawnSync(process.execPath, [...WITH_EXAMPLE_EXERCISE, path.join(root, "scripts", "grade.ts"), ...args, "--solutions", FIXTURE_SOLUTIONS, "--hidden", FIXTURE_HIDDEN, "--no-guard"],
      { encoding: "utf8", cwd: root, env });

  it("refuses to start when bwrap is missing, saying what to install", () => {
    const { subs, out } = dirs();
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "no-bwrap-"));
    const r = grade([subs, "--out", out], { ...process.env, PATH: bin });
    assert.equal(r.status, 2, String(r.stderr));
    assert.match(String(r.stderr), /bwrap is not installed[\s\S]*apt-get install bubblewrap[\s\S]*--no-sandbox/);
    assert.ok(!fs.existsSync(path.join(out, "report.json")));
  });

  it("--no-sandbox grades anyway and warns", () => {
    const { subs, out } = dirs();
    const r = grade([subs, "--out", out, "--no-sandbox"]);
    assert.equal(r.status, 0, String(r.stderr));
    assert.match(String(r.stdout), /WARNING: --no-sandbox: student code runs with your permissions/);
    assert.match(String(r.stdout), /2 envio\(s\), 1 corrigido\(s\), 1 rejeitado\(s\)/);
  });
});
