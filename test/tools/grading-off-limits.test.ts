// Issue #22, "points without solving": every exercise declares what is off limits, no student
// notebook imports the reference of its own exercises, a reference call scores 0 in every
// notebook that has exercises, the watch cannot be switched off from student code, and the
// points come from the hidden cases (a table of the public outputs earns nothing). Without a kernel.
import { strict as assert } from "assert";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import * as ts from "typescript";
import { evaluate } from "../../lib/check/check";
import { studentOrReference } from "../../lib/check/fallback";
import { allExercises, getExercise } from "../../lib/check/registry";
import { todo } from "../../lib/check/todo";
import type { Exercise, ExerciseCase, Json } from "../../lib/check/types";
import { noteReferenceCall, startReferenceWatch } from "../../lib/check/reference-use";
import { conv2d, Matrix } from "../../lib/lecture/convolution";
import { conv2dLayer } from "../../lib/lecture/conv-layer";
import { readNotebook, sourceText } from "../../tools/notebooks/format";
import { loadHiddenCases } from "../../tools/grader/hidden-cases";
import { CaseGrade, scoreCases } from "../../tools/grader/judge";
import { exerciseModuleFiles } from "../../lib/exercises";

const ROOT = path.resolve(__dirname, "..", "..");

/** The names a cell imports from "cnn-course" (the exported names, before any `as`). */
function courseImports(code: string): string[] {
  const file = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const names: string[] = [];
  for (const st of file.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || st.moduleSpecifier.text !== "cnn-course") continue;
    const bindings = st.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) names.push(...bindings.elements.map((e) => (e.propertyName ?? e.name).text));
  }
  return names;
}

/**
 * What would be the answer of `ex` if imported by name: its reference function's name and the
 * name the exercise defines (lib exports the course's version under that name). Other probes
 * (buildModel for the architecture exercise) are tools the teaching cells need.
 */
function answerNames(ex: Exercise): string[] {
  const ref = typeof ex.reference === "function" ? [(ex.reference as { name: string }).name] : [];
  return [...ref, ex.symbol].filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== "reference");
}

function notebookIds(): string[] {
  return exerciseModuleFiles(path.join(ROOT, "lib", "exercises")).map((f) => path.basename(f).replace(/\.(ts|js)$/, ""));
}

describe("every exercise declares what is off limits (issue #22)", () => {
  it("each registered exercise (future lessons included) has a reference and an off-limits list, or a written reason", () => {
    const lacking = allExercises().filter((ex) => !(typeof ex.reference === "function" && ex.offLimits) && !(ex.offLimitsReason ?? "").trim());
    assert.deepEqual(lacking.map((e) => e.id), []);
    assert.ok(allExercises().length >= 33, `${allExercises().length} exercises`);
  });

  it("every exercise of the course has hidden cases on inputs that no public case uses", () => {
    const course = notebookIds();
    for (const ex of allExercises().filter((e) => course.includes(e.notebook))) {
      const hidden = loadHiddenCases(ex.notebook)[ex.id] ?? [];
      assert.ok(hidden.length >= 2, `${ex.id}: ${hidden.length} hidden case(s)`);
      const inputs = (c: ExerciseCase): string => JSON.stringify({ args: c.args ?? null, input: c.input ?? null });
      const seen = new Set(ex.cases().map(inputs));
      for (const c of hidden) assert.ok(!seen.has(inputs(c)), `${ex.id}: hidden "${c.name}" has the inputs of a public case`);
    }
  });

  it("no student notebook imports the reference of its own exercises", () => {
    const ids = notebookIds();
    assert.ok(ids.includes("08-camadas-batchnorm") && ids.includes("10-o-que-o-modelo-ve"));
    for (const id of ids) {
      const nb = readNotebook(path.join(ROOT, "notebooks", `${id}.ipynb`));
      const imported = nb.cells.filter((c) => c.cell_type === "code").flatMap((c) => courseImports(sourceText(c)));
      assert.ok(imported.length > 0, `${id}: no import from cnn-course found`);
      const own = allExercises().filter((e) => e.notebook === id).flatMap(answerNames);
      assert.deepEqual(imported.filter((n) => own.includes(n)), [], `${id} imports the answer of its own exercises`);
    }
  });
});

describe("a reference call scores 0 in every notebook that has exercises", () => {
  before(async () => {
    tf.enableProdMode();
    await tf.ready();
  });

  it("through the by-id fallback and directly, per notebook (08 and 10 included)", async function () {
    this.timeout(120_000);
    for (const id of notebookIds()) {
      const exercises = allExercises().filter((e) => e.notebook === id);
      assert.ok(exercises.length > 0, id);
      for (const ex of exercises) {
        const viaFallback = await evaluate(ex.id, studentOrReference((..._a: unknown[]) => todo(), ex.id));
        assert.equal(viaFallback.status, "reference", `${ex.id} through studentOrReference`);
        if (!ex.offLimits?.probes.length) continue;
        const direct = await evaluate(ex.id, ex.reference);
        assert.equal(direct.status, "reference", `${ex.id} called directly`);
      }
    }
  });

  it("lesson 08: conv2dLayer, tf.conv2d and tf.layers.batchNormalization are caught", async () => {
    const viaCourse = await evaluate("conv2d-layer", (i: number[][][], k: number[][][][], b: number[], s: number, p: number) => conv2dLayer(i, k, b, s, p));
    assert.equal(viaCourse.status, "reference");
    const viaTf = await evaluate("conv2d-layer", (input: number[][][], kernel: number[][][][], bias: number[], stride: number, padding: number) => tf.tidy(() => {
      const [h, w, c] = [input.length, input[0].length, input[0][0].length];
      const x = tf.pad(tf.tensor4d(input.flat(2), [1, h, w, c]), [[0, 0], [padding, padding], [padding, padding], [0, 0]]) as tf.Tensor4D;
      const k = tf.tensor4d(kernel.flat(3), [kernel.length, kernel[0].length, c, bias.length]);
      return tf.conv2d(x, k, stride, "valid").add(tf.tensor1d(bias)).squeeze([0]).arraySync();
    }));
    assert.equal(viaTf.status, "reference");
    assert.match(viaTf.summary, /tf\.conv2d/);
    const bn = await evaluate("batchnorm-inference", (x: number[][], gamma: number[], beta: number[], mean: number[], variance: number[], epsilon: number) =>
      tf.tidy(() => tf.batchNorm(tf.tensor2d(x), tf.tensor1d(mean), tf.tensor1d(variance), tf.tensor1d(beta), tf.tensor1d(gamma), epsilon).arraySync()));
    assert.equal(bn.status, "reference");
  });
});

