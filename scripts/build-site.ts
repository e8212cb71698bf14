// npm run site [-- [--students] [--out DIR] [--no-execute] [--fresh] [--jobs N]]
//
// Builds the static course site (default .cache/site/) from the executed notebooks,
// executing the missing or stale ones first; `--students` renders notebooks/ instead of
// solutions/. The builder itself is tools/site/build.ts.
import * as path from "path";
import { buildSite, SiteOptions } from "../tools/site/build";
import { exitWithError, positiveInt, readOptions } from "./cli";

const USAGE = "usage: npm run site -- [--students|--solutions] [--out .cache/site] [--no-execute] [--fresh] [--jobs 2]";
const OPTIONS = {
  students: { type: "boolean" }, solutions: { type: "boolean" }, out: { type: "string" },
  "no-execute": { type: "boolean" }, fresh: { type: "boolean" }, jobs: { type: "string" },
} as const;

function parseArgs(argv: string[]): SiteOptions {
  const o = readOptions(argv, OPTIONS, USAGE);
  const opts: SiteOptions = {};
  if (o.students) opts.which = "students";
  if (o.solutions) opts.which = "solutions";
  if (o.out !== undefined) opts.outDir = o.out;
  if (o["no-execute"]) opts.execute = false;
  if (o.fresh) opts.fresh = true;
  if (o.jobs !== undefined) opts.jobs = positiveInt("--jobs", o.jobs, USAGE);
  return opts;
}

if (require.main === module) {
  Promise.resolve().then(() => buildSite(parseArgs(process.argv.slice(2))))
    .then((r) => {
      console.log(`open ${path.join(r.outDir, "index.html")}`);
      process.exit(r.pages.some((p) => p.warning) ? 1 : 0);
    })
    .catch(exitWithError);
}

