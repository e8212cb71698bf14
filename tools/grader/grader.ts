// The instructor grader: each submission runs on a copy, in a fresh tslab kernel in
// a temporary folder, with per-cell and total timeouts and a memory cap; its outputs
// are judged here, outside the kernel. A bad submission gets a clear line and the
// next one is graded.
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../../lib/common/config";
import { sha256, sha256File } from "../common/hash";
import type { CaseInput } from "../../lib/check/case-outputs";
import { errorText } from "../../lib/check/check";
import { createProgress } from "../../lib/view/progress";
import { callsInitEngine, CellSession, executeDirect } from "../notebooks/direct";
import { executeNotebook, ExecuteOptions, ExecutionResult } from "../notebooks/execute";
import { Notebook, NotebookFormatError, readNotebook, sourceText, validateNotebook } from "../notebooks/format";
import { assembleGradingNotebook, AssembledNotebook, CourseSource, identifySource, loadCourseSources } from "./assemble";
import type { ShardInfo } from "./class/merge";
import { studentGroups } from "./fast/per-student";
import { skippedAtGrading, withoutSkipped } from "./fast/skip";
import { FileGuard, hasChanges } from "./guard";
import { defaultHiddenDir, loadHiddenCases } from "./hidden-cases";
import { QuestionInfo, questionsOf } from "./manual";
import { sandboxAccessProblem, sandboxLaunch, sandboxProblem, SandboxSpec, writeKernelSpec } from "./sandbox";
import { AnswerGrade, collectAnswers, ExerciseGrade, GradedCase, gradeExercises } from "./judge";
import { courseFileHashes, readNoFollow, submissionPathProblem } from "./integrity/files";
import { buildIntegrityReport, IntegrityReport } from "./integrity/report";
import { graderProvenance, GraderProvenance } from "./integrity/provenance";

export interface GradeOptions {
  solutionsDir: string;
  hiddenDir: string;
  /** Where report.json, grades.csv, details.csv, answers.md and executed/ go. */
  outDir: string;
  cellTimeoutSec: number;
  totalTimeoutSec: number;
  /** V8 heap cap of the student's kernel (NODE_OPTIONS=--max-old-space-size). */
  maxMemoryMb: number;
  /** Files and folders whose change by student code is reported (and undone), besides the submissions. */
  protect: string[];
  /** Also guard solutionsDir and hiddenDir (default true; off when others edit the course while grading). */
  guardCourseFiles: boolean;
  /** Run each kernel in the bubblewrap sandbox (default true; `--no-sandbox` turns it off, with a warning). */
  sandbox: boolean;
  /** Submissions graded at once (default: the number of cores; 1 without the sandbox). */
  jobs: number;
  /** Processes and threads a sandboxed kernel may add (fork bombs stop there). */
  maxProcesses: number;
  /** Size of a sandboxed kernel's folder and of its /tmp (each), and its largest file. */
  diskMb: number;
  /** "kernel": Jupyter and the tslab kernel (nbexec.py); "direct": tslab's compiler and executor in one Node process (direct.ts). */
  runner: "kernel" | "direct";
  /**
   * The direct runner's processes: "student" (default) runs one student's notebooks one after the other in
   * one process, reset between them (fast/per-student.ts, cellreset.ts); "submission" starts one per submission.
   */
  processPer: "student" | "submission";
  /** Run only the cells grading needs (the course cells marked `"grading": "skip"` are left out; authoring.md). */
  skipMarked: boolean;
  /** Narrows the submissions found (`--shard`, `--only`); default: all of them. */
  select?: (entries: SubmissionEntry[]) => SubmissionEntry[];
  /** An earlier row to keep instead of grading again (`--resume`, `--only`); null grades the submission. */
  reuse?: (entry: SubmissionEntry, sha256: string) => SubmissionGrade | null;
  /** Aborted on Ctrl-C: running kernels are killed, no new submission starts and unfinished rows are dropped. */
  signal?: AbortSignal;
  log: (line: string) => void;
  /** Called before and after each submission (progress). */
  onStart?: (student: string, index: number, total: number) => void;
  onGraded?: (grade: SubmissionGrade, index: number, total: number) => void;
}

