// Reference code is not an answer: while an exercise's cases run (the self-check and the
// grader's injected cell), reaching the course's own implementation, or the TensorFlow.js
// kernel that computes the same thing, scores 0 with the reason. Without a kernel.
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import { parseCaseOutputs, runCasesForGrader } from "../../lib/check/case-outputs";
import { evaluate, formatReport } from "../../lib/check/check";
import { studentOrReference } from "../../lib/check/fallback";
import { allExercises, getExercise } from "../../lib/check/registry";
import { todo } from "../../lib/check/todo";
import { conv2d, Matrix } from "../../lib/lecture/convolution";
import { maxPool2d } from "../../lib/lecture/pooling";
import "../fixtures/grading/example-exercise";

const REASON = /usa a implementação de referência do curso/;

/** A student's convolution written by hand (what the exercise asks for). */
function ownConvolve(image: Matrix, kernel: Matrix): Matrix {
  const out: Matrix = [];
  for (let i = 0; i + kernel.length <= image.length; i++) {
    const row: number[] = [];
    for (let j = 0; j + kernel[0].length <= image[0].length; j++) {
      let s = 0;
      kernel.forEach((kr, a) => kr.forEach((k, b) => { s += image[i + a][j + b] * k; }));
      row.push(s);
    }
    out.push(row);
  }
  return out;
}

/** A convolution through tf.conv2d. */
function tfConvolve(image: Matrix, kernel: Matrix): Matrix {
  return tf.tidy(() => tf.conv2d(tf.tensor4d(image.flat(), [1, image.length, image[0].length, 1]),
    tf.tensor4d(kernel.flat(), [kernel.length, kernel[0].length, 1, 1]), 1, "valid").squeeze([0, 3]).arraySync() as Matrix);
}

describe("reference use scores 0 (self-check)", () => {
  before(async () => {
    tf.enableProdMode();
    await tf.ready();
  });

  it("`return conv2d(image, kernel)` in convolve: 0 with the reason, in Portuguese", async () => {
    const report = await evaluate("convolve", (image: Matrix, kernel: Matrix) => conv2d(image, kernel));
    assert.equal(report.status, "reference");
    assert.equal(report.passed, 0);
    assert.match(formatReport(report), /^⊘ Convolução com passo 1, sem preenchimento: usa a implementação de referência do curso \(conv2d\)\. Escreva a sua própria versão/);
  });

  it("the tfjs equivalents are caught too (tf.conv2d for convolve, tf.maxPool for max pooling)", async () => {
    const viaTf = await evaluate("convolve", tfConvolve);
    assert.equal(viaTf.status, "reference");
    assert.match(viaTf.summary, /\(tf\.conv2d\)/);
    const pool = await evaluate("max-pool", (map: Matrix, size: number, stride: number) =>
      tf.tidy(() => tf.maxPool(tf.tensor4d(map.flat(), [1, map.length, map[0].length, 1]), size, stride, "valid").squeeze([0, 3]).arraySync()));
    assert.equal(pool.status, "reference");
    assert.match(pool.summary, /\(tf\.maxPool\)/);
    assert.equal((await evaluate("max-pool", (m: Matrix, size: number, stride: number) => maxPool2d(m, size, stride))).status, "reference");
  });

  it("a function written by hand passes, and tfjs used elsewhere is not blamed", async () => {
    assert.equal((await evaluate("convolve", ownConvolve)).status, "passed");
    // tf.conv2d is off limits for convolve, not before or after its cases run.
    tfConvolve([[1, 2], [3, 4]], [[1]]);
    assert.equal((await evaluate("convolve", ownConvolve)).status, "passed");
  });

  it("every exercise with a reference catches it through the by-id fallback, and directly where a course function computes it", async () => {
    const withReference = allExercises().filter((e) => typeof e.reference === "function");
    assert.ok(withReference.length >= 20, `only ${withReference.length} exercises have a reference`);
    for (const ex of withReference) {
      const viaFallback = await evaluate(ex.id, studentOrReference((..._args: unknown[]) => todo(), ex.id));
      assert.equal(viaFallback.status, "reference", `${ex.id} through studentOrReference`);
      if (ex.offLimits?.probes.length) {
        const direct = await evaluate(ex.id, ex.reference);
        assert.equal(direct.status, "reference", `${ex.id} called directly`);
      }
    }
  });
});

describe("studentOrReference", () => {
  it("by exercise id: the student's function when done, the library's reference while todo()", () => {
    const stub = (_image: Matrix, _kernel: Matrix): Matrix => todo();
    const viaId = studentOrReference(stub, "convolve");
    assert.deepEqual(viaId([[1, 2, 3], [4, 5, 6]], [[1, 1]]), conv2d([[1, 2, 3], [4, 5, 6]], [[1, 1]]));
    assert.deepEqual(studentOrReference(ownConvolve, "convolve")([[1, 2]], [[2]]), [[2, 4]]);
    assert.throws(() => studentOrReference(stub, "no-such-exercise"), /Exercício desconhecido: "no-such-exercise"/);
    // Every course exercise has a reference now (test/tools/grading-off-limits.test.ts); the grader's fixture exercise has none.
    assert.throws(() => studentOrReference(() => todo(), "example-double")(), /não tem uma implementação de referência/);
  });

  it("the old form (submission, reference, label) still works", () => {
    const f = studentOrReference((_x: number): number => todo(), (x: number) => x + 1, "soma");
    assert.equal(f(1), 2);
  });
});

describe("reference use in the grader's injected cell", () => {
  it("prints a 'reference' outcome per case that the judge turns into 0 with the reason", async () => {
    const lines: string[] = [];
    const ex = getExercise("convolve");
    const inputs = ex.cases().map((c) => ({ name: c.name, args: c.args }));
    await runCasesForGrader("n0nce", "convolve", (i: Matrix, k: Matrix) => conv2d(i, k), inputs, (l) => lines.push(l));
    const parsed = parseCaseOutputs(lines.join("\n"), "n0nce").get("convolve");
    assert.ok(parsed?.done);
    const outcomes = [...(parsed?.outcomes.values() ?? [])];
    assert.equal(outcomes.length, inputs.length);
    for (const o of outcomes) {
      assert.equal(o.status, "reference");
      if (o.status === "reference") assert.match(o.message, REASON);
    }
  });
});
