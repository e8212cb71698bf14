// What the notebooks take from the cnn-course barrel (lib/index.ts): every name imported from
// "cnn-course" in solutions/*.ipynb and notebooks/*.ipynb and in the code the grader and the runner
// inject into a kernel (tools/**), against the values the compiled barrel exports.
// `npx tsx scripts/barrel-usage.ts` prints the counts; test/tools/barrel.test.ts checks them.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { readNotebook, sourceText } from "./format";

const IMPORT = /import\s*(type\s*)?\{([^}]*)\}\s*from\s*["']cnn-course["']/g;

/** Names in `import { a, b as c } from "cnn-course"` statements of `code` (type-only imports too). */
export function importedNames(code: string): string[] {
  const names: string[] = [];
  for (const m of code.matchAll(IMPORT)) {
    for (const part of m[2].split(",")) {
      const name = part.trim().replace(/^type\s+/, "").split(/\s+as\s+/)[0].trim();
      if (name) names.push(name);
    }
  }
  return names;
}

/** The code of every tracked notebook's code cells (lessons, student copies, test fixtures), by file. */
function notebookCode(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const files = execFileSync("git", ["ls-files", "*.ipynb"], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);
  for (const f of files) {
    if (!fs.existsSync(path.join(root, f))) continue;
    const nb = readNotebook(path.join(root, f));
    out.set(f, nb.cells.filter((c) => c.cell_type === "code").map(sourceText).join("\n"));
  }
  return out;
}

/** Source files under tools/ that write kernel code importing from "cnn-course" (grader cells, runner preludes). */
function injectedCode(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (rel.endsWith(".ts")) {
        const text = fs.readFileSync(path.join(root, rel), "utf8");
        if (rel !== path.join("tools", "notebooks", "barrel-usage.ts") && /from\s*\\?["']cnn-course\\?["']/.test(text)) out.set(rel, text.replace(/\\"/g, "\"").replace(/\$\{[^}]*\}/g, "_"));
      }
    }
  };
  walk("tools");
  return out;
}

export interface BarrelUsage {
  /** Values the barrel exports (lib/index.ts, loaded through tsx). */
  exported: string[];
  /** Names the notebooks and the injected kernel code import, with the files that import each. */
  imported: Map<string, string[]>;
  /** Imported names the barrel does not export (a broken notebook). */
  missing: string[];
  /** Exported values nobody imports from "cnn-course". */
  unused: string[];
}

/** Type names the barrel re-exports (`export type { A, B as C } from ...`): invisible at run time. */
function exportedTypes(barrelSource: string): Set<string> {
  const names = new Set<string>();
  for (const m of barrelSource.matchAll(/export\s+type\s*\{([^}]*)\}/g)) {
    for (const part of m[1].split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim();
      if (name) names.add(name);
    }
  }
  return names;
}

export function barrelUsage(root: string): BarrelUsage {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the barrel's source, loaded at run time (tsx)
  const barrel = require(path.join(root, "lib", "index.ts")) as Record<string, unknown>;
  const exported = Object.keys(barrel).sort();
  const imported = new Map<string, string[]>();
  for (const [file, code] of [...notebookCode(root), ...injectedCode(root)]) {
    for (const name of new Set(importedNames(code))) imported.set(name, [...(imported.get(name) ?? []), file]);
  }
  const types = exportedTypes(fs.readFileSync(path.join(root, "lib", "index.ts"), "utf8"));
  const known = (n: string): boolean => n in barrel || types.has(n);
  return {
    exported, imported,
    missing: [...imported.keys()].filter((n) => !known(n)).sort(),
    unused: exported.filter((n) => !imported.has(n)),
  };
}
