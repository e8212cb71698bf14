import { strict as assert } from "assert";
import { finiteNumber, oneOf, positiveInt, readOptions, UsageError } from "../../scripts/cli";

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
    assert.throws(() => readOptions(["stray"], OPTIONS, USAGE), /stray/);
  });

  it("checks numbers and choices, naming the option and the value", () => {
    assert.equal(positiveInt("--jobs", "3", USAGE), 3);
    for (const bad of ["0", "-1", "2.5", "x", ""]) assert.throws(() => positiveInt("--jobs", bad, USAGE), new RegExp(`--jobs needs a positive whole number, got "${bad}"`));
    assert.equal(finiteNumber("--lr", "0.005", USAGE), 0.005);
    for (const bad of ["", " ", "abc", "Infinity"]) assert.throws(() => finiteNumber("--lr", bad, USAGE), /--lr needs a number/);
    assert.equal(oneOf("--head", "gap", ["flatten", "gap"] as const, USAGE), "gap");
    assert.throws(() => oneOf("--head", "GAP", ["flatten", "gap"] as const, USAGE), /--head is flatten or gap, got "GAP"/);
  });
});
