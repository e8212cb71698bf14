// Results as data (npm run results, npm run train --seeds) on a tiny run of the real
// model: a run still going (only last/) gives a partial result that says where it
// stopped; a finished one gives the test metrics, the SVGs and the README block.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { initEngine } from "cnn-course-engine";
import { machineInfo, simdFlags } from "../../lib/common/machine";
import { buildModel } from "../../lib/pneumonia/model";
import {
  compareBatchNormStatistics, evaluateModel, formatSeedTable, LabeledImages, latestResultsFile, PRESETS,
  epochSecondsTotal, showClassroomSeeds, testMetrics, wasResumed,
  trainModel, TrainingReport, writeJsonAtomic,
} from "../../lib/pneumonia/training";
import { EngineInfo } from "cnn-course-engine";
import { completedReport, meetsTarget, parseSeeds, seedTable, summarizeSeeds } from "../../tools/results/seeds";
import { seededRandom } from "../../lib/common/random";
import { runResults, writeRunResults } from "../../tools/results/full-run";
import { fullRunBlock, replaceReadmeBlock } from "../../tools/results/readme";

function tinyXrays(count: number, seed: number): LabeledImages {
  const size = 32, rng = seededRandom(seed), px = size * size * 3;
  const images = new Uint8Array(count * px), labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = rng() < 0.7 ? 1 : 0;
    for (let k = 0; k < px; k++) images[i * px + k] = Math.round((labels[i] ? 140 : 110) + (rng() - 0.5) * 200);
  }
  return { images, labels, size, count };
}

