// Registers every notebook's exercises: each module of this folder named like a notebook
// (NN-slug.ts, compiled to NN-slug.js) exports `exercises`, and is found by its name
// (files.ts under Node; the browser bundle lists them at build time), so a new lesson adds its
// module and nothing else. tf-reference.ts (no number) is a helper.
import { registerExercises } from "../check/registry";
import { platform } from "../common/platform";

export { exerciseModuleFiles } from "./files";

for (const mod of platform().exerciseModules()) {
  if (!Array.isArray(mod.exports.exercises)) throw new Error(`${mod.file}: an exercise module must export \`exercises: Exercise[]\``);
  registerExercises(mod.exports.exercises);
}