export function defaultGradeOptions(): GradeOptions {
  const root = projectRoot();
  return {
    solutionsDir: path.join(root, "solutions"), hiddenDir: defaultHiddenDir(), outDir: path.join(root, ".cache", "grades"),
    cellTimeoutSec: 120, totalTimeoutSec: 900, maxMemoryMb: 3072, guardCourseFiles: true,
    sandbox: true, jobs: Math.max(1, os.cpus().length), maxProcesses: 256, diskMb: 512, runner: "direct", processPer: "student", skipMarked: true,
    // The kernel loads lib/dist; the grader's own code and hidden cases live in tools/.
    protect: [path.join(root, "tools"), path.join(root, "scripts", "grade.ts"), path.join(root, "lib", "dist")],
    log: (l) => console.log(l),
  };
}

export type SubmissionStatus = "graded" | "rejected" | "failed";

export interface SubmissionGrade {
  student: string;
  file: string;
  sha256: string;
  /** The original file has the same bytes after grading. */
  originalUnchanged: boolean;
  notebook: string | null;
  status: SubmissionStatus;
  /** Clear lines (Portuguese): why it was rejected, timeouts, dead kernel, tampering. */
  problems: string[];
  points: number;
  maxPoints: number;
  exercises: ExerciseGrade[];
  answers: AnswerGrade[];
  rounds: number;
  /** Runs repeated because of the grader's side (kernel start, the first import timing out). */
  retries: number;
  seconds: number;
  /** The executed grading notebook, for the instructor to read. */
  executed: string | null;
  /** Portuguese: file-level integrity flags (refused path, same bytes as a solution). */
  integrity?: string[];
  /** Direct runner: why a new runner process was started for this submission ("first": the student's first; absent: it shared one). */
  runnerStarts?: string[];
}

export interface GradingReport {
  generatedAt: string;
  seconds: number;
  submissions: SubmissionGrade[];
  /** The hand-graded questions of the notebooks graded (for answers.md). */
  questions?: QuestionInfo[];
  /** Stopped by Ctrl-C: the rows are those finished before. */
  interrupted?: boolean;
  /** A `--shard K/N` run: which slice, and where each row sits in the whole class (for `--merge`). */
  shard?: ShardInfo;
  /** With `--roster`: roster ids with no file, and files no roster line (or several) matched. */
  roster?: { missing: string[]; unmatched: string[]; ambiguous: string[] };
  /** What graded it: the grader's commit, the hidden cases' hashes, the options. */
  grader?: GraderProvenance;
  /** Refused files, copies of a solution, exercises to review, similar pairs (integrity.md). */
  integrity?: IntegrityReport;
}

/** A submission to grade: the file, the student's name, and the folder it was found in (null: given alone). */
export interface SubmissionEntry { file: string; student: string; root?: string | null }

/**
 * The .ipynb files of a file or folder argument (folders recursively, checkpoints skipped), with a
 * student name. Symbolic links are listed, not followed: grading refuses them with the reason.
 */
export function listSubmissions(target: string): SubmissionEntry[] {
  const abs = path.resolve(target);
  if (!fs.existsSync(abs) && !fs.lstatSync(abs, { throwIfNoEntry: false })) throw new Error(`não existe: ${target}`);
  const top = fs.lstatSync(abs);
  if (top.isFile() || top.isSymbolicLink()) return [{ file: abs, student: path.basename(abs).replace(/\.ipynb$/i, ""), root: null }];
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      if (name.startsWith(".") || name === "node_modules") continue;
      const p = path.join(dir, name);
      const stat = fs.lstatSync(p);
      if (stat.isDirectory()) walk(p);
      else if (stat.isSymbolicLink() || name.toLowerCase().endsWith(".ipynb")) found.push(p);
    }
  };
  walk(abs);
  return found.map((file) => ({ file, student: path.relative(abs, file).replace(/\.ipynb$/i, ""), root: abs }));
}

