// The exercise modules of a folder, found by their names (NN-slug), so a new lesson adds its
// module and nothing else.
import * as fs from "fs";
import * as path from "path";

/** The exercise modules of a folder, in notebook order: NN-slug.ts from sources (tsx), NN-slug.js from lib/dist. */
export function exerciseModuleFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => /^\d\d-[a-z0-9-]+\.(ts|js)$/.test(name) && !name.endsWith(".d.ts")).sort()
    .map((name) => path.join(dir, name));
}
