// Benchmarks of the chest X-ray pipeline (printed figures, not timed tests): decode time per
// image (224-px set and original resolution), one thread vs the worker pool, and loading the
// whole train+val pool cold (decode + write cache) vs from the disk cache.
// CLI: scripts/bench-data.ts.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { xrayDataDir } from "../../lib/common/config";
import { decodeImage } from "../../lib/pneumonia/data/decode";
import { loadImages } from "../../lib/pneumonia/data/load-images";
import { listXrayFiles, XrayFile } from "../../lib/pneumonia/data/xray-files";

export interface DataBenchOptions {
  /** Image sizes of the cold-vs-cached load. */
  sizes: number[];
  /** Images per decode measure. */
  sample: number;
  /** Skip the whole-pool cold-vs-cached load. */
  skipFull: boolean;
}

function every<T>(items: readonly T[], n: number): T[] {
  const step = Math.max(1, Math.floor(items.length / n));
  return items.filter((_, i) => i % step === 0).slice(0, n);
}

// Wall time and CPU time per image: on a busy machine the CPU time still says what an idle one would take.
async function decodeMs(files: readonly XrayFile[]): Promise<{ ms: number; cpuMs: number; megapixels: number }> {
  const bytes = files.map((f) => fs.readFileSync(f.path));
  await decodeImage(bytes[0]); // load jimp and warm up the JIT
  let pixels = 0;
  const cpu = process.cpuUsage();
  const t = performance.now();
  for (const b of bytes) {
    const img = await decodeImage(b);
    pixels += img.width * img.height;
  }
  const ms = (performance.now() - t) / bytes.length;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000 / bytes.length, megapixels: pixels / bytes.length / 1e6 };
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await f();
  return [r, (performance.now() - t) / 1000];
}

/** Runs the data benchmarks, one printed line per figure. */
export async function benchDataPipeline(opts: DataBenchOptions, log: (line: string) => void = console.log): Promise<void> {
  const { sizes, sample } = opts;
  const dataDir = xrayDataDir();
  const fullDir = path.join(path.dirname(dataDir), "chest-xray-fullres");
  log(`data: ${dataDir}; ${os.cpus().length} cores; load average ${os.loadavg().map((v) => v.toFixed(1)).join(" ")}`);

  const files = listXrayFiles(dataDir);
  const pool = files.filter((f) => f.split !== "test");
  const d224 = await decodeMs(every(files.filter((f) => f.split === "train"), sample));
  log(`jimp decode, 224x224 set: ${d224.ms.toFixed(1)} ms/image wall, ${d224.cpuMs.toFixed(1)} ms CPU (${sample} images)`);
  if (fs.existsSync(fullDir)) {
    const full = every(listXrayFiles(fullDir, { splits: ["train"] }), 30);
    const dFull = await decodeMs(full);
    log(`jimp decode, original resolution: ${dFull.ms.toFixed(0)} ms/image wall, ${dFull.cpuMs.toFixed(0)} ms CPU (${full.length} images, ${dFull.megapixels.toFixed(1)} Mpx on average)`);
  }

  const some = every(pool, 4 * sample);
  for (const workers of [0, 2]) {
    const [, s] = await timed(() => loadImages(some, 180, { cache: false, workers, progress: false }));
    log(`decode + resize to 180, ${some.length} images, ${workers === 0 ? "one thread " : `${workers} workers  `}: ${(1000 * s / some.length).toFixed(1)} ms/image (${s.toFixed(1)} s)`);
  }

  if (opts.skipFull) return;
  const cacheFolder = fs.mkdtempSync(path.join(os.tmpdir(), "cnn-course-bench-"));
  try {
    for (const size of sizes) {
      const [cold, coldS] = await timed(() => loadImages(pool, size, { cacheFolder, progress: false }));
      const [warm, warmS] = await timed(() => loadImages(pool, size, { cacheFolder, progress: false }));
      const mb = cold.images.length / 1e6;
      log(`train+val pool (${cold.count} images) at ${size}x${size}: cold ${coldS.toFixed(1)} s, cached ${warmS.toFixed(2)} s ` +
        `(fromCache=${warm.fromCache}, ${mb.toFixed(0)} MB of pixels, ${cold.skipped.length} skipped)`);
    }
  } finally {
    fs.rmSync(cacheFolder, { recursive: true, force: true });
  }
}
