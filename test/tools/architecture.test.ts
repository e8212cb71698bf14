// docs/architecture.md stays true: every folder and file in its tree, and every path it names
// in backticks, exists.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";

const root = path.join(__dirname, "..", "..");
const doc = fs.readFileSync(path.join(root, "docs", "architecture.md"), "utf8");

/** The tree block's entries as full paths: the names before the description, nested by indentation. */
export function treePaths(text: string): string[] {
  const block = /## The tree\n\n```\n([\s\S]*?)```/.exec(text)?.[1] ?? "";
  const stack: { indent: number; dir: string }[] = [];
  const out: string[] = [];
  for (const line of block.split("\n")) {
    const m = /^( *)(\S+)/.exec(line);
    if (!m || m[1].length >= 21) continue; // a description's continuation line
    const indent = m[1].length;
    while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
    const parent = stack.map((s) => s.dir).join("");
    const names = line.slice(indent).split(/\s{2,}/)[0].split(/,\s*/).map((n) => n.trim()).filter(Boolean);
    for (const name of names) out.push(parent + name);
    if (names.length === 1 && names[0].endsWith("/")) stack.push({ indent, dir: names[0] });
  }
  return out;
}

/** Files the tree's descriptions name (x.ts, kernels.wat...), each with the folder of the entry it describes. */
export function describedFiles(text: string): { dir: string; file: string }[] {
  const block = /## The tree\n\n```\n([\s\S]*?)```/.exec(text)?.[1] ?? "";
  const stack: { indent: number; dir: string }[] = [];
  const out: { dir: string; file: string }[] = [];
  let current = "";
  for (const line of block.split("\n")) {
    const m = /^( *)(\S+)/.exec(line);
    if (!m) continue;
    let description = line;
    if (m[1].length < 21) {
      const indent = m[1].length;
      while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
      const name = line.slice(indent).split(/\s{2,}/)[0];
      const parent = stack.map((s) => s.dir).join("");
      current = name.endsWith("/") && !name.includes(",") ? parent + name : parent;
      if (name.endsWith("/") && !name.includes(",")) stack.push({ indent, dir: name });
      description = line.slice(indent + name.length);
    }
    for (const f of description.matchAll(/\b([\w-]+(?:[./][\w-]+)*\.(?:ts|wat|py|md|json|js))\b/g)) {
      if (!/NN|^[A-Z]/.test(f[1])) out.push({ dir: f[1].includes("/") ? "" : current, file: f[1] }); // a path from the root; no placeholder or product name
    }
  }
  return out;
}

/** Whether `file` (a name or a relative path) is under `dir`, at any depth. */
function foundUnder(dir: string, file: string): boolean {
  const abs = path.join(root, dir);
  if (fs.existsSync(path.join(abs, file))) return true;
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) return false;
  return fs.readdirSync(abs, { withFileTypes: true }).some((e) => e.isDirectory() && e.name !== "node_modules" && e.name !== "dist" && foundUnder(path.join(dir, e.name), file));
}

/** Paths in backticks (with a slash, no placeholder or pattern). */
export function quotedPaths(text: string): string[] {
  return [...text.matchAll(/`([^`\s]+)`/g)].map((m) => m[1])
    .filter((p) => p.includes("/") && !/[<>*]|NN|^node_modules|^npm|\.\.\.|^https?:/.test(p) && !p.startsWith("cnn-course"));
}

describe("docs/architecture.md names only paths that exist", () => {
  it("reads the tree (the two kernel-side packages and the tools are in it)", () => {
    const tree = treePaths(doc);
    for (const p of ["lib/", "engine/", "engine/src/internals.ts", "tools/", "test/engine/"]) assert.ok(tree.includes(p), `${p} not read from the tree`);
  });

  it("every entry of the tree exists", () => {
    assert.deepEqual(treePaths(doc).filter((p) => !fs.existsSync(path.join(root, p))), []);
  });

  it("every file a description names exists under the folder it describes", () => {
    const named = describedFiles(doc);
    assert.ok(named.length > 30, `only ${named.length} files found`);
    assert.deepEqual(named.filter((n) => !foundUnder(n.dir, n.file)).map((n) => `${n.dir}: ${n.file}`), []);
  });

  it("every path in backticks exists", () => {
    const named = quotedPaths(doc);
    assert.ok(named.length > 10, `only ${named.length} paths found`);
    assert.deepEqual(named.filter((p) => !fs.existsSync(path.join(root, p))), []);
  });
});
