// Rules about the code that ESLint does not check itself: every eslint-disable comment says why
// (after "--"), so no rule is switched off silently.
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const root = path.join(__dirname, "..", "..");

describe("code checks beyond the linter", () => {
  it("every eslint-disable comment names its rule and says why", () => {
    const files = execFileSync("git", ["ls-files", "*.ts", "*.mjs", "*.js"], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);
    const silent: string[] = [];
    for (const file of files) {
      if (!fs.existsSync(path.join(root, file))) continue;
      fs.readFileSync(path.join(root, file), "utf8").split("\n").forEach((line, i) => {
        const m = /(?:\/\/|\/\*)\s*eslint-disable(?:-next-line|-line)?\b(.*)$/.exec(line);
        if (m && !/^\s+\S+.*\s--\s+\S/.test(m[1])) silent.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(silent, [], "add the rule and \"-- why\" to these comments");
  });
});
