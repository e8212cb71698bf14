// Registers every notebook's exercises: each module of this folder named like a notebook
// (NN-slug.ts, compiled to NN-slug.js) exports `exercises`, and is found here by its name,
// so a new lesson adds its module and nothing else. tf-reference.ts (no number) is a helper.
import * as fs from "fs";
import * as path from "path";
import { registerExercises } from "../check/registry";
import type { Exercise } from "../check/types";

/** The exercise modules of a folder, in notebook order: NN-slug.ts from sources (tsx), NN-slug.js from lib/dist. */
export function exerciseModuleFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => /^\d\d-[a-z0-9-]+\.(ts|js)$/.test(name) && !name.endsWith(".d.ts")).sort()
    .map((name) => path.join(dir, name));
}

for (const file of exerciseModuleFiles(__dirname)) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the modules are found by file name at run time
  const mod = require(file) as { exercises?: Exercise[] };
  if (!Array.isArray(mod.exercises)) throw new Error(`${file}: an exercise module must export \`exercises: Exercise[]\``);
  registerExercises(mod.exercises);
}
