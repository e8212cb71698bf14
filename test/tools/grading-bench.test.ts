// `npm run bench:grading -- --students 2` as a test: 2 sandboxed submissions of every
// notebook (right, wrong, unfinished and broken mixed), each kind with the points it should get,
// each student's notebooks in one runner process.
// Its figures (seconds, submissions per minute, peak RSS) are printed, never asserted.
import { strict as assert } from "assert";
import { parseBenchArgs, runBench } from "../../scripts/bench-grading";
import { syntheticNotebook, wrongAnswer } from "../../tools/grader/fast/synthetic";
import { loadCourseSource } from "../../tools/grader/assemble";
import { projectRoot } from "../../lib/common/config";
import * as path from "path";
import { sourceText } from "../../tools/notebooks/format";

describe("npm run bench:grading", function () {
  this.timeout(3600000);

  it("a wrong answer keeps the function's name and answers a little off", () => {
    const code = wrongAnswer("function double(x: number): number {\n  return 2 * x;\n}", "double");
    assert.match(code, /^function double__certo\(x: number\)/);
    assert.match(code, /\nfunction double\(\.\.\.args: any\[\]\): any \{/);
    assert.throws(() => wrongAnswer("const double = (x: number) => 2 * x;", "double"), /no `function double`/);
    const source = loadCourseSource(path.join(projectRoot(), "solutions", "02-filtros-convolucao.ipynb"));
    const broken = syntheticNotebook(source, "broken").cells.filter((c) => c.metadata.course?.role === "solution");
    assert.ok(broken.length === 2 && broken.every((c) => sourceText(c).startsWith("const quebrado: number")));
  });

  it("--students 2: every notebook, each kind gets what it should", async () => {
    const result = await runBench(parseBenchArgs(["--students", "2", "--jobs", "2"]));
    console.log(`      ${JSON.stringify(result)}`);
    assert.deepEqual(result.mismatches, []);
    assert.equal(result.submissions, 2 * (result.notebooks as number));
    const kinds = result.kinds as Record<string, { submissions: number; points: number; maxPoints: number }>;
    assert.deepEqual(Object.keys(kinds).sort(), ["broken", "right", "unfinished", "wrong"]);
    assert.equal(kinds.right.points, kinds.right.maxPoints);
    assert.equal(kinds.unfinished.points, 0);
    assert.equal(kinds.broken.points, 0);
    // One runner per student: each of the 2 students starts one first (others only after a reset found the process unclean).
    assert.equal((result.runnerStarts as Record<string, number>).first, 2);
  });
});
