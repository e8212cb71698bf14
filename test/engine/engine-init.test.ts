// initEngine: picks the best backend it can start, says why in Portuguese, is instant the
// second time, honours a forced backend and rejects an unknown one with the valid names.
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import { spawnSync } from "child_process";
import { projectRoot } from "../../lib/common/config";
import { coreCount, engineInfo, initEngine } from "cnn-course-engine";
import type { EngineInfo } from "cnn-course-engine";

describe("engine: initEngine", function () {
  const savedEnv = process.env.CNN_COURSE_BACKEND;
  after(async () => {
    if (savedEnv === undefined) delete process.env.CNN_COURSE_BACKEND;
    else process.env.CNN_COURSE_BACKEND = savedEnv;
    await initEngine({ backend: "wasm", quiet: true }); // leave the suite on the fast engine
  });

  it("picks tfjs-node when it loads, else wasm, and says why (fresh process)", function () {
    // A fresh process: earlier suites in this one may already have forced a backend.
    const script = 'require("cnn-course-engine").initEngine().then((i) => console.error("ENGINE " + JSON.stringify(i)))';
    const env = { ...process.env };
    delete env.CNN_COURSE_BACKEND;
    const run = spawnSync(process.execPath, ["--require", "tsx/cjs", "-e", script], { cwd: projectRoot(), env, encoding: "utf8" });
    const printed = run.stdout.split("\n").find((l) => l.startsWith("Motor de treino:"));
    const line = run.stderr.split("\n").find((l) => l.startsWith("ENGINE "));
    assert.ok(line, `no engine info printed: ${run.stderr}`);
    const info = JSON.parse(line.slice("ENGINE ".length)) as EngineInfo;
    let nativeInstalled = true;
    try {
      require.resolve("@tensorflow/tfjs-node");
    } catch {
      nativeInstalled = false;
    }
    if (!nativeInstalled) {
      assert.equal(info.backend, "wasm");
      assert.match(info.reason, /tfjs-node não está instalado/);
      assert.match(info.reason, /XNNPACK/);
    } else {
      assert.ok(info.backend === "tensorflow" || /tfjs-node/.test(info.reason), info.reason);
    }
    const kernels = info.kernels;
    const kernelsText = kernels ? ` Kernels: convoluções 3x3 por Winograd F(2x2,3x3) ${kernels.relaxedSimd ? "com relaxed SIMD (multiplicação-soma fundida)" : "sem relaxed SIMD (indisponível ou desligado)"}.` : "";
    if (info.backend === "wasm") assert.equal(kernels?.winograd, true);
    assert.equal(printed, `Motor de treino: ${info.backend} — ${info.reason} ${info.threadsReason}.${kernelsText}`);
  });

  it("says which convolution kernels run: Winograd with relaxed SIMD where Node validates it, each switchable off", () => {
    const kernelsIn = (env: Record<string, string>) => {
      const script = 'require("cnn-course-engine").initEngine({ backend: "wasm" })';
      const run = spawnSync(process.execPath, ["--require", "tsx/cjs", "-e", script], { cwd: projectRoot(), env: { ...process.env, ...env }, encoding: "utf8" });
      return run.stdout.split("\n").find((l) => l.startsWith("Motor de treino:"))?.replace(/^.*Kernels: /, "");
    };
    // Node 20 validates relaxed SIMD once V8's flag is set (winograd.ts sets it); newer Node by default
    assert.equal(kernelsIn({}), "convoluções 3x3 por Winograd F(2x2,3x3) com relaxed SIMD (multiplicação-soma fundida).");
    assert.equal(kernelsIn({ CNN_COURSE_RELAXED_SIMD: "0" }), "convoluções 3x3 por Winograd F(2x2,3x3) sem relaxed SIMD (indisponível ou desligado).");
    assert.equal(kernelsIn({ CNN_COURSE_WINOGRAD: "0" }), "convoluções 3x3 pelo XNNPACK (Winograd desligado).");
  });

  /** initEngine's info in a fresh process with `env` and `prelude` run first. */
  function freshInfo(env: Record<string, string>, prelude = ""): { threads: number; threadsReason: string } | string {
    const script = `${prelude}require("cnn-course-engine").initEngine({ backend: "wasm", quiet: true })` +
      '.then((i) => console.error("ENGINE " + JSON.stringify(i)), (e) => console.error("ERROR " + e.message))';
    const run = spawnSync(process.execPath, ["--require", "tsx/cjs", "-e", script], { cwd: projectRoot(), env: { ...process.env, ...env }, encoding: "utf8" });
    const line = run.stderr.split("\n").find((l) => l.startsWith("ENGINE ") || l.startsWith("ERROR "));
    assert.ok(line, `nothing printed: ${run.stderr}`);
    if (line.startsWith("ERROR ")) return line.slice(6);
    const info = JSON.parse(line.slice("ENGINE ".length)) as { threads: number; threadsReason: string };
    return { threads: info.threads, threadsReason: info.threadsReason };
  }

  it("plans one training thread per core, CNN_COURSE_THREADS to choose, one when workers cannot start", () => {
    const cores = coreCount();
    const byDefault = freshInfo({ CNN_COURSE_THREADS: "" });
    assert.ok(typeof byDefault !== "string", byDefault as string);
    assert.equal(byDefault.threads, cores);
    assert.match(byDefault.threadsReason, cores > 1 ? new RegExp(`^${cores} threads de treino em paralelo \\(um por núcleo`) : /^1 thread de treino/);
    assert.deepEqual(freshInfo({ CNN_COURSE_THREADS: "3" }), { threads: 3, threadsReason: "3 threads de treino em paralelo (CNN_COURSE_THREADS)" });
    assert.match(freshInfo({ CNN_COURSE_THREADS: "dois" }) as string, /CNN_COURSE_THREADS='dois' inválido: use um inteiro de 1 a 64/);
    const noWorkers = freshInfo({ CNN_COURSE_THREADS: "2" }, "delete globalThis.SharedArrayBuffer; ");
    assert.ok(typeof noWorkers !== "string", noWorkers as string);
    assert.equal(noWorkers.threads, 1);
    assert.equal(noWorkers.threadsReason, "1 thread de treino: os workers não iniciaram (SharedArrayBuffer indisponível)");
  });

  it("returns at once the second time, with the same answer", async () => {
    const first = await initEngine({ quiet: true });
    assert.deepEqual(engineInfo(), first);
    assert.equal(tf.getBackend(), first.backend);
    const start = performance.now();
    const second = await initEngine({ quiet: true });
    assert.ok(performance.now() - start < 50, "second call was not instant");
    assert.equal(second, first);
  });

  it("falls to cpu when asked, warning that training will be very slow", async () => {
    const info = await initEngine({ backend: "cpu", quiet: true });
    assert.equal(info.backend, "cpu");
    assert.equal(tf.getBackend(), "cpu");
    assert.match(info.reason, /muito lento/);
  });

  it("rejects an unknown backend in CNN_COURSE_BACKEND, naming the valid ones", async () => {
    process.env.CNN_COURSE_BACKEND = "gpu";
    await assert.rejects(initEngine({ quiet: true }), /Backend desconhecido 'gpu'.*tensorflow, wasm, cpu/);
    delete process.env.CNN_COURSE_BACKEND;
  });

  it("fails clearly when tfjs-node is forced but not loadable", async function () {
    try {
      require.resolve("@tensorflow/tfjs-node");
      this.skip(); // installed here: nothing to check
    } catch {
      await assert.rejects(initEngine({ backend: "tensorflow", quiet: true }), /Backend 'tensorflow' pedido, mas @tensorflow\/tfjs-node/);
    }
  });
});
