// `npm run grade -- --merge DIR... --out OUT`: joins the reports of `--shard K/N` runs
// into the report one run over the whole class gives (same rows in the same order;
// only the timings differ). Refuses a missing, repeated or foreign shard.
import * as fs from "fs";
import * as path from "path";
import type { GradingReport, SubmissionGrade } from "../grader";

export interface ShardInfo { k: number; n: number; of: number; positions: number[] }

type ShardReport = GradingReport & { shard?: ShardInfo };

function readShard(dir: string): ShardReport & { shard: ShardInfo } {
  const file = path.join(dir, "report.json");
  if (!fs.existsSync(file)) throw new Error(`${dir}: no report.json (run \`npm run grade -- ... --shard K/N --out ${dir}\` first)`);
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as ShardReport;
  if (!report.shard) throw new Error(`${file} is not a shard's report (graded without --shard K/N)`);
  if (report.interrupted) throw new Error(`${file} was interrupted (Ctrl-C): finish it with --resume before merging`);
  return report as ShardReport & { shard: ShardInfo };
}

/** The shards' executed notebooks copied into `outDir/executed`, their rows pointing there. */
function moveExecuted(rows: SubmissionGrade[], outDir: string): void {
  for (const row of rows) {
    if (!row.executed || !fs.existsSync(row.executed)) continue;
    const target = path.join(outDir, "executed", path.basename(row.executed));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (path.resolve(target) !== path.resolve(row.executed)) fs.copyFileSync(row.executed, target);
    row.executed = target;
  }
}

export function mergeShards(dirs: string[], outDir: string): GradingReport {
  if (dirs.length === 0) throw new Error("--merge needs the output folders of the shards");
  const shards = dirs.map(readShard);
  const { n, of } = shards[0].shard;
  const problems: string[] = [];
  for (const [i, s] of shards.entries()) {
    if (s.shard.n !== n || s.shard.of !== of) problems.push(`${dirs[i]} is shard ${s.shard.k}/${s.shard.n} of ${s.shard.of} submissions, the first is of ${n} shards and ${of} submissions`);
  }
  for (let k = 1; k <= n; k++) {
    const found = shards.filter((s) => s.shard.k === k).length;
    if (found !== 1) problems.push(found === 0 ? `shard ${k}/${n} is missing` : `shard ${k}/${n} given ${found} times`);
  }
  if (problems.length) throw new Error(`cannot merge:\n  ${problems.join("\n  ")}`);
  const rows = shards.flatMap((s) => s.submissions.map((row, i) => ({ row, at: s.shard.positions[i] })));
  if (rows.length !== of || new Set(rows.map((r) => r.at)).size !== of) {
    throw new Error(`cannot merge: the shards hold ${rows.length} rows, the class has ${of} submissions (a shard graded another folder?)`);
  }
  const submissions = rows.sort((a, b) => a.at - b.at).map((r) => r.row);
  moveExecuted(submissions, outDir);
  const seen = new Set<string>();
  const questions = shards.flatMap((s) => s.questions ?? []).filter((q) => !seen.has(`${q.notebook}/${q.answer}`) && seen.add(`${q.notebook}/${q.answer}`))
    .sort((a, b) => (a.notebook < b.notebook ? -1 : a.notebook > b.notebook ? 1 : 0));
  // The shards ran side by side: the class took as long as the slowest.
  return { generatedAt: new Date().toISOString(), seconds: Math.max(...shards.map((s) => s.seconds)), submissions, questions,
    ...(shards[0].roster ? { roster: shards[0].roster } : {}) };
}
