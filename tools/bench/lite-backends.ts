// The browser's backends on this machine (README, "No install"): one training step of the
// pneumonia model (notebook 09's, batch 25, Adam) and one forward pass of a 100-image batch, on
// the course's wasm engine and on WebGL, in the built site (npm run lite first) in Debian's
// headless Chromium. Without a GPU, Chromium's WebGL is SwiftShader (software); the renderer's
// name is printed with the figures. Prints one JSON line per backend and image size.
//   npx tsx tools/bench/lite-backends.ts [--sizes 48,96] [--steps 5]
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { chromium } from "playwright-core";
import { cacheDir } from "../../lib/common/config";
import { serveStatic } from "../lite/serve";

const PAGE_BENCH = `async ({ backend, size, steps }) => {
  const tf = cnnCourse.tf, c = cnnCourse.course;
  if (backend === "wasm") await cnnCourse.courseModule.initEngine({ quiet: true });
  else { await tf.setBackend(backend); await tf.ready(); }
  const gl = document.createElement("canvas").getContext("webgl2");
  const info = gl && gl.getExtension("WEBGL_debug_renderer_info");
  const renderer = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : null;
  const model = c.buildModel(size, { seed: 1 });
  const optimizer = tf.train.adam(0.001);
  const x = tf.randomUniform([25, size, size, 3], 0, 255, "float32", 1);
  const y = tf.tensor2d(Array.from({ length: 25 }, (_, i) => i % 2), [25, 1]);
  const step = () => { const cost = optimizer.minimize(() => tf.losses.logLoss(y, model.apply(x, { training: true })), true);
    cost.dataSync(); cost.dispose(); };
  const xs = tf.randomUniform([100, size, size, 3], 0, 255, "float32", 2);
  const predict = () => { const p = model.predict(xs); p.dataSync(); p.dispose(); };
  let t = performance.now(); step(); const firstStepMs = performance.now() - t;
  t = performance.now(); for (let i = 0; i < steps; i++) step(); const stepMs = (performance.now() - t) / steps;
  predict(); t = performance.now(); predict(); const predictMs = performance.now() - t;
  model.dispose(); optimizer.dispose(); tf.dispose([x, y, xs]);
  return { backend: tf.getBackend(), renderer, size, firstStepMs: Math.round(firstStepMs), stepMs: Math.round(stepMs), predict100Ms: Math.round(predictMs) };
}`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string, fallback: string): string => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
  const sizes = arg("--sizes", "48,96").split(",").map(Number);
  const steps = Number(arg("--steps", "5"));
  const site = cacheDir("lite");
  if (!fs.existsSync(path.join(site, "course.js"))) throw new Error(`No site in ${site}: run npm run lite first.`);
  const server = await serveStatic(site);
  const browser = await chromium.launch({ executablePath: process.env.CNN_COURSE_CHROMIUM ?? "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
  try {
    console.log(JSON.stringify({ machine: `${os.cpus().length} cores, ${os.cpus()[0]?.model}`, load: os.loadavg().map((v) => +v.toFixed(1)) }));
    for (const size of sizes) {
      for (const backend of ["wasm", "webgl"]) {
        const page = await browser.newPage();
        page.setDefaultTimeout(600_000);
        await page.goto(server.url);
        await page.waitForFunction("window.cnnLite && window.cnnLite.ready");
        await page.evaluate("window.cnnLite.startKernel()");
        console.log(JSON.stringify(await page.evaluate(`(${PAGE_BENCH})(${JSON.stringify({ backend, size, steps })})`)));
        await page.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e: Error) => { console.error(e.message); process.exit(1); });