describe("results as data (tools/results, lib/pneumonia/training/seed-table.ts)", function () {
  this.timeout(300_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "results-test-"));
  const runDir = path.join(dir, "run"), outDir = path.join(dir, "docs");
  const train = tinyXrays(12, 1), val = tinyXrays(8, 2), test = tinyXrays(10, 3);
  let model: tf.LayersModel;
  before(async () => {
    await initEngine({ quiet: true });
    model = buildModel(32, { seed: 1 });
    const r = await trainModel(model, train, val, {
      epochs: 2, batchSize: 6, showProgress: false, checkpointDir: runDir, meta: { preset: "full", imageSize: 32 },
    });
    r.optimizer.dispose();
  });
  after(() => {
    model.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("reads a run without report.json (still going or stopped) as partial, saying the epoch", () => {
    const r = runResults(runDir, "test");
    assert.equal(r.status, "partial");
    assert.match(r.statusText, /^parada ou ainda em andamento na época 2 \(de até 100\)/);
    assert.equal(r.history.val_loss.length, 2);
    assert.equal(r.test, null);
    const written = writeRunResults(r, outDir, "full");
    assert.equal(written.confusion, null);
    assert.match(fs.readFileSync(written.curves, "utf8"), /^<svg/);
    assert.deepEqual(JSON.parse(fs.readFileSync(written.json, "utf8")).history, r.history);
  });

  it("reads a finished run's report: test metrics, confusion matrix, engine, threads, machine", async () => {
    const state = JSON.parse(fs.readFileSync(path.join(runDir, "last", "state.json"), "utf8"));
    const t = testMetrics(await evaluateModel(model, test, { progressLabel: null }));
    const report = {
      preset: PRESETS.full, engine: { backend: "wasm", reason: "" }, machine: machineInfo(), history: state.history,
      bestEpoch: state.bestEpoch, stoppedEarly: false, interrupted: false, test: t,
      seconds: { data: 1, training: 2, evaluation: 3, total: 6, cpu: 5 }, startedAt: "2026-01-02T00:00:00Z", finishedAt: "2026-01-02T01:00:00Z",
    } as unknown as TrainingReport;
    writeJsonAtomic(path.join(runDir, "report.json"), report);
    const r = runResults(runDir, "test");
    assert.equal(r.status, "complete");
    assert.deepEqual(r.test, t);
    assert.equal(t.confusionMatrix.flat().reduce((a, b) => a + b, 0), test.count);
    assert.equal(r.threads, 1, "a report without threads (older runs) ran on one wasm thread");
    writeJsonAtomic(path.join(runDir, "report.json"), { ...report, threads: 2 });
    assert.equal(runResults(runDir, "test").threads, 2, "the threads the run recorded");
    writeJsonAtomic(path.join(runDir, "report.json"), report);
    assert.equal(r.machineSource, "run");
    const written = writeRunResults(r, outDir, "full");
    assert.equal(path.basename(written.json), "full-2026-01-02.json");
    assert.match(fs.readFileSync(written.confusion!, "utf8"), /^<svg/);
    const readme = path.join(dir, "README.md");
    fs.writeFileSync(readme, "a\n<!-- results:full -->\nold\n<!-- /results:full -->\nb\n");
    replaceReadmeBlock("full", fullRunBlock(r, written), readme);
    const text = fs.readFileSync(readme, "utf8");
    assert.ok(text.includes(`| ${t.accuracy.toFixed(3)} | ${t.precision.toFixed(3)} | ${t.recall.toFixed(3)} |`), text);
    assert.ok(text.includes("| Keras example page (current version) | 0.7901 | 0.7524 | 0.9897 |"), text);
    assert.ok(text.includes("| Keras example page (earlier version) | 0.8141 | 0.7807 | 0.9769 |"), text);
    assert.ok(!text.includes("old") && text.startsWith("a\n") && text.endsWith("b\n"));
    assert.throws(() => replaceReadmeBlock("classroom", "x", readme), /não tem os marcadores <!-- results:classroom -->/);
    // A resumed run: its report times the last process only; the block gives the epochs' sum too.
    const epochs = r.epochDetails.reduce((sum, e) => sum + e.seconds, 0);
    assert.equal(epochSecondsTotal(r), epochs);
    const resumed = { ...r, wallSeconds: epochs / 4 };
    assert.ok(wasResumed(resumed) && !wasResumed({ ...r, wallSeconds: epochs + 10 }));
    assert.match(fullRunBlock(resumed, written), new RegExp(`training time ${(epochs / 3600).toFixed(1)} h \\(the sum of the ${r.epochs} epochs over resumed runs; the last run took ${(epochs / 4 / 3600).toFixed(1)} h\\)`));
  });

  it("parses seed lists and summarizes a table with its minimum and median", () => {
    assert.deepEqual(parseSeeds("1-5"), [1, 2, 3, 4, 5]);
    assert.deepEqual(parseSeeds("2-3,9"), [2, 3, 9]);
    assert.throws(() => parseSeeds("5-1"), /invertido/);
    assert.throws(() => parseSeeds("1,1"), /repetida/);
    assert.throws(() => parseSeeds("a"), /use números inteiros/);
    assert.deepEqual(summarizeSeeds([0.8, 0.7, 0.9, 0.76]), { min: 0.7, median: 0.78, max: 0.9 });
    const row = (seed: number, accuracy: number, recall: number, cpuSeconds: number | null, threads = 1) => ({
      seed, epochsRun: 8, bestEpoch: 5, accuracy, precision: 0.7, recall, loss: 1, confusionMatrix: [[1, 2], [3, 4]],
      seconds: 700, cpuSeconds, threads, reused: false, code: null, meetsTarget: meetsTarget({ accuracy, recall, cpuSeconds, threads }),
    });
    const rows = [row(1, 0.8, 0.97, 250), row(2, 0.74, 0.99, 250), row(3, 0.8, 0.97, 601), row(4, 0.9, 0.94, null)];
    assert.deepEqual(rows.map((r) => r.meetsTarget), [true, false, false, false]);
    // Two threads: 1,100 s of CPU is 9:10 alone on the machine (in time); 1,300 s is 10:50 (too long).
    assert.deepEqual([row(5, 0.8, 0.97, 1100, 2), row(6, 0.8, 0.97, 1300, 2)].map((r) => r.meetsTarget), [true, false]);
    const table = seedTable(PRESETS.classroom, rows, { command: "x", engine: null, startedAt: "" });
    assert.equal(table.allMeetTarget, false);
    assert.equal(table.summary.cpuSeconds, null);
    const text = formatSeedTable(table);
    assert.match(text, /\| \*\*min\*\* \| \| 0\.740 \|/);
    assert.match(text, /\| \*\*median\*\* \| \| 0\.800 \|/);
    assert.match(text, /\| 3 \| 8 \(5\) \| 0\.800 .* \| 1 \| 10:01 \| 11:40 \| no \|/);
    assert.deepEqual(table.deviationsFromKeras, ["imagens 40x40 (Keras: 180x180)", "no máximo 12 épocas (Keras: 100 com parada antecipada)",
      "médias da BatchNorm recalculadas ao fim de cada época em 1000 imagens de treino, com os pesos da época (Keras: médias móveis, momento 0,99)",
      "taxa de aprendizado inicial 0.001 (Keras: 0.015)"]);
    // The notebook's cell: the newest classroom-seeds-<date>.json as a table, with its command and threads.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seeds-"));
    fs.writeFileSync(path.join(dir, "classroom-seeds-2026-01-02.json"), JSON.stringify({ ...table, rows: [row(5, 0.8, 0.97, 1100, 2)] }));
    fs.writeFileSync(path.join(dir, "classroom-seeds-2025-12-31.json"), JSON.stringify(table));
    const printed: string[] = [], log = console.log;
    console.log = (line: string) => { printed.push(line); };
    try {
      assert.equal(showClassroomSeeds(latestResultsFile("classroom-seeds", dir))?.rows[0].seed, 5);
      assert.equal(showClassroomSeeds(latestResultsFile("classroom-seeds", path.join(dir, "none"))), null);
    } finally {
      console.log = log;
    }
    assert.match(printed[0], /classroom-seeds-2026-01-02\.json.*gerado por x; 2 thread\(s\)/);
    // The table in Portuguese (its text form outside a notebook), pt-BR decimals, no Markdown pipes.
    assert.match(printed[1], /^semente +épocas \(melhor\) +acurácia/);
    assert.match(printed[1], /\n +5 +8 \(5\) +0,800 .* 18:20 +11:40 +sim\n/);
    assert.doesNotMatch(printed[1], /\|/);
    assert.match(printed[3], /Ainda não há tabela do preset classroom/);
    // A seed's finished run is reused only for the same recipe (learning rate, replica mode, BatchNorm statistics included).
    const seedDir = fs.mkdtempSync(path.join(os.tmpdir(), "seed-"));
    const preset = { ...PRESETS.classroom, seed: 3 };
    const engine: EngineInfo = { backend: "wasm", reason: "", threads: 2, threadsReason: "", kernels: { winograd: true, relaxedSimd: true } };
    fs.writeFileSync(path.join(seedDir, "report.json"), JSON.stringify({ preset, engine, test: { accuracy: 0.8 }, interrupted: false }));
    assert.ok(completedReport(seedDir, preset, engine));
    assert.equal(completedReport(seedDir, { ...preset, replicaMode: "replica" }, engine), null);
    assert.equal(completedReport(seedDir, { ...preset, schedule: { ...preset.schedule, initialLearningRate: 0.015 } }, engine), null);
    assert.equal(completedReport(seedDir, { ...preset, seed: 4 }, engine), null);
    // ...and the BatchNorm statistics: a run with Keras' moving averages is not reused for recomputed ones.
    assert.equal(completedReport(seedDir, { ...preset, recomputeBatchNormImages: undefined }, engine), null);
    assert.equal(completedReport(seedDir, { ...preset, recomputeBatchNormImages: 500 }, engine), null);
    // ...and the engine: other kernels (or none recorded, an older run), threads or backend change the bits.
    assert.equal(completedReport(seedDir, preset, { ...engine, kernels: { winograd: true, relaxedSimd: false } }), null);
    assert.equal(completedReport(seedDir, preset, { ...engine, kernels: null }), null);
    assert.equal(completedReport(seedDir, preset, { ...engine, threads: 1 }), null);
    assert.equal(completedReport(seedDir, preset, { ...engine, backend: "cpu" }), null);
    // ...and a run whose workers did not start (planned 2 threads, trained on 1) is not a 2-thread run.
    fs.writeFileSync(path.join(seedDir, "report.json"), JSON.stringify({ preset, engine, threads: 1, test: { accuracy: 0.8 }, interrupted: false }));
    assert.equal(completedReport(seedDir, preset, engine), null);
    assert.ok(completedReport(seedDir, preset, { ...engine, threads: 1 }));
  });

  it("lists the SIMD extensions of /proc/cpuinfo", () => {
    assert.deepEqual(simdFlags("processor : 0\nflags : fpu sse sse2 avx2 avx512f fma ht\n"), ["avx2", "avx512f", "fma", "sse", "sse2"]);
    assert.deepEqual(simdFlags("no flags here"), []);
  });
});

describe("BatchNormalization moving vs batch statistics (the notebook's curves demo)", function () {
  this.timeout(300_000);
  it("evaluates with moving statistics exactly as evaluateModel, and with each batch's own otherwise", async () => {
    await initEngine({ quiet: true });
    const model = buildModel(32, { seed: 2 });
    const data = tinyXrays(30, 4);
    const c = compareBatchNormStatistics(model, data, 10);
    const e = await evaluateModel(model, data, { batchSize: 10, progressLabel: null });
    assert.ok(Math.abs(c.moving.loss - e.loss) < 1e-6 && c.moving.accuracy === e.accuracy);
    assert.equal(c.layers.length, 7);
    // A fresh model's moving statistics are mean 0, variance 1: far from the real ones, so the two evaluations differ.
    assert.ok(Math.abs(c.batch.loss - c.moving.loss) > 1e-4, `${c.batch.loss} vs ${c.moving.loss}`);
    assert.ok(c.layers.some((l) => l.meanShift > 0.1 || Math.abs(l.varianceRatio - 1) > 0.1));
    model.dispose();
  });
});
