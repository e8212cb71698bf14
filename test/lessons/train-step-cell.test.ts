// Notebook 09 shows trainStep (lib/pneumonia/training/step.ts) in its cell "train-step-md": the
// code there must be the function itself, so the lesson never explains a step the course no longer takes.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { readNotebook, sourceText } from "../../tools/notebooks/format";

const root = path.join(__dirname, "..", "..");

describe("notebook 09 shows the training step the course runs", () => {
  it("has trainStep's code, character for character, in the cell train-step-md", () => {
    const src = fs.readFileSync(path.join(root, "lib", "pneumonia", "training", "step.ts"), "utf8");
    const start = src.indexOf("export function trainStep(");
    assert.ok(start >= 0, "step.ts no longer exports trainStep");
    const code = src.slice(start, src.indexOf("\n}\n", start) + 2);
    const cell = readNotebook(path.join(root, "solutions", "09-pneumonia.ipynb")).cells.find((c) => c.id === "train-step-md");
    assert.ok(cell, "solutions/09-pneumonia.ipynb has no cell train-step-md");
    const shown = /```ts\n([\s\S]*?)```/.exec(sourceText(cell))?.[1];
    assert.equal(shown?.trimEnd(), code.trimEnd());
  });
});
