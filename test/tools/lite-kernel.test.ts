// The browser TypeScript kernel (tools/lite/kernel/) run in Node: tslab's semantics the
// notebooks use (declarations persist across cells, top-level await, imports resolved to given
// modules, console output streamed, the final expression's value shown, syntax errors reported
// as "line:column - message"), and display bundles arriving as tslab's display messages.
import { strict as assert } from "assert";
import { compileCell } from "../../tools/lite/kernel/compile";
import { IopubMessage, TypeScriptKernel } from "../../tools/lite/kernel/kernel";
import { DisplayMessage } from "../../tools/lite/kernel/tslab-channel";

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
