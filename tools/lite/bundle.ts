// Bundles the two scripts of the course site with esbuild:
//   course.js  cnn-course for the browser (lib/ with platform-browser.ts in place of
//              platform-node.ts, Node modules replaced by shims/missing.ts, tslab by the kernel's
//              display channel) plus the TensorFlow.js it trains with; global `cnnCourse`.
//   app.js     the page: JupyterLab's notebook widgets, the TypeScript kernel (kernel/), the
//              browser storage and the download; app.css its styles.
import * as fs from "fs";
import * as path from "path";
import type { Plugin } from "esbuild";
import { projectRoot } from "../../lib/common/config";
import { exerciseModuleFiles } from "../../lib/exercises/files";

const NODE_MODULES = ["fs", "crypto", "worker_threads", "child_process", "url", "zlib", "util", "v8", "perf_hooks",
  "module", "stream", "events", "http", "https", "net", "tty", "readline", "assert", "buffer", "string_decoder", "jimp"];

/** The export names of a Node module (or of an installed package), for its browser stand-in. */
function moduleKeys(name: string): string[] {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is named at run time (its keys are listed for the shim)
    return Object.keys(require(name) as object).filter((k) => k !== "default");
  } catch {
    return [];
  }
}

/** The ES module entry ("module" field) of a TensorFlow.js package; tfjs-node goes on to the next resolver. */
function tfjsModule(name: string): { path: string } | undefined {
  if (name === "@tensorflow/tfjs-node") return undefined;
  const pkgFile = require.resolve(`${name}/package.json`);
  const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { module?: string };
  return pkg.module ? { path: path.join(path.dirname(pkgFile), pkg.module) } : undefined;
}

function browserPlugin(): Plugin {
  const here = __dirname;
  return {
    name: "cnn-course-browser",
    setup(build) {
      build.onResolve({ filter: /platform-node$/ }, () => ({ path: path.join(projectRoot(), "lib", "common", "platform-browser.ts") }));
      build.onResolve({ filter: /^tslab(\/dist\/jupyter)?$/ }, () => ({ path: path.join(here, "kernel", "tslab-channel.ts") }));
      build.onResolve({ filter: /^(node:)?path$/ }, () => ({ path: require.resolve("path-browserify") }));
      build.onResolve({ filter: /^(node:)?os$/ }, () => ({ path: path.join(here, "shims", "os.ts") }));
      // One TensorFlow.js: a require() would otherwise pick a package's CommonJS "main" (a second
      // tfjs-core whose tensors have no ops) beside the ES modules an import picks.
      build.onResolve({ filter: /^@tensorflow\/tfjs(-[a-z-]+)?$/ }, (args) => tfjsModule(args.path));
      build.onResolve({ filter: /^@tensorflow\/tfjs-node$/ }, () => ({ path: "tfjs-node", namespace: "absent" }));
      build.onLoad({ filter: /.*/, namespace: "absent" }, () => ({ contents: `throw new Error("Cannot find module '@tensorflow/tfjs-node'");` }));
      const names = NODE_MODULES.map((m) => m.replace(/[/]/g, "\\/")).join("|");
      build.onResolve({ filter: new RegExp(`^(node:)?(${names})(/promises)?$`) }, (args) => ({ path: args.path, namespace: "node-missing" }));
      build.onLoad({ filter: /.*/, namespace: "node-missing" }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(path.join(here, "shims", "missing.ts"))})` +
          `.missingModule(${JSON.stringify(args.path)}, ${JSON.stringify(moduleKeys(args.path))});`,
        resolveDir: here,
      }));
    },
  };
}

// Node's globals the course reaches: process (env, pid, cwd) and setImmediate (training yields to the page between steps).
const PROCESS_BANNER = `var process = globalThis.process || (globalThis.process = { env: {}, argv: [], platform: "browser", browser: true, pid: 1, ` +
  `cwd: function () { return "/"; }, nextTick: function (f) { Promise.resolve().then(f); }, hrtime: undefined });` +
  `globalThis.setImmediate = globalThis.setImmediate || function (f) { var a = [].slice.call(arguments, 1); return setTimeout(function () { f.apply(null, a); }, 0); };`;

export interface BundleSizes { [file: string]: number }

/** Writes course.js, app.js and app.css into `outDir`; returns their sizes in bytes. */
export async function bundleSite(outDir: string): Promise<BundleSizes> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- esbuild loads only when the site is built
  const esbuild = require("esbuild") as typeof import("esbuild");
  const exercises = exerciseModuleFiles(path.join(projectRoot(), "lib", "exercises")).map((f) => path.basename(f, ".ts"));
  const common = {
    bundle: true, format: "iife" as const, platform: "browser" as const, target: "chrome110", minify: process.env.CNN_COURSE_LITE_DEBUG !== "1",
    logLevel: "error" as const, legalComments: "none" as const,
    // Node paths some modules compute when loaded (never read: their files stay on the Node side).
    define: { "process.env.NODE_ENV": '"production"', global: "globalThis", __dirname: '"/cnn-course"', __filename: '"/cnn-course/index.js"' },
    loader: { ".svg": "dataurl", ".woff": "dataurl", ".woff2": "dataurl", ".ttf": "dataurl", ".png": "dataurl" } as const,
  };
  await esbuild.build({
    ...common, entryPoints: [path.join(__dirname, "course-entry.ts")], outfile: path.join(outDir, "course.js"),
    globalName: "cnnCourse", plugins: [browserPlugin()], banner: { js: PROCESS_BANNER },
    define: { ...common.define, CNN_COURSE_EXERCISE_MODULES: JSON.stringify(exercises) },
  });
  await esbuild.build({
    ...common, entryPoints: [path.join(__dirname, "app", "main.ts")], outfile: path.join(outDir, "app.js"),
    plugins: [browserPlugin()], banner: { js: PROCESS_BANNER },
  });
  const sizes: BundleSizes = {};
  for (const f of ["course.js", "app.js", "app.css"]) {
    const file = path.join(outDir, f);
    if (fs.existsSync(file)) sizes[f] = fs.statSync(file).size;
  }
  return sizes;
}
