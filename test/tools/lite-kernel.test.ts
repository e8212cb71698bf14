// The browser TypeScript kernel (tools/lite/kernel/) run in Node: tslab's semantics the
// notebooks use (declarations persist across cells, top-level await, imports resolved to given
// modules, console output streamed, the final expression's value shown, syntax errors reported
// as "line:column - message"), display bundles arriving as tslab's display messages, and type
// errors as tslab reports them (tslab's converter over the site's declaration pack, compared
// with what tslab itself prints for the same cells).
import { strict as assert } from "assert";
import { compileCell } from "../../tools/lite/kernel/compile";
import { IopubMessage, TypeScriptKernel } from "../../tools/lite/kernel/kernel";
import { DisplayMessage } from "../../tools/lite/kernel/tslab-channel";
import { CellTypeChecker, DeclarationPack } from "../../tools/lite/kernel/typecheck";
import { recordDeclarations, tslabConverter, tslabTypeScript, VIRTUAL_ROOT } from "../../tools/lite/declarations";
import { runUnderTslab } from "./tslab-cells";

describe("lite kernel: compileCell", () => {
  it("rewrites top-level declarations into assignments and lists their names", () => {
    const c = compileCell("import { a, b as c } from \"m\";\nconst { x, y: [z] } = a;\nlet n: number;\nfunction f(v: number): number { return v; }\nclass K {}\n");
    assert.deepEqual(c.errors, []);
    assert.deepEqual(c.names.sort(), ["K", "a", "c", "f", "n", "x", "z"]);
    assert.match(c.body, /^f = function f\(v\)/);
    assert.match(c.body, /\(\{ a, b: c \} = __require\("m"\)\);/);
    assert.match(c.body, /\(\{ x, y: \[z\] \} = a\);/);
  });

  it("drops type-only imports and keeps value imports a later cell may use", () => {
    const c = compileCell("import type { T } from \"m\";\nimport { unusedHere } from \"m\";\n");
    assert.deepEqual(c.names, ["unusedHere"]);
    assert.doesNotMatch(c.body, /\bT\b/);
  });

  it("reports syntax errors as line:column - message and runs nothing", () => {
    const c = compileCell("const a = 1;\nconst b = ;\n");
    assert.equal(c.body, "");
    assert.equal(c.errors.length, 1);
    assert.match(c.errors[0], /^2:11 - Expression expected\.$/);
  });
});

describe("lite kernel: TypeScriptKernel", () => {
  let writer: ((msg: DisplayMessage, update: boolean) => void) | null = null;
  const saved = { log: console.log, info: console.info, debug: console.debug, warn: console.warn, error: console.error };
  const kernel = new TypeScriptKernel({
    modules: { "cnn-course": { double: (v: number) => 2 * v, DEFAULT: 3 }, "@tensorflow/tfjs": { version: "x" } },
    setDisplayWriter: (w) => { writer = w; },
  });
  after(() => Object.assign(console, saved));

  async function run(source: string): Promise<{ status: string; messages: IopubMessage[] }> {
    const messages: IopubMessage[] = [];
    const reply = await kernel.execute(source, (m) => messages.push(m));
    return { status: reply.status, messages };
  }

  it("keeps declarations, imports and functions from cell to cell, redeclaring allowed", async () => {
    assert.equal((await run("import { double, DEFAULT } from \"cnn-course\";\nimport * as tf from \"@tensorflow/tfjs\";\nconst k: number = 4;")).status, "ok");
    assert.equal((await run("function twice(v: number) { return double(v) + k; }")).status, "ok");
    const r = await run("const k = 10;\ntwice(DEFAULT) + tf.version.length");
    assert.deepEqual(r.messages, [{ msg_type: "execute_result", content: { execution_count: 3, data: { "text/plain": "17" }, metadata: {} } }]);
  });

  it("awaits at top level and streams console.log", async () => {
    const r = await run("const v = await Promise.resolve([1, 2]);\nconsole.log('soma', v[0] + v[1], { a: 1 });");
    assert.equal(r.status, "ok");
    assert.deepEqual(r.messages, [{ msg_type: "stream", content: { name: "stdout", text: "soma 3 { a: 1 }\n" } }]);
  });

  it("reports a thrown error and an unknown module as error messages", async () => {
    const thrown = await run("throw new RangeError('fora');");
    assert.equal(thrown.status, "error");
    assert.deepEqual([thrown.messages[0].msg_type, (thrown.messages[0].content as { ename: string }).ename], ["error", "RangeError"]);
    const missing = await run("import { x } from \"fs\";");
    assert.match((missing.messages[0].content as { evalue: string }).evalue, /^Cannot find module 'fs'$/);
  });

  it("sends cnn-course's display bundles as display_data, and updates as update_display_data", async () => {
    const r = await run("1;");
    assert.ok(writer, "the kernel gave cnn-course a display writer");
    const msgs: IopubMessage[] = [];
    await kernel.execute("undefined", (m) => msgs.push(m));
    writer!({ data: { "text/plain": "a" }, metadata: {}, transient: { display_id: "d1" } }, false);
    writer!({ data: { "text/plain": "b" }, metadata: {}, transient: { display_id: "d1" } }, true);
    assert.equal(r.status, "ok");
    assert.deepEqual(msgs.map((m) => m.msg_type), ["display_data", "update_display_data"]);
  });
});

