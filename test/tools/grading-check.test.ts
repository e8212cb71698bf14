// The self-check's messages: correct, wrong and untouched answers, and the
// submissions that must not crash a notebook (undefined, wrong type, rejected promise).
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { check, evaluate } from "../../lib/check/check";
import { compareValues, toPlain } from "../../lib/check/compare";
import { parseCaseOutputs, runCasesForGrader } from "../../lib/check/case-outputs";
import { todo } from "../../lib/check/todo";
import { exerciseModuleFiles } from "../../lib/exercises";
import "../fixtures/grading/example-exercise";

/** What `check` prints (console.log captured), and what it resolved to. */
async function printed(id: string, submission: unknown): Promise<{ text: string; value: unknown }> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...a: unknown[]) => { lines.push(a.map(String).join(" ")); };
  let value: unknown;
  try {
    value = await check(id, submission);
  } finally {
    console.log = original;
  }
  return { text: lines.join("\n"), value };
}

describe("self-check messages (example exercise)", () => {
  it("a correct answer: every case listed as passed", async () => {
    const { text, value } = await printed("example-double", (x: number) => 2 * x);
    assert.equal(value, undefined, "check resolves to nothing, so tslab prints only the message");
    assert.equal(text, "✔ Dobrar um número (exemplo): 2/2 casos passaram.\n  ✓ dobro de 2\n  ✓ dobro de -1.5");
  });

  it("a wrong answer: expected vs obtained and the tolerance, per case", async () => {
    const { text } = await printed("example-double", (x: number) => x * 3);
    assert.equal(text, "✘ Dobrar um número (exemplo): 0/2 casos passaram.\n" +
      "  ✗ dobro de 2: valor diferente: esperado 4, obtido 6 (tolerância 1e-6).\n" +
      "  ✗ dobro de -1.5: valor diferente: esperado -3, obtido -4,5 (tolerância 1e-6).");
    const half = await printed("example-double", (x: number) => (x === 2 ? 4 : 0));
    assert.match(half.text, /1\/2 casos passaram[\s\S]*✓ dobro de 2[\s\S]*✗ dobro de -1\.5: valor diferente: esperado -3, obtido 0/);
  });

  it("an untouched stub says 'not done yet', not a failure", async () => {
    const { text } = await printed("example-double", (_x: number): number => todo());
    assert.match(text, /^☐ Dobrar um número \(exemplo\): ainda não feito/);
    assert.doesNotMatch(text, /✘|✗/);
  });

  it("never throws: undefined, wrong type, rejected promise, thrown non-Error, forgotten return, unknown id", async () => {
    assert.match((await printed("example-double", undefined)).text, /`double` está undefined: rode a célula do exercício/);
    assert.match((await printed("example-double", 3)).text, /esperava uma função `double`, recebi number \(3\)/);
    assert.match((await printed("example-double", async () => { throw new RangeError("boom"); })).text,
      /✗ dobro de 2: sua função lançou um erro: RangeError: boom/);
    assert.match((await printed("example-double", () => { throw 42; })).text, /lançou um erro: 42/);
    assert.match((await printed("example-double", () => undefined)).text, /não recebi nenhum valor \(undefined ou null\) — faltou um `return`\?/);
    assert.match((await printed("example-double", () => NaN)).text, /esperado 4, obtido "NaN"/);
    assert.match((await printed("nao-existe", () => 1)).text, /^⚠ Não consegui verificar "nao-existe": Exercício desconhecido/);
  });

  it("the course registry (a fresh process) holds only exercises of solutions/ notebooks, no test fixture", () => {
    const root = path.join(__dirname, "..", "..");
    const r = spawnSync(process.execPath, ["--require", require.resolve("tsx/cjs"), "-e",
      'require("./lib/exercises"); console.log(JSON.stringify(require("./lib/check/registry").allExercises().map((e) => [e.id, e.notebook])))'],
    { cwd: root, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const registered = JSON.parse(r.stdout) as [string, string][];
    const notebooks = new Set(fs.readdirSync(path.join(root, "solutions")).map((n) => n.replace(/\.ipynb$/, "")));
    assert.ok(registered.length >= 20, `${registered.length} exercises`);
    for (const [id, notebook] of registered) assert.ok(notebooks.has(notebook), `${id} belongs to ${notebook}, which is not in solutions/`);
    assert.ok(!registered.some(([id]) => id === "example-double"));
  });

  it("finds the exercise modules by name: NN-slug.ts or .js, in notebook order; helpers, index and .d.ts are not modules", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exercise-modules-"));
    for (const n of ["10-o-que-o-modelo-ve.ts", "02-b.js", "02-b.d.ts", "02-b.js.map", "index.ts", "tf-reference.ts", "08-camadas-batchnorm.ts"]) fs.writeFileSync(path.join(dir, n), "");
    assert.deepEqual(exerciseModuleFiles(dir).map((f) => path.basename(f)), ["02-b.js", "08-camadas-batchnorm.ts", "10-o-que-o-modelo-ve.ts"]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a submission that mutates its arguments cannot change the case", async () => {
    const testCase = { name: "array", args: [[1, 2]], expected: 4 };
    const report = await evaluate("example-double", (a: number[]) => { a.push(9); return a.length + 1; }, [testCase]);
    assert.equal(report.status, "passed", "the submission saw a fresh [1, 2]");
    assert.deepEqual(testCase.args, [[1, 2]]);
  });
});

/**
 * A student's convolution written by hand, `pad` zeros around the image (calling the course's
 * conv2d instead would score 0: see grading-reference.test.ts).
 */
function handConvolve(image: number[][], kernel: number[][], pad = 0): number[][] {
  const width = image[0].length + 2 * pad;
  const zeros = (): number[][] => Array.from({ length: pad }, () => new Array<number>(width).fill(0));
  const padded = [...zeros(), ...image.map((r) => [...new Array<number>(pad).fill(0), ...r, ...new Array<number>(pad).fill(0)]), ...zeros()];
  const out: number[][] = [];
  for (let i = 0; i + kernel.length <= padded.length; i++) {
    const row: number[] = [];
    for (let j = 0; j + kernel[0].length <= width; j++) {
      let sum = 0;
      kernel.forEach((kr, a) => kr.forEach((k, b) => { sum += padded[i + a][j + b] * k; }));
      row.push(sum);
    }
    out.push(row);
  }
  return out;
}

describe("self-check messages (lecture exercise: convolve, notebook 02)", () => {
  it("correct: every case passes against tf.conv2d's values", async () => {
    const { text } = await printed("convolve", (image: number[][], kernel: number[][]) => handConvolve(image, kernel));
    assert.match(text, /^✔ Convolução com passo 1, sem preenchimento: 6\/6 casos passaram\.\n {2}✓ o 9 com o filtro de circunferência \(mapa 5x3\)/);
  });

  it("wrong (padded 'same' output): the shape is reported first, per case", async () => {
    const { text } = await printed("convolve", (image: number[][], kernel: number[][]) => handConvolve(image, kernel, 1));
    assert.match(text, /^✘ Convolução com passo 1, sem preenchimento: 0\/6 casos passaram\./);
    assert.match(text, /✗ o 9 com o filtro de circunferência \(mapa 5x3\): forma errada: esperado 5x3, obtido 7x5\.\n {6}esperado: \[\[/);
  });

  it("untouched: not done yet", async () => {
    const { text } = await printed("convolve", (_image: number[][], _kernel: number[][]): number[][] => todo());
    assert.match(text, /^☐ Convolução com passo 1, sem preenchimento: ainda não feito/);
  });
});

describe("comparison messages", () => {
  it("reports shapes first, then the first differing position", () => {
    assert.equal(compareValues([[1, 2], [3, 4]], [[1, 2], [3, 4]]), null);
    assert.match(compareValues([[1, 2], [3, 4]], [1, 2, 3, 4]) ?? "", /^forma errada: esperado 2x2, obtido 4\./);
    assert.match(compareValues([[1, 2], [3, 4]], [[1, 2], [3, 4.5]], 0.1) ?? "", /^valor diferente na posição \[1\]\[1\]: esperado 4, obtido 4,5 \(tolerância 0,1\)/);
    assert.equal(compareValues([0.5], [0.5 + 1e-9]), null, "within the default tolerance");
  });

  it("turns tensors, typed arrays, NaN and cycles into plain data without throwing", () => {
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    assert.deepEqual(toPlain({ t: { arraySync: () => [[1, 2]] }, f: new Float32Array([0.5, 1]), n: NaN, c: cyclic }),
      { t: [[1, 2]], f: [0.5, 1], n: "NaN", c: { self: "[referência circular]" } });
  });
});

describe("kernel-side case runner for the grader", () => {
  it("prints outcomes behind the nonce; the parser ignores other nonces and flags repeats", async () => {
    const lines: string[] = [];
    await runCasesForGrader("n0nce", "example-double", (x: number) => (x > 0 ? 2 * x : todo()),
      [{ name: "a", args: [2] }, { name: "b", args: [-1] }], (l) => lines.push(l));
    const forged = lines[0].replace("n0nce", "other");
    const parsed = parseCaseOutputs([forged, ...lines, lines[0]].join("\n"), "n0nce").get("example-double");
    assert.ok(parsed);
    assert.deepEqual(parsed.outcomes.get(0), { status: "ok", value: 4 });
    assert.deepEqual(parsed.outcomes.get(1), { status: "not-done" });
    assert.equal(parsed.done, true);
    assert.deepEqual(parsed.duplicates, [0]);
  });
});
