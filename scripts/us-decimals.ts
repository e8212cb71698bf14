// npx tsx scripts/us-decimals.ts [files or folders...] [--list]: the US decimals (0.82 where a
// student should read 0,82) in the outputs of executed notebooks, counted per notebook
// (default folder: .cache/executed/solutions). --list prints each line with its cell index.
import * as fs from "fs";
import * as path from "path";
import { readNotebook } from "../tools/notebooks/format";
import { notebookUsDecimals } from "../tools/notebooks/us-decimals";

const args = process.argv.slice(2);
const list = args.includes("--list");
const targets = args.filter((a) => a !== "--list");
const files = (targets.length ? targets : [".cache/executed/solutions"]).flatMap((t) => fs.statSync(t).isDirectory()
  ? fs.readdirSync(t).filter((f) => f.endsWith(".ipynb")).sort().map((f) => path.join(t, f)) : [t]);
let total = 0;
for (const file of files) {
  const findings = notebookUsDecimals(readNotebook(file));
  const decimals = findings.reduce((n, f) => n + f.decimals.length, 0);
  total += decimals;
  console.log(`${path.basename(file)}: ${decimals} US decimals on ${findings.length} lines`);
  if (list) for (const f of findings) console.log(`  cell ${f.cell}: ${f.line}`);
}
console.log(`total: ${total}`);
