// npx tsx scripts/barrel-usage.ts [--list]: how many values the cnn-course barrel exports and how
// many the notebooks import. --list prints every imported name and who imports it.
import * as path from "path";
import { barrelUsage } from "../tools/notebooks/barrel-usage";

const u = barrelUsage(path.join(__dirname, ".."));
const values = [...u.imported.keys()].filter((n) => u.exported.includes(n));
console.log(`barrel exports ${u.exported.length} values; notebooks import ${values.length} of them ` +
  `(${u.imported.size} names with types); ${u.unused.length} exported values no notebook imports; missing: ${u.missing.join(", ") || "none"}`);
if (process.argv.includes("--list")) for (const [name, files] of [...u.imported].sort()) console.log(`${name}\t${files.join(" ")}`);
