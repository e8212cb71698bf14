// The README's results sections are written by the commands that make the results, between
// markers, so every figure there comes from a file in docs/results:
//   <!-- results:full -->  ...  <!-- /results:full -->        (npm run results)
//   <!-- results:classroom --> ... <!-- /results:classroom --> (npm run train -- --seeds)
//   <!-- results:variants --> ... <!-- /results:variants -->   (npm run train -- --seeds with --split/--head)
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../../lib/common/config";
import { epochSecondsTotal, FullRunResults, formatComparison, statusInEnglish, wasResumed } from "../../lib/pneumonia/training/results";
import { formatSeedTable, SeedTable } from "../../lib/pneumonia/training/seed-table";
import { formatVariants, variantSummaries } from "../../lib/pneumonia/training/variants";

/** Replaces the text between `<!-- results:NAME -->` and `<!-- /results:NAME -->` in `file`. */
export function replaceReadmeBlock(name: string, body: string, file = path.join(projectRoot(), "README.md")): void {
  const text = fs.readFileSync(file, "utf8");
  const open = `<!-- results:${name} -->`, close = `<!-- /results:${name} -->`;
  const from = text.indexOf(open), to = text.indexOf(close);
  if (from < 0 || to < from) throw new Error(`${file} não tem os marcadores ${open} ... ${close}: coloque-os onde a tabela deve ficar.`);
  const next = `${text.slice(0, from + open.length)}\n${body.trim()}\n${text.slice(to)}`;
  if (next !== text) fs.writeFileSync(file, next);
}

function relative(file: string): string {
  return path.relative(projectRoot(), file).split(path.sep).join("/");
}

/** The full run's block: status, comparison with Keras and PyTorch, pictures, where and how long. */
export function fullRunBlock(r: FullRunResults, files: { json: string; curves: string; confusion: string | null }): string {
  const m = r.machine, hours = (s: number): string => `${(s / 3600).toFixed(1)} h`;
  return [
    `From \`${relative(files.json)}\` (\`${r.command}\`): ${r.status === "complete" ? statusInEnglish(r) : `**${statusInEnglish(r)}**`}.`,
    `Engine ${r.engine?.backend ?? "unknown"}${r.threads ? `, ${r.threads} thread(s)` : ""}, ` +
      (wasResumed(r)
        ? `training time ${hours(epochSecondsTotal(r))} (the sum of the ${r.epochs} epochs over resumed runs; the last run took ${hours(r.wallSeconds)}), `
        : `wall time ${hours(r.wallSeconds)}, `) +
      `${m.cpuModel} (${m.cores} cores, ${m.simd.includes("avx512f") ? "AVX-512" : m.simd.includes("avx2") ? "AVX2" : "no AVX2"}), Node ${m.node}.`,
    "",
    formatComparison(r, "en"),
    "",
    `![curves](${relative(files.curves)})${files.confusion ? ` ![confusion matrix](${relative(files.confusion)})` : ""}`,
  ].join("\n");
}

/** The classroom seed table's block: the settings, the table, the verdict and the command. */
export function seedTableBlock(table: SeedTable, file: string): string {
  const p = table.preset;
  return [
    `From \`${relative(file)}\` (\`${table.command}\`): preset \`${p.name}\`, ${p.imageSize}x${p.imageSize}, ${p.epochs} epochs, ` +
      `lr ${p.schedule.initialLearningRate}${p.schedule.warmupSteps ? `, warm-up ${p.schedule.warmupSteps} steps` : ""}; ` +
      `deviations from Keras: ${table.deviationsFromKeras.join("; ") || "none"}. Engine ${table.engine?.backend ?? "?"}, ${table.machine.cpuModel}.`,
    "",
    formatSeedTable(table),
    "",
    table.allMeetTarget
      ? `Every seed meets the target (recall ≥ ${table.target.recall}, accuracy ≥ ${table.target.accuracy}, ≤ ${table.target.minutes} min of CPU).`
      : `**Not every seed meets the target** (recall ≥ ${table.target.recall}, accuracy ≥ ${table.target.accuracy}, ≤ ${table.target.minutes} min of CPU).`,
  ].join("\n");
}

/** The four classroom tables side by side (Keras model and GAP, image and patient split), with their files. */
export function variantsBlock(): string {
  const summaries = variantSummaries();
  return [
    formatVariants(summaries, "en"),
    "",
    ...summaries.map((s) => `- ${s.model}, split by ${s.split}: \`${relative(s.file)}\` (\`${s.command}\`), seeds ${s.seeds.join(", ")}, median ${s.cpuSecondsMedian === null ? "" : `CPU time ${(s.cpuSecondsMedian / 60).toFixed(1)} min, `}wall time ${(s.secondsMedian / 60).toFixed(0)} min a seed (the machine was shared)`),
    "",
    "—: not recorded by that table (it was made before the column existed).",
  ].join("\n");
}
