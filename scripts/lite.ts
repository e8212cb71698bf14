// npm run lite [-- --out DIR] [-- --serve [--port N]]
//
// Builds the course as a static site that runs in the browser (default .cache/lite/, see
// tools/lite/site.ts); --serve then serves it on http://127.0.0.1:PORT (default 8000).
import { buildLite } from "../tools/lite/site";
import { serveStatic } from "../tools/lite/serve";
import { exitWithError, positiveInt, readOptions } from "./cli";

interface Args { outDir?: string; serve: boolean; port: number }

const USAGE = "usage: npm run lite -- [--out .cache/lite] [--serve] [--port 8000]";
const OPTIONS = { out: { type: "string" }, serve: { type: "boolean" }, port: { type: "string" } } as const;

function parseArgs(argv: string[]): Args {
  const o = readOptions(argv, OPTIONS, USAGE);
  return { outDir: o.out, serve: o.serve ?? false, port: o.port === undefined ? 8000 : positiveInt("--port", o.port, USAGE) };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const site = await buildLite({ outDir: args.outDir });
  if (!args.serve) return;
  const server = await serveStatic(site.outDir, args.port);
  console.log(`serving ${site.outDir} at ${server.url} (Ctrl+C to stop)`);
}

main().catch(exitWithError);