/** Parses a submission's bytes; a Portuguese reason when it is not a tslab notebook. */
export function readSubmission(bytes: Buffer, file: string): { nb: Notebook } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch (err) {
    return { problem: `arquivo ilegível: JSON malformado (${(err as Error).message.slice(0, 120)}); não é um notebook que o Jupyter abra` };
  }
  let nb: Notebook;
  try {
    nb = validateNotebook(value, path.basename(file));
  } catch (err) {
    const detail = err instanceof NotebookFormatError ? err.message.replace(/^.*not a valid Jupyter notebook: /, "") : errorText(err);
    return { problem: `não é um notebook Jupyter válido (${detail})` };
  }
  const kernel = nb.metadata.kernelspec?.name ?? null;
  const language = nb.metadata.kernelspec?.language ?? nb.metadata.language_info?.name ?? null;
  if ((kernel && kernel !== "tslab") || (!kernel && language && !/typescript/i.test(language))) {
    return { problem: `notebook de outro kernel ("${kernel ?? language}"): este curso usa o kernel TypeScript (tslab); abra o notebook do curso e refaça os exercícios nele` };
  }
  return { nb };
}

/** The public and hidden cases of a notebook's exercises (expected values computed once, before any student code runs). */
export function courseCases(source: CourseSource, hiddenDir: string): Map<string, GradedCase[]> {
  const hidden = loadHiddenCases(source.id, hiddenDir);
  const cases = new Map<string, GradedCase[]>();
  for (const ex of source.exercises) {
    cases.set(ex.id, [...ex.cases().map((c) => ({ ...c, hidden: false })), ...(hidden[ex.id] ?? []).map((c) => ({ ...c, hidden: true }))]);
  }
  return cases;
}

function caseInputs(cases: Map<string, GradedCase[]>): Map<string, CaseInput[]> {
  return new Map([...cases].map(([id, list]) => [id, list.map((c) => ({ name: c.name, args: c.args, input: c.input }))]));
}

