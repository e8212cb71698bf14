// The course's own source for each exercise, to compare submissions with: the solution
// cell of solutions/NN-*.ipynb and the lib/ functions that compute the answer (those whose
// body calls `noteReferenceCall("<probe>")` for one of the exercise's probes). Students
// have the second in their release; a hand copy of either is what the similarity report looks for.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { projectRoot } from "../../../lib/common/config";
import type { Exercise } from "../../../lib/check/types";
import { sourceText } from "../../notebooks/format";
import type { CourseSource } from "../assemble";
import type { CodeSample } from "./similarity";

function libFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === "dist" || d.name === "node_modules" || d.name.startsWith(".") ? [] : libFiles(p);
    return d.name.endsWith(".ts") && !d.name.endsWith(".d.ts") ? [p] : [];
  });
}

/** Probe label -> the source text of the lib functions that note it, with where they are. */
export function probeSources(libDir = path.join(projectRoot(), "lib")): Map<string, { where: string; code: string }[]> {
  const found = new Map<string, { where: string; code: string }[]>();
  for (const file of libFiles(libDir)) {
    const text = fs.readFileSync(file, "utf8");
    if (!text.includes("noteReferenceCall(")) continue;
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionDeclaration(node) && node.body && node.name) {
        const label = /noteReferenceCall\("([^"]+)"\)/.exec(node.body.getText(sf))?.[1];
        if (label) {
          const list = found.get(label) ?? [];
          list.push({ where: `${path.relative(projectRoot(), file)}:${node.name.text}`, code: node.getText(sf) });
          found.set(label, list);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

/** The solution code of `ex` in the solved notebook (the solution regions' markers dropped). */
function solutionCode(source: CourseSource, ex: Exercise): string {
  const cell = source.solved.cells.find((c) => c.cell_type === "code" && c.metadata.course?.role === "solution" && c.metadata.course.exercise === ex.id);
  return cell ? sourceText(cell).split("\n").filter((l) => !/\/\/ (BEGIN|END) SOLUTION/.test(l)).join("\n") : "";
}

/** Every reference sample of the exercises of `sources`: owner names say where each comes from. */
export function referenceSamples(sources: Iterable<CourseSource>, probes = probeSources()): CodeSample[] {
  const samples: CodeSample[] = [];
  for (const source of sources) {
    for (const ex of source.exercises) {
      const solution = solutionCode(source, ex);
      if (solution.trim()) samples.push({ owner: `solução do curso (${path.basename(source.file)})`, exercise: ex.id, code: solution });
      for (const label of ex.offLimits?.probes ?? []) {
        for (const p of probes.get(label) ?? []) samples.push({ owner: `referência do curso (${p.where})`, exercise: ex.id, code: p.code });
      }
    }
  }
  return samples;
}