describe("lite kernel: type errors as tslab reports them", function () {
  this.timeout(300_000);
  let pack: DeclarationPack;
  let checker: CellTypeChecker;
  const saved = { log: console.log, info: console.info, debug: console.debug, warn: console.warn, error: console.error };
  after(() => Object.assign(console, saved));

  before(() => {
    pack = recordDeclarations();
    // Through JSON, as the page gets it.
    checker = new CellTypeChecker(tslabTypeScript(), JSON.parse(JSON.stringify(pack)) as DeclarationPack, tslabConverter);
  });

  function kernelWithChecker(c: CellTypeChecker): TypeScriptKernel {
    return new TypeScriptKernel({
      modules: { "cnn-course": { initEngine: () => ({ backend: "wasm" }) }, "@tensorflow/tfjs": { version: "x" } },
      setDisplayWriter: () => undefined,
      typeChecker: { check: async (source) => c.check(source), commit: (d) => c.commit(d) },
    });
  }

  async function streams(kernel: TypeScriptKernel, source: string): Promise<{ status: string; stdout: string; stderr: string }> {
    const messages: IopubMessage[] = [];
    const reply = await kernel.execute(source, (m) => messages.push(m));
    const text = (name: string): string => messages.flatMap((m) => (m.msg_type === "stream" && m.content.name === name ? [m.content.text] : [])).join("");
    return { status: reply.status, stdout: text("stdout"), stderr: text("stderr") };
  }

  it("packs what tslab reads, under the virtual root: TypeScript's lib, @types/node, tfjs and cnn-course's declarations", () => {
    const files = Object.keys(pack.files);
    const bytes = Object.values(pack.files).reduce((n, t) => n + t.length, 0);
    console.log(`      declaration pack: ${files.length} files, ${(bytes / 1e6).toFixed(2)} MB`);
    assert.ok(files.every((f) => f.startsWith(`${VIRTUAL_ROOT}/`)), "every path under the virtual root");
    for (const f of ["/lib/dist/index.d.ts", "/node_modules/@types/node/globals.d.ts", "/node_modules/@tensorflow/tfjs/dist/index.d.ts",
      "/node_modules/@tslab/typescript-for-tslab/lib/lib.es2022.d.ts"]) {
      assert.ok(`${VIRTUAL_ROOT}${f}` in pack.files, `${f} in the pack`);
    }
  });

  it("prints the very lines tslab prints for type errors, and a cell with one does not run", async () => {
    const cells = [
      'const x: number = "a";\nconsole.log("rodou");',
      'import { initEngine } from "cnn-course";\ninitEngine(5);',
      "let n = 1;\nconsole.log(n);",
      "let n = 2;\nconst s: string = n;",
      "import * as tf from \"@tensorflow/tfjs\";\nconst t: tf.Tensor = tf.zeros([2]);\nt.shape.push(\"3\");",
    ];
    const tslab = await runUnderTslab("lite-type-errors", cells);
    const kernel = kernelWithChecker(checker);
    const page = [];
    for (const c of cells) page.push(await streams(kernel, c));
    assert.deepEqual(page.map((p) => p.stderr), tslab.map((t) => t.stderr));
    assert.deepEqual(page.map((p) => p.stdout), tslab.map((t) => t.stdout));
    assert.deepEqual(page.map((p) => p.status), ["error", "error", "ok", "error", "error"]);
    assert.match(page[0].stderr, /^1:7 - Type 'string' is not assignable to type 'number'\.\n$/);
    assert.match(page[1].stderr, /^2:12 - .*'EngineOptions'/);
  });

  it("lets a later cell redeclare a name with another type, and a cell run twice", async () => {
    const c = new CellTypeChecker(tslabTypeScript(), pack, tslabConverter);
    const kernel = kernelWithChecker(c);
    assert.equal((await streams(kernel, "const k = 1;\nfunction f(v: number): number { return v + k; }")).status, "ok");
    const twice = "const k = \"dois\";\nconsole.log(k.length);";
    assert.deepEqual(await streams(kernel, twice), { status: "ok", stdout: "4\n", stderr: "" });
    assert.deepEqual(await streams(kernel, twice), { status: "ok", stdout: "4\n", stderr: "" });
    // f keeps its type from the first cell: a string argument is an error.
    assert.match((await streams(kernel, "f(k);")).stderr, /^1:3 - Argument of type 'string' is not assignable to parameter of type 'number'\.\n$/);
  });

  it("runs the cells without type checking, saying so once, when the checker cannot start", async () => {
    const kernel = new TypeScriptKernel({
      modules: {}, setDisplayWriter: () => undefined,
      typeChecker: { check: () => Promise.reject(new Error("o verificador de tipos não iniciou: HTTP 404")), commit: () => undefined },
    });
    assert.deepEqual(await streams(kernel, "const a: number = 1;\nconsole.log(a);"),
      { status: "ok", stdout: "1\n", stderr: "o verificador de tipos não iniciou: HTTP 404: as células rodam sem verificação de tipos.\n" });
    assert.deepEqual(await streams(kernel, "console.log(a + 1);"), { status: "ok", stdout: "2\n", stderr: "" });
  });

  it("resolves the course's own types (cnn-course, tfjs) with no false error", () => {
    const c = new CellTypeChecker(tslabTypeScript(), pack, tslabConverter);
    const r = c.check([
      'import { initEngine } from "cnn-course";',
      'import * as tf from "@tensorflow/tfjs";',
      "const info = await initEngine({ quiet: true });",
      "const backend: string = info.backend;",
      "const m = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });",
      "const p: number = m.countParams();",
    ].join("\n"));
    assert.deepEqual(r.errors, []);
    assert.match(r.declarations, /declare const p: number;/);
    assert.match(r.declarations, /declare const m: tf\.Sequential;/);
  });
});