/** A startup error's meaningful lines (never only the first: bwrap's reason comes after the runner's line). */
export function startupLines(error: string): string {
  const lines = error.split("\n").map((l) => l.trim()).filter((l) => l && !/^\s*(Traceback|File ")/.test(l));
  return lines.slice(0, 12).join(" | ");
}

/** The exercise to blame for a cell that hung or killed the kernel (null: a course cell nobody owns). */
function blamedExercise(assembled: AssembledNotebook, cellIndex: number | null): string | null {
  if (cellIndex === null) return null;
  const owner = assembled.owners[cellIndex];
  if (!owner || owner.kind === "preamble") return null;
  return owner.exercise;
}

/** The result of a run that did not happen (nothing of the student's to execute). */
const NOT_EXECUTED: ExecutionResult = { ok: true, output: "", errors: [], timedOut: null, kernelDied: null, startupError: null, cellsRun: 0, cellSeconds: [], seconds: 0 };

interface RunContext {
  opts: GradeOptions;
  sources: Map<string, CourseSource>;
  cases: Map<string, Map<string, GradedCase[]>>;
  /** Off in the sandbox (student code cannot reach the course files there). */
  guard: FileGuard | null;
  /** sha256 -> solution file, to flag a submission that is a solution's copy. */
  solutionHashes?: Map<string, string>;
}

interface Workspace { dir: string; kernelDir: string; nbDir: string }

/**
 * A private folder: the kernel's cwd (with node_modules linked so `cnn-course` resolves) and the notebooks.
 * The sandbox mounts `dir`; the direct runner's grading notebooks go to a folder beside it that the
 * sandbox does not mount (the runner gets them cell by cell), the kernel's must be read by nbexec.py inside.
 */
function makeWorkspace(sandboxed: boolean, runner: GradeOptions["runner"]): Workspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cnn-grade-"));
  const kernelDir = path.join(dir, "kernel");
  const nbDir = runner === "direct" ? `${dir}-nb` : path.join(dir, "nb");
  fs.mkdirSync(kernelDir);
  fs.mkdirSync(nbDir);
  // Sandboxed, the kernel folder is a fresh tmpfs (the link is made inside); graded as root,
  // the sandbox runs as `nobody`, which must read the grading notebook.
  if (sandboxed) fs.chmodSync(dir, 0o755);
  else fs.symlinkSync(path.join(projectRoot(), "node_modules"), path.join(kernelDir, "node_modules"), "dir");
  return { dir, kernelDir, nbDir };
}

function removeWorkspace(ws: Workspace): void {
  fs.rmSync(ws.dir, { recursive: true, force: true });
  fs.rmSync(ws.nbDir, { recursive: true, force: true });
}

/** One student's workspace and, with the direct runner, the runner process their notebooks share. */
interface StudentRun { ws: Workspace; session: CellSession | null }

function startStudentRun(opts: GradeOptions): StudentRun {
  const ws = makeWorkspace(opts.sandbox, opts.runner);
  if (opts.runner !== "direct") return { ws, session: null };
  const exec = executionOptions(opts, ws, opts.cellTimeoutSec);
  // Emptied between notebooks: the kernel folder, and in the sandbox its private /tmp (HOME is a folder in it;
  // the folders the sandbox mounts below /tmp stay).
  const mounted = [ws.dir, projectRoot(), ...dataFolders()].filter((p) => p.startsWith("/tmp/")).map((p) => p.split("/")[2]);
  const scratch = [{ dir: ws.kernelDir, keep: ["node_modules"] },
    ...(opts.sandbox ? [{ dir: "/tmp", keep: ["home", ...mounted] }, { dir: "/tmp/home", keep: [] }] : [])];
  const session = new CellSession({ launch: exec.launch, env: exec.env, cwd: ws.kernelDir, runnerDir: path.join(ws.dir, "runner"),
    scratch, maxRssMb: Math.floor(opts.maxMemoryMb * 0.75), sandboxed: opts.sandbox, signal: opts.signal });
  return { ws, session };
}

async function endStudentRun(run: StudentRun): Promise<void> {
  try {
    await run.session?.close();
  } finally {
    removeWorkspace(run.ws);
  }
}

/**
 * The course cell that calls initEngine() before any student code runs (its index), or null: after it,
 * the notebook is in the state every notebook that starts the engine starts from (cellrun.ts).
 */
export function engineCellOf(assembled: AssembledNotebook): number | null {
  for (let i = 0; i < assembled.nb.cells.length; i++) {
    const owner = assembled.owners[i];
    const cell = assembled.nb.cells[i];
    if (cell.cell_type !== "code" || owner?.kind === "preamble") continue;
    if (owner?.kind !== "course" || owner.exercise !== null) return null;
    if (callsInitEngine(sourceText(cell))) return i;
  }
  return null;
}

/** Environment of the student's kernel: limits, grading flags, and the course settings the notebooks read. */
function kernelEnv(opts: GradeOptions): Record<string, string> {
  const env: Record<string, string> = { NODE_OPTIONS: `--max-old-space-size=${opts.maxMemoryMb}`, CNN_COURSE_GRADING: "1", CNN_COURSE_PROGRESS: "0" };
  for (const name of ["CNN_COURSE_DATA", "CNN_COURSE_PRESET", "CNN_COURSE_BACKEND"]) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  return env;
}

/** Host folders with data the kernels read (mounted read-only in the sandbox). */
function dataFolders(): string[] {
  return process.env.CNN_COURSE_DATA ? [path.resolve(process.env.CNN_COURSE_DATA)] : [];
}

/** How to run one grading notebook: in the sandbox (default) or as a plain child process. */
function executionOptions(opts: GradeOptions, ws: Workspace, cellTimeoutSec: number): ExecuteOptions {
  const base: ExecuteOptions = { cwd: ws.kernelDir, cellTimeoutSec, totalTimeoutSec: opts.totalTimeoutSec, allowErrors: true, env: kernelEnv(opts), signal: opts.signal };
  if (!opts.sandbox) return base;
  const spec: SandboxSpec = {
    root: projectRoot(), workspace: ws.dir, kernelDir: ws.kernelDir, kernelName: "tslab-grader-sandbox",
    // The data segment holds the V8 heap and native buffers (tfjs, wasm): the heap cap plus 1 GiB.
    maxMemoryMb: opts.maxMemoryMb + 1024, maxProcesses: opts.maxProcesses, diskMb: opts.diskMb,
    env: kernelEnv(opts), readOnly: dataFolders(),
  };
  writeKernelSpec(spec);
  return { ...base, kernel: spec.kernelName, launch: sandboxLaunch(spec) };
}

function stopDescription(result: ExecutionResult): { status: "timeout" | "kernel-died"; cell: number | null; message: string } | null {
  if (result.timedOut) {
    const t = result.timedOut;
    return { status: "timeout", cell: t.cellIndex, message: t.kind === "cell"
      ? `tempo esgotado: uma célula passou de ${t.seconds} s (laço infinito?)`
      : `tempo total esgotado (${t.seconds} s)` };
  }
  if (result.kernelDied) {
    return { status: "kernel-died", cell: result.kernelDied.cellIndex,
      message: "o kernel morreu (process.exit, falta de memória ou falha do Node)" };
  }
  return null;
}

async function runSubmission(entry: { file: string; student: string }, bytes: Buffer, nb: Notebook, source: CourseSource,
  ctx: RunContext, grade: SubmissionGrade, run: StudentRun): Promise<void> {
  const { opts } = ctx;
  const cases = ctx.cases.get(source.id) ?? new Map<string, GradedCase[]>();
  const inputs = caseInputs(cases);
  const { ws, session } = run;
  const startsBefore = session?.starts.length ?? 0;
  const withheld = new Map<string, { status: "timeout" | "kernel-died"; message: string }>();
  let cellTimeoutSec = opts.cellTimeoutSec;
  try {
    fs.writeFileSync(path.join(ws.dir, "submission.ipynb"), bytes);
    for (;;) {
      const nonce = randomBytes(12).toString("hex");
      const reasons = new Map([...withheld].map(([id, w]) => [id, w.message]));
      const whole = assembleGradingNotebook(source, nb, inputs, nonce, reasons);
      const assembled = opts.skipMarked ? withoutSkipped(whole) : whole;
      // Nothing of the student's left to run (every exercise missing or withheld): no kernel needed.
      const runnable = source.exercises.filter((e) => !["missing", "withheld"].includes(assembled.found.get(e.id)?.how ?? "missing"));
      if (runnable.length === 0) {
        grade.exercises = gradeExercises({ source, assembled, executed: assembled.nb, result: NOT_EXECUTED, nonce, cases, withheld });
        return;
      }
      grade.rounds++;
      const input = path.join(ws.nbDir, "grading.ipynb");
      const output = path.join(ws.nbDir, "executed.ipynb");
      fs.writeFileSync(input, JSON.stringify(assembled.nb), { mode: 0o644 });
      const exec = executionOptions(opts, ws, cellTimeoutSec);
      const result = session ? await executeDirect(input, output, { ...exec, session, engineCell: engineCellOf(assembled) }) : await executeNotebook(input, output, exec);
      const stop = stopDescription(result);
      const blamed = stop ? blamedExercise(assembled, stop.cell) : null;
      // A kernel that did not start, or a stop in a cell no student code runs in (the first
      // import on a loaded machine): the grader's problem, so one more try with twice the time.
      if ((result.startupError || (stop && !blamed && result.timedOut?.kind !== "total")) && grade.retries < 1) {
        grade.retries++;
        cellTimeoutSec *= 2;
        continue;
      }
      if (result.startupError) {
        grade.status = "failed";
        grade.problems.push(`não consegui executar o notebook (problema do corretor, não do aluno: confira \`npm run kernel\`): ${startupLines(result.startupError)}`);
        return;
      }
      // A total timeout, or a stop in a cell that runs no student code, is the grader's trouble
      // (a loaded machine): the row fails for a regrade (--only-failed), no exercise is blamed or zeroed.
      if (stop && (!blamed || result.timedOut?.kind === "total")) {
        failForGrader(grade, `${stop.message}${blamed ? "" : ` na célula ${String(stop.cell)}, que não roda código do aluno`}`);
        return;
      }
      if (stop && blamed && !withheld.has(blamed)) {
        withheld.set(blamed, { status: stop.status, message: `${stop.message} ao rodar este exercício` });
        // Exercises after the stop never ran: grade them again in a fresh kernel with the stub in place of this one.
        const stopCell = stop.cell ?? 0;
        const later = runnable.filter((e) => !withheld.has(e.id) && (assembled.graderCells.get(e.id) ?? 0) > stopCell);
        grade.problems.push(`${stop.message} no exercício "${blamed}" (célula ${stopCell})` + (later.length ? "; o resto foi corrigido sem ele" : ""));
        if (later.length) continue;
      }
      const executed = fs.existsSync(output) ? readNotebook(output) : assembled.nb;
      grade.exercises = gradeExercises({ source, assembled, executed, result, nonce, cases, withheld });
      const keep = path.join(opts.outDir, "executed", `${entry.student.replace(/[\\/]/g, "__")}.ipynb`);
      fs.mkdirSync(path.dirname(keep), { recursive: true });
      fs.copyFileSync(fs.existsSync(output) ? output : input, keep);
      grade.executed = keep;
      return;
    }
  } finally {
    const started = session?.starts.slice(startsBefore) ?? [];
    if (started.length) grade.runnerStarts = started;
    for (const f of ["submission.ipynb", "grading.ipynb", "executed.ipynb"]) fs.rmSync(path.join(f === "submission.ipynb" ? ws.dir : ws.nbDir, f), { force: true });
  }
}

/** The row of a stop the grader caused: "falhou (corretor)", no exercise zeroed, to grade again. */
function failForGrader(grade: SubmissionGrade, what: string): void {
  grade.status = "failed";
  grade.exercises = [];
  grade.problems.push(`falhou (corretor): ${what}; nenhum exercício foi zerado: corrija de novo só as linhas que falharam ` +
    "(npm run grade -- --only-failed <saída>/report.json, com mais tempo ou menos --jobs)");
}

/** Grades one submission (never throws: every problem becomes a line of its report); `run`: the student's runner, else one of its own. */
export async function gradeSubmission(entry: SubmissionEntry, ctx: RunContext, run?: StudentRun): Promise<SubmissionGrade> {
  const started = Date.now();
  const grade: SubmissionGrade = {
    student: entry.student, file: entry.file, sha256: "", originalUnchanged: true, notebook: null,
    status: "graded", problems: [], points: 0, maxPoints: 0, exercises: [], answers: [], rounds: 0, retries: 0, seconds: 0, executed: null,
  };
  const refused = submissionPathProblem(entry.file, entry.root ?? null);
  if (refused) {
    Object.assign(grade, { status: "rejected", problems: [refused], integrity: [refused] });
    return grade;
  }
  const bytes = readNoFollow(entry.file);
  grade.sha256 = sha256(bytes);
  // A copy of a solution file is flagged for the integrity report (not when grading solutions/ itself).
  const solution = ctx.solutionHashes?.get(grade.sha256);
  if (solution && fs.realpathSync(solution) !== fs.realpathSync(entry.file)) {
    grade.integrity = [`os bytes são os de ${path.relative(projectRoot(), solution)} (sha256 igual ao de uma solução do curso): revisar`];
  }
  try {
    const read = readSubmission(bytes, entry.file);
    if ("problem" in read) {
      grade.status = "rejected";
      grade.problems.push(read.problem);
      return grade;
    }
    const source = identifySource(read.nb, entry.file, ctx.sources);
    if (!source) {
      grade.status = "rejected";
      grade.problems.push(`não sei qual notebook do curso é este: sem metadata course.id conhecida e nome de arquivo sem o de um notebook (${[...ctx.sources.keys()].join(", ")})`);
      return grade;
    }
    grade.notebook = source.id;
    grade.maxPoints = source.exercises.reduce((s, e) => s + e.points, 0);
    grade.answers = collectAnswers(source, read.nb);
    const own = run ? null : startStudentRun(ctx.opts);
    try {
      await runSubmission(entry, bytes, read.nb, source, ctx, grade, run ?? (own as StudentRun));
    } finally {
      if (own) await endStudentRun(own);
    }
  } catch (err) {
    grade.status = "failed";
    grade.problems.push(`erro do corretor: ${errorText(err)}`);
  } finally {
    const kept = path.join(ctx.opts.outDir, "tampered", entry.student.replace(/[\\/]/g, "__"));
    const touched = ctx.guard?.restore(kept);
    if (touched && hasChanges(touched)) {
      const rel = (f: string): string => (path.relative(process.cwd(), f).startsWith("..") ? f : path.relative(process.cwd(), f));
      const list = [...touched.changed.map((f) => `alterou ${rel(f)}`), ...touched.deleted.map((f) => `apagou ${rel(f)}`), ...touched.added.map((f) => `criou ${rel(f)}`)];
      grade.problems.push(`tentativa de alterar arquivos do corretor ou de outros envios (${list.join("; ")}): arquivos restaurados ` +
        `(as versões alteradas estão em ${rel(kept)}), nota zerada para revisão`);
      for (const ex of grade.exercises) Object.assign(ex, { points: 0, status: "tampered", message: `zerado: tentativa de alterar arquivos do corretor; ${ex.message}` });
    }
    grade.originalUnchanged = sha256(readNoFollow(entry.file)) === grade.sha256;
    grade.points = Math.round(grade.exercises.reduce((s, e) => s + e.points, 0) * 100) / 100;
    grade.seconds = (Date.now() - started) / 1000;
  }
  return grade;
}

export const NO_SANDBOX_WARNING = "WARNING: --no-sandbox: student code runs with your permissions (it can read the hidden cases and " +
  "solutions, write in your home, use the network, leave processes behind). Grade this way only submissions you trust.";

/** Refuses to grade without a working sandbox (unless turned off, which is said on every run); the number of workers. */
function prepareIsolation(opts: GradeOptions): number {
  if (opts.sandbox) {
    const problem = sandboxProblem() ?? sandboxAccessProblem(projectRoot(), dataFolders());
    if (problem) throw new Error(problem);
    return Math.max(1, Math.floor(opts.jobs));
  }
  opts.log(NO_SANDBOX_WARNING);
  if (opts.jobs > 1) opts.log("without the sandbox, submissions are graded one at a time (the file guard must know which one changed a file)");
  return 1;
}

/** All expected values (public and hidden) before any student code runs, for the notebooks submitted. */
function casesOfSubmitted(entries: SubmissionEntry[], sources: Map<string, CourseSource>, hiddenDir: string): Map<string, Map<string, GradedCase[]>> {
  const cases = new Map<string, Map<string, GradedCase[]>>();
  for (const entry of entries) {
    if (submissionPathProblem(entry.file, entry.root ?? null)) continue;
    const read = readSubmission(readNoFollow(entry.file), entry.file);
    const source = "nb" in read ? identifySource(read.nb, entry.file, sources) : null;
    if (source && !cases.has(source.id)) cases.set(source.id, courseCases(source, hiddenDir));
  }
  return cases;
}

/**
 * The file guard, without the sandbox only: in the sandbox student code cannot reach the course
 * files, and an instructor's own edit (git pull, npm run build) must not be blamed on a student.
 */
function fileGuard(opts: GradeOptions, entries: SubmissionEntry[]): FileGuard | null {
  if (opts.sandbox) return null;
  const course = opts.guardCourseFiles ? [opts.solutionsDir, opts.hiddenDir] : [];
  return new FileGuard([...opts.protect, ...course, ...entries.filter((e) => !submissionPathProblem(e.file, e.root ?? null)).map((e) => e.file)]);
}

/** The submissions that share a runner process (indices into `entries`): by student with the direct runner, else one each. */
function processGroups(entries: SubmissionEntry[], sources: Map<string, CourseSource>, opts: GradeOptions): number[][] {
  if (opts.runner !== "direct" || opts.processPer === "submission") return entries.map((_, i) => [i]);
  // As engineCellOf, on the course notebook: a cell that calls initEngine() before the first exercise.
  const startsEngine = (id: string): boolean => {
    for (const cell of sources.get(id)?.solved.cells ?? []) {
      const meta = cell.metadata.course;
      if (cell.cell_type !== "code" || (opts.skipMarked && skippedAtGrading(meta))) continue;
      if (meta?.role) return false;
      if (callsInitEngine(sourceText(cell))) return true;
    }
    return false;
  };
  return studentGroups(entries, [...sources.keys()], startsEngine);
}

/** Grades every entry, `opts.jobs` at a time (a student's submissions one after the other); the report keeps the order of the entries. */
export async function gradeEntries(entries: SubmissionEntry[], opts: GradeOptions): Promise<GradingReport> {
  const started = Date.now();
  const jobs = prepareIsolation(opts);
  const sources = loadCourseSources(opts.solutionsDir);
  const cases = casesOfSubmitted(entries, sources, opts.hiddenDir);
  const ctx: RunContext = { opts, sources, cases, guard: fileGuard(opts, entries), solutionHashes: courseFileHashes([opts.solutionsDir]) };
  const submissions: SubmissionGrade[] = new Array<SubmissionGrade>(entries.length);
  const groups = processGroups(entries, sources, opts);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < groups.length && !opts.signal?.aborted) {
      const group = groups[next++];
      let run: StudentRun | null = null;
      try {
        for (const [k, i] of group.entries()) {
          if (opts.signal?.aborted) return;
          opts.onStart?.(entries[i].student, i, entries.length);
          const earlier = opts.reuse?.(entries[i], sha256File(entries[i].file)) ?? null;
          const grade = earlier ?? await gradeSubmission(entries[i], ctx, (run ??= startStudentRun(opts)));
          // The student's last row is reported once their runner (and whatever it left running) is gone.
          if (k === group.length - 1 && run) {
            await endStudentRun(run);
            run = null;
          }
          // A run cut by Ctrl-C is not a grade.
          if (opts.signal?.aborted) return;
          submissions[i] = grade;
          opts.onGraded?.(grade, i, entries.length);
        }
      } finally {
        if (run) await endStudentRun(run);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, Math.max(1, groups.length)) }, worker));
  const done = submissions.filter((x): x is SubmissionGrade => x !== undefined);
  const report = finishReport(done, sources, opts, (Date.now() - started) / 1000);
  return opts.signal?.aborted ? { ...report, interrupted: true } : report;
}

