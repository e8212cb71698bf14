import { strict as assert } from "assert";
import * as path from "path";
import { finiteNumber, oneOf, positiveInt, positiveNumber, readCommandLine, readOptions, UsageError } from "../../scripts/cli";
import { parseBenchArgs } from "../../scripts/bench-grading";
import { parseGradeArgs } from "../../scripts/grade";

const USAGE = "usage: npm run x -- [--out DIR] [--fast] [--jobs N]";
const OPTIONS = { out: { type: "string" }, fast: { type: "boolean" }, jobs: { type: "string" } } as const;

describe("scripts/cli: the command line every npm script shares", () => {
  it("reads `--out x`, `--out=x` and flags", () => {
    assert.deepEqual({ ...readOptions(["--out", "a", "--fast"], OPTIONS, USAGE) }, { out: "a", fast: true });
    assert.deepEqual({ ...readOptions(["--out=b"], OPTIONS, USAGE) }, { out: "b" });
    assert.deepEqual({ ...readOptions([], OPTIONS, USAGE) }, {});
  });

  it("names an unknown option or a missing value, and appends the usage", () => {
    assert.throws(() => readOptions(["--epoch", "3"], OPTIONS, USAGE), (e: Error) =>
      e instanceof UsageError && e.message === `unknown argument --epoch\n${USAGE}`);
    assert.throws(() => readOptions(["--out"], OPTIONS, USAGE), /--out.*argument missing\nusage: npm run x/);
    assert.throws(() => readOptions(["--out", "--fast"], OPTIONS, USAGE), /--out' argument is ambiguous/);
    assert.throws(() => readOptions(["stray"], OPTIONS, USAGE), /unexpected argument stray\nusage/);
    assert.deepEqual(readCommandLine(["a", "--fast", "b"], OPTIONS, USAGE).positionals, ["a", "b"]);
  });

  it("checks numbers and choices, naming the option and the value", () => {
    assert.equal(positiveInt("--jobs", "3", USAGE), 3);
    for (const bad of ["0", "-1", "2.5", "x", ""]) assert.throws(() => positiveInt("--jobs", bad, USAGE), new RegExp(`--jobs needs a positive whole number, got "${bad}"`));
    assert.equal(positiveNumber("--cell-timeout", "1.5", USAGE), 1.5);
    for (const bad of ["0", "-2", "", "x"]) assert.throws(() => positiveNumber("--cell-timeout", bad, USAGE), /--cell-timeout needs a positive number/);
    assert.equal(finiteNumber("--lr", "0.005", USAGE), 0.005);
    for (const bad of ["", " ", "abc", "Infinity"]) assert.throws(() => finiteNumber("--lr", bad, USAGE), /--lr needs a number/);
    assert.equal(oneOf("--head", "gap", ["flatten", "gap"] as const, USAGE), "gap");
    assert.throws(() => oneOf("--head", "GAP", ["flatten", "gap"] as const, USAGE), /--head is flatten or gap, got "GAP"/);
  });
});

describe("the grader's command lines (scripts/grade.ts, scripts/bench-grading.ts on scripts/cli)", () => {
  it("reads submissions, options and class flags; --merge takes the shards' folders", () => {
    const a = parseGradeArgs(["turma/", "outra/", "--out=notas", "--shard", "2/4", "--jobs", "3", "--cell-timeout", "1.5", "--no-guard", "--only", "maria.ipynb", "--gradebook", "moodle"]);
    assert.deepEqual(a.targets, ["turma/", "outra/"]);
    assert.equal(a.opts.outDir, path.resolve("notas"));
    assert.deepEqual(a.flags.shard, { k: 2, n: 4 });
    assert.equal(a.flags.only, "maria");
    assert.equal(a.opts.jobs, 3);
    assert.equal(a.opts.cellTimeoutSec, 1.5);
    assert.deepEqual(a.opts.protect, []);
    assert.equal(a.outputs.gradebook, "moodle");
    const m = parseGradeArgs(["--merge", "s1", "s2", "--out", "notas"]);
    assert.deepEqual([m.merge, m.targets], [[path.resolve("s1"), path.resolve("s2")], []]);
    assert.throws(() => parseGradeArgs(["turma/", "--gradebook", "excel"]), /--gradebook is pt-br or moodle or canvas, got "excel"/);
    assert.throws(() => parseGradeArgs(["--out", "x"]), /no submission given\nusage: npm run grade/);
  });

  it("npm run bench:grading: the class size, the grading options and --keep", () => {
    const b = parseBenchArgs(["--students", "3", "--jobs", "1", "--process-per", "submission", "--keep", "k"]);
    assert.deepEqual([b.students, b.opts.jobs, b.opts.processPer, b.keep], [3, 1, "submission", path.resolve("k")]);
    assert.equal(parseBenchArgs([]).students, 2);
    assert.throws(() => parseBenchArgs(["--students", "0"]), /--students needs a positive whole number, got "0"\nusage: npm run bench:grading/);
    assert.throws(() => parseBenchArgs(["--student", "3"]), /unknown argument --student/);
  });
});
