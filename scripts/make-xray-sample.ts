// npm run sample -- --source DIR [--out data/chest-xray-sample] [--seed 2018] [--size 96] [--train 300] [--test 100]
//
// Rebuilds the small X-ray sample the repository ships (tools/data/xray-sample.ts) from a full
// copy in the Kaggle layout (default: CNN_COURSE_DATA).
import * as path from "path";
import { projectRoot } from "../lib/common/config";
import { buildXraySample, SAMPLE_DEFAULTS, SampleOptions } from "../tools/data/xray-sample";
import { positiveInt, readOptions, UsageError } from "./cli";

const USAGE = "usage: npm run sample -- --source DIR [--out data/chest-xray-sample] [--seed 2018] [--size 96] [--train 300] [--test 100]";
const OPTIONS = {
  source: { type: "string" }, out: { type: "string" }, seed: { type: "string" }, size: { type: "string" },
  train: { type: "string" }, test: { type: "string" },
} as const;

function parseArgs(argv: string[]): SampleOptions {
  const o = readOptions(argv, OPTIONS, USAGE);
  const int = (flag: string, v: string | undefined, fallback: number): number => (v === undefined ? fallback : positiveInt(flag, v, USAGE));
  const source = o.source ?? process.env.CNN_COURSE_DATA;
  if (!source) throw new UsageError(`say where the full data set is: --source DIR (or set CNN_COURSE_DATA)\n${USAGE}`);
  return {
    ...SAMPLE_DEFAULTS, source: path.resolve(source),
    out: path.resolve(o.out ?? path.join(projectRoot(), "data", "chest-xray-sample")),
    seed: int("--seed", o.seed, SAMPLE_DEFAULTS.seed), size: int("--size", o.size, SAMPLE_DEFAULTS.size),
    counts: { train: int("--train", o.train, SAMPLE_DEFAULTS.counts.train), test: int("--test", o.test, SAMPLE_DEFAULTS.counts.test) },
  };
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const r = await buildXraySample(opts, (l) => console.log(l));
  console.log(`${r.files} images, ${r.bytes} bytes of PNG in ${path.relative(process.cwd(), opts.out)} ` +
    `(${JSON.stringify(r.perFolder)}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(2);
});