/** The report of graded rows: the questions, the grader's provenance and the integrity report. */
export function finishReport(submissions: SubmissionGrade[], sources: Map<string, CourseSource>, opts: GradeOptions, seconds: number): GradingReport {
  const questions = [...sources.values()].filter((src) => submissions.some((x) => x.notebook === src.id)).flatMap(questionsOf);
  const notebooks = new Map<string, Notebook>();
  for (const s of submissions) {
    if (s.status === "rejected" || !s.notebook) continue;
    let bytes: Buffer;
    try {
      bytes = readNoFollow(s.file);
    } catch {
      continue; // a row kept from an earlier report whose file is gone: no similarity for it
    }
    const read = readSubmission(bytes, s.file);
    if ("nb" in read) notebooks.set(s.student, read.nb);
  }
  return {
    generatedAt: new Date().toISOString(), seconds, submissions, questions,
    grader: graderProvenance(opts, submissions), integrity: buildIntegrityReport(submissions, notebooks, sources),
  };
}

/** Grades every submission of the targets (files or folders). */
export async function gradeAll(targets: string[], opts: GradeOptions): Promise<GradingReport> {
  const found = targets.flatMap(listSubmissions);
  return gradeEntries(opts.select ? opts.select(found) : found, opts);
}

/**
 * Grades again the rows of a previous report.json that failed on the grader's side, and puts
 * the new rows in their place (the other rows are kept as they were).
 */
