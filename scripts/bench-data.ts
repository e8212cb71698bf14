// Benchmarks of the chest X-ray pipeline (printed figures, not timed tests):
//   npx tsx scripts/bench-data.ts [--sizes 180,64] [--sample 200] [--skip-full]
// decode time per image (224-px set and original resolution), one thread vs the worker pool, and
// loading the whole train+val pool cold (decode + write cache) vs from the disk cache
// (tools/bench/data-pipeline.ts).
// On a shared, busy machine wall times mean little: `chrt -r 10 node --import tsx scripts/bench-data.ts`
// (as root) runs it ahead of the other processes, as on an idle machine.
import { parseArgs } from "util";
import { benchDataPipeline } from "../tools/bench/data-pipeline";

const { values } = parseArgs({ options: {
  sizes: { type: "string", default: "180,64" },
  sample: { type: "string", default: "200" },
  "skip-full": { type: "boolean", default: false },
} });
benchDataPipeline({ sizes: values.sizes.split(",").map(Number), sample: Number(values.sample), skipFull: values["skip-full"] })
  .catch((err: Error) => { console.error(err.message); process.exitCode = 1; });
