// npm run sample -- --source DIR [--out data/chest-xray-sample] [--seed 2018] [--size 96] [--train 300] [--test 100]
//
// Rebuilds the small X-ray sample the repository ships (tools/data/xray-sample.ts) from a full
// copy in the Kaggle layout (default: CNN_COURSE_DATA).
import * as path from "path";
import { projectRoot } from "../lib/common/config";
import { buildXraySample, SAMPLE_DEFAULTS, SampleOptions } from "../tools/data/xray-sample";

function parseArgs(argv: string[]): SampleOptions {
  const source = process.env.CNN_COURSE_DATA;
  const opts: SampleOptions = { ...SAMPLE_DEFAULTS, counts: { ...SAMPLE_DEFAULTS.counts }, source: source ?? "",
    out: path.join(projectRoot(), "data", "chest-xray-sample") };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const int = (): number => {
      const v = Number(value());
      if (!Number.isInteger(v) || v <= 0) throw new Error(`${a} needs a positive integer`);
      return v;
    };
    if (a === "--source") opts.source = path.resolve(value());
    else if (a === "--out") opts.out = path.resolve(value());
    else if (a === "--seed") opts.seed = int();
    else if (a === "--size") opts.size = int();
    else if (a === "--train") opts.counts.train = int();
    else if (a === "--test") opts.counts.test = int();
    else throw new Error(`unknown argument ${a}`);
  }
  if (!opts.source) throw new Error("say where the full data set is: --source DIR (or set CNN_COURSE_DATA)");
  return opts;
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
