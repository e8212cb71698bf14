// npm run site [-- [--students] [--out DIR] [--no-execute] [--fresh] [--jobs N]]
//
// Builds the static course site (default .cache/site/) from the executed notebooks,
// executing the missing or stale ones first; `--students` renders notebooks/ instead of
// solutions/. The builder itself is tools/site/build.ts.
import * as path from "path";
import { buildSite, SiteOptions } from "../tools/site/build";

function parseArgs(argv: string[]): SiteOptions {
  const opts: SiteOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--students") opts.which = "students";
    else if (a === "--solutions") opts.which = "solutions";
    else if (a === "--out") opts.outDir = argv[++i];
    else if (a === "--no-execute") opts.execute = false;
    else if (a === "--fresh") opts.fresh = true;
    else if (a === "--jobs") {
      opts.jobs = Number(argv[++i]);
      if (!Number.isInteger(opts.jobs) || opts.jobs < 1) throw new Error("--jobs needs a positive integer");
    } else if (a === "--help" || a === "-h") {
      console.log("usage: npm run site -- [--students] [--out .cache/site] [--no-execute] [--fresh] [--jobs 2]");
      process.exit(0);
    } else throw new Error(`unknown option ${a} (see --help)`);
  }
  return opts;
}

if (require.main === module) {
  buildSite(parseArgs(process.argv.slice(2)))
    .then((r) => {
      console.log(`open ${path.join(r.outDir, "index.html")}`);
      process.exit(r.pages.some((p) => p.warning) ? 1 : 0);
    })
    .catch((err: Error) => {
      console.error(err.message);
      process.exit(2);
    });
}

