// Bundles the JupyterLab rendering test page (page.ts) with esbuild into .cache/jupyterlab-page/,
// once: the bundle is reused while page.ts and package-lock.json are unchanged.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { cacheDir, projectRoot } from "../../../lib/common/config";

export interface TestPage { dir: string; html: string; built: boolean; seconds: number }

export async function buildTestPage(outDir: string = cacheDir("jupyterlab-page")): Promise<TestPage> {
  const started = Date.now();
  const entry = path.join(__dirname, "page.ts");
  const key = crypto.createHash("sha256").update(fs.readFileSync(entry)).update(fs.readFileSync(__filename))
    .update(fs.readFileSync(path.join(projectRoot(), "package-lock.json"))).digest("hex");
  const html = path.join(outDir, "index.html");
  const stamp = path.join(outDir, "key.txt");
  if (fs.existsSync(html) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === key) {
    return { dir: outDir, html, built: false, seconds: (Date.now() - started) / 1000 };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- esbuild loads only when the bundle must be rebuilt
  const esbuild = require("esbuild") as typeof import("esbuild");
  fs.rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [entry], bundle: true, format: "iife", platform: "browser", target: "chrome110",
    outfile: path.join(outDir, "page.js"), minify: true, logLevel: "error",
    loader: { ".svg": "dataurl", ".woff": "dataurl", ".woff2": "dataurl", ".ttf": "dataurl", ".png": "dataurl" },
    define: { "process.env.NODE_ENV": '"production"', global: "window" },
  });
  fs.writeFileSync(html, `<!doctype html><html><head><meta charset="utf-8"><title>JupyterLab output areas</title>` +
    `<link rel="stylesheet" href="page.css"><style>body{margin:0;padding:8px 16px;width:900px;font:13px sans-serif}` +
    `.test-cell{border-left:3px solid #ddd;margin:10px 0;padding-left:6px}</style></head>` +
    `<body><div id="notebook"></div><script src="page.js"></script></body></html>\n`);
  fs.writeFileSync(stamp, key);
  return { dir: outDir, html, built: true, seconds: (Date.now() - started) / 1000 };
}
