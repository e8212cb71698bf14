// The cnn-course barrel (lib/index.ts) exports what the notebooks import and nothing else.
import { strict as assert } from "assert";
import * as path from "path";
import { barrelUsage, importedNames } from "../../tools/notebooks/barrel-usage";

describe("the cnn-course barrel exports what the notebooks import", () => {
  const u = barrelUsage(path.join(__dirname, "..", ".."));

  it("reads the names of an import statement, renamed and type-only ones included", () => {
    assert.deepEqual(importedNames('import {\n  check, todo as t,\n  type Scores } from "cnn-course";\nimport { x } from "other";'), ["check", "todo", "Scores"]);
  });

  it("has every name a notebook imports", () => {
    assert.deepEqual(u.missing, []);
    assert.ok(u.imported.size > 100, `only ${u.imported.size} names found: is the notebook reader broken?`);
  });

  it("exports no value that no notebook imports", () => {
    assert.deepEqual(u.unused, [], "import these from their modules in tests and tools, or use them in a notebook");
  });
});
