// What tslab itself prints for some cells: they run, in order, in one tslab process (the
// grader's direct runner, tools/notebooks/direct.ts: tslab's own converter and executor), from a
// notebook written under .cache/, run from the project's root (the runner finds cnn-course in its
// node_modules; @types resolve from there as for the notebooks).
// The browser kernel's tests compare its type errors with these.
import * as fs from "fs";
import * as path from "path";
import { cacheDir, projectRoot } from "../../lib/common/config";
import { executeDirect } from "../../tools/notebooks/direct";
import { Notebook, readNotebook, toSourceLines, writeNotebook } from "../../tools/notebooks/format";

export interface TslabCell { stdout: string; stderr: string }

export async function runUnderTslab(name: string, sources: string[]): Promise<TslabCell[]> {
  const dir = cacheDir("tslab-cells");
  fs.mkdirSync(dir, { recursive: true });
  const input = path.join(dir, `${name}.ipynb`);
  const nb: Notebook = {
    nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
    cells: sources.map((s, i) => ({ id: `c${i}`, cell_type: "code", metadata: {}, source: toSourceLines(s), outputs: [], execution_count: null })),
  };
  writeNotebook(input, nb);
  const output = path.join(dir, `${name}.out.ipynb`);
  const result = await executeDirect(input, output, { cwd: projectRoot(), cellTimeoutSec: 120, totalTimeoutSec: 300 });
  if (result.startupError || result.kernelDied || result.timedOut) throw new Error(`tslab did not run ${input}: ${JSON.stringify(result)}`);
  return readNotebook(output).cells.map((c) => {
    const text = (name: string): string => (c.outputs ?? []).filter((o) => o.output_type === "stream" && o.name === name)
      .map((o) => (Array.isArray(o.text) ? o.text.join("") : o.text ?? "")).join("");
    return { stdout: text("stdout"), stderr: text("stderr") };
  });
}