export async function regradeFailed(previousReport: string, opts: GradeOptions): Promise<GradingReport> {
  const previous = JSON.parse(fs.readFileSync(previousReport, "utf8")) as GradingReport;
  if (!Array.isArray(previous.submissions)) throw new Error(`${previousReport}: not a grading report.json (no submissions)`);
  const failed = previous.submissions.filter((s) => s.status === "failed");
  const redone = await gradeEntries(failed.map((s) => ({ file: s.file, student: s.student, root: null })), opts);
  const byStudent = new Map(redone.submissions.map((s) => [s.student, s]));
  const submissions = previous.submissions.map((s) => byStudent.get(s.student) ?? s);
  return finishReport(submissions, loadCourseSources(opts.solutionsDir), opts, previous.seconds + redone.seconds);
}

/** gradeAll with a progress bar on the terminal: one step per submission, its grade beside it. */
export async function gradeWithProgress(targets: string[], opts: GradeOptions, onlyFailed: string | null = null): Promise<GradingReport> {
  const total = onlyFailed
    ? (JSON.parse(fs.readFileSync(onlyFailed, "utf8")) as GradingReport).submissions.filter((s) => s.status === "failed").length
    : (opts.select ?? ((e: SubmissionEntry[]) => e))(targets.flatMap(listSubmissions)).length;
  const progress = createProgress("Corrigindo", total);
  // With --jobs, submissions finish out of order: the bar counts those done.
  let done = 0;
  const grade = (o: GradeOptions): Promise<GradingReport> => (onlyFailed ? regradeFailed(onlyFailed, o) : gradeAll(targets, o));
  const report = await grade({
    ...opts,
    onStart: (student) => progress.set(done, { aluno: student }),
    onGraded: (grade, index, total) => {
      opts.onGraded?.(grade, index, total);
      const result = grade.status === "graded" ? `${grade.points}/${grade.maxPoints}` : grade.status;
      progress.set(++done, { aluno: grade.student, nota: result, s: Number(grade.seconds.toFixed(1)) });
    },
  });
  progress.finish();
  return report;
}
