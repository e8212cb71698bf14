// `npm run grade -- --out DIR --gradebook PRESET [--weights FILE] --feedback`: the class
// outputs made from a finished report.json (after --merge-manual, with the hand-given points).
import * as fs from "fs";
import * as path from "path";
import type { GradingReport } from "../grader";
import { writeFeedback } from "./feedback";
import { lateness, readDeadlines } from "./deadlines";
import { gradebookCsv, GradebookPreset, LateOf } from "./gradebook";
import { writeMoodleFeedbackZip } from "./moodle-zip";

/** Notebook weights from a JSON file `{"02-filtros-convolucao": 2, ...}`; a clear error otherwise. */
export function readWeights(file: string): Record<string, number> {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${file}: not readable JSON (${(err as Error).message}); write {"<notebook id>": <weight>, ...}`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new Error(`${file}: expected an object {"<notebook id>": <weight>, ...}`);
  const bad = Object.entries(value).filter(([, w]) => typeof w !== "number" || !(w >= 0));
  if (bad.length) throw new Error(`${file}: weights must be numbers >= 0 (${bad.map(([k]) => k).join(", ")})`);
  return value as Record<string, number>;
}

export function writeClassOutputs(outDir: string, outputs: { gradebook: GradebookPreset | null; weights: string | null; feedback: boolean; deadlines?: string | null }): string[] {
  const file = path.join(outDir, "report.json");
  if (!fs.existsSync(file)) throw new Error(`no report.json in ${outDir}: grade first (npm run grade -- <folder> --out ${outDir})`);
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as GradingReport;
  const written: string[] = [];
  const rules = outputs.deadlines ? readDeadlines(outputs.deadlines) : null;
  const late: LateOf = (row, student) => (rules ? lateness(row, student, rules) : null);
  if (outputs.gradebook) {
    const target = path.join(outDir, `gradebook-${outputs.gradebook}.csv`);
    fs.writeFileSync(target, gradebookCsv(report, outputs.gradebook, outputs.weights ? readWeights(outputs.weights) : {}, late));
    written.push(target);
  }
  if (outputs.feedback) {
    written.push(...writeFeedback(report, outDir, late).map((d) => path.join(d, "feedback.html")));
    const moodle = writeMoodleFeedbackZip(report, outDir, late);
    if (moodle.zip) written.push(moodle.zip);
    if (moodle.zip && moodle.leftOut.length) {
      console.log(`feedback-moodle.zip: sem pasta do Moodle (<Nome>_<id>_assignsubmission_file_), fora do zip: ${moodle.leftOut.join(", ")}`);
    }
  }
  return written;
}
