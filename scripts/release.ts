// npm run release -- OUT
//
// Writes the folder to hand to students (see tools/release/release.ts): the course without
// solutions/, the grader's hidden cases, the tests and the instructor docs, with a README
// in Portuguese. The student then runs `npm start` in it.
import * as path from "path";
import { makeRelease } from "../tools/release/release";

function main(): void {
  const out = process.argv[2];
  if (!out || out.startsWith("--")) {
    console.error("usage: npm run release -- OUT   (a new or empty folder)");
    process.exit(2);
  }
  const result = makeRelease(out);
  const notebooks = result.files.filter((f) => f.startsWith("notebooks/")).length;
  console.log(`release written to ${path.relative(process.cwd(), result.out) || "."}: ${result.files.length} files, ${notebooks} student notebooks; ` +
    "hand this folder (or a zip of it) to the students: they run `npm start` in it");
}

try {
  main();
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
