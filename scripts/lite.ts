// npm run lite [-- --out DIR] [-- --serve [--port N]]
//
// Builds the course as a static site that runs in the browser (default .cache/lite/, see
// tools/lite/site.ts); --serve then serves it on http://127.0.0.1:PORT (default 8000).
import { buildLite } from "../tools/lite/site";
import { serveStatic } from "../tools/lite/serve";

interface Args { outDir?: string; serve: boolean; port: number }

function parseArgs(argv: string[]): Args {
  const args: Args = { serve: false, port: 8000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--out") args.outDir = argv[++i];
    else if (a === "--serve") args.serve = true;
    else if (a === "--port") {
      args.port = Number(argv[++i]);
      if (!Number.isInteger(args.port) || args.port < 1) throw new Error("--port needs a port number");
    } else if (a === "--help" || a === "-h") {
      console.log("usage: npm run lite -- [--out .cache/lite] [--serve] [--port 8000]");
      process.exit(0);
    } else throw new Error(`unknown option ${a} (see --help)`);
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const site = await buildLite({ outDir: args.outDir });
  if (!args.serve) return;
  const server = await serveStatic(site.outDir, args.port);
  console.log(`serving ${site.outDir} at ${server.url} (Ctrl+C to stop)`);
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(2);
});