describe("the reference watch cannot be switched off from student code", () => {
  const OLD_KEY = Symbol.for("cnn-course.reference-watch");
  const API_KEY = Symbol.for("cnn-course.reference-watch.api");

  it("the old global key reaches nothing: setting its depth to 0 around conv2d still scores 0", async () => {
    const cheat = (image: Matrix, kernel: Matrix): Matrix => {
      const holder = globalThis as unknown as Record<symbol, { depth: number } | undefined>;
      holder[OLD_KEY] = { depth: 0 };
      return conv2d(image, kernel);
    };
    const report = await evaluate("convolve", cheat);
    assert.equal(report.status, "reference");
    delete (globalThis as unknown as Record<symbol, unknown>)[OLD_KEY];
  });

  it("the shared API is locked: it cannot be replaced, and its functions cannot be swapped", () => {
    const holder = globalThis as unknown as Record<symbol, { note: unknown }>;
    const api = holder[API_KEY];
    assert.ok(Object.isFrozen(api));
    assert.throws(() => Object.defineProperty(globalThis, API_KEY, { value: { note: () => undefined } }), TypeError);
    assert.throws(() => { "use strict"; (api as { note: unknown }).note = () => undefined; }, TypeError);
    assert.equal(holder[API_KEY], api);
  });

  it("a watch opened by student code and left open does not hide an earlier reference call", async () => {
    const cheat = (image: Matrix, kernel: Matrix): Matrix => {
      const out = conv2d(image, kernel);
      startReferenceWatch([]);
      return out;
    };
    assert.equal((await evaluate("convolve", cheat)).status, "reference");
    // Stopping one's own watch twice does not end the grader's.
    const stop = startReferenceWatch(["conv2d"]);
    const inner = startReferenceWatch([]);
    inner();
    inner();
    noteReferenceCall("conv2d");
    assert.deepEqual(stop(), ["conv2d"]);
  });

  it("replacing tf.engine().runKernelFunc to hide tf.conv2d is detected and scores 0", async () => {
    const cheat = (image: Matrix, kernel: Matrix): Matrix => {
      const engine = tf.engine() as unknown as { runKernelFunc: unknown };
      engine.runKernelFunc = Object.getPrototypeOf(engine).runKernelFunc;
      return tf.tidy(() => tf.conv2d(tf.tensor4d(image.flat(), [1, image.length, image[0].length, 1]),
        tf.tensor4d(kernel.flat(), [kernel.length, kernel[0].length, 1, 1]), 1, "valid").squeeze([0, 3]).arraySync() as Matrix);
    };
    const report = await evaluate("convolve", cheat);
    assert.equal(report.status, "reference");
    assert.match(report.summary, /vigia desligado/);
  });
});

describe("points come from the hidden cases", () => {
  it("a lookup table of conv2d-layer's public outputs: every public case, no hidden one, 0 points and flagged", async () => {
    const ex = getExercise("conv2d-layer");
    const table = new Map(ex.cases().map((c) => [JSON.stringify(c.args), c.expected as Json]));
    const lookup = (...args: Json[]): Json => table.get(JSON.stringify(args)) ?? [];
    const pub = await evaluate(ex.id, lookup);
    assert.equal(pub.passed, pub.total);
    const hiddenCases = loadHiddenCases(ex.notebook)[ex.id];
    const hid = await evaluate(ex.id, lookup, hiddenCases);
    assert.equal(hid.passed, 0);
    const grades: CaseGrade[] = [...pub.cases.map((c) => ({ ...c, hidden: false })), ...hid.cases.map((c) => ({ ...c, hidden: true }))];
    const score = scoreCases(ex.points, grades);
    assert.equal(score.points, 0);
    assert.equal(score.status, "failed");
    assert.match(score.review ?? "", /passa em todos os 6 casos públicos e falha em 3 de 3 ocultos/);
  });

  it("a correct answer gets full marks, a partial one the share of hidden cases passed", () => {
    const c = (hidden: boolean, passed: boolean): CaseGrade => ({ name: "x", hidden, passed, message: "" });
    assert.deepEqual(scoreCases(3, [c(false, true), c(true, true), c(true, true)]), { points: 3, status: "passed", message: "2/2 casos ocultos (valem a nota); 1/1 públicos" });
    const half = scoreCases(2, [c(false, false), c(true, true), c(true, false)]);
    assert.equal(half.points, 1);
    assert.equal(half.status, "partial");
    assert.equal(half.review, undefined);
  });
});
