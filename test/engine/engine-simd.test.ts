// The course's WebAssembly SIMD kernels (engine/src/simd): the committed binary is the compiled
// kernels.wat (npm run build:wasm), and the engine loads it on the wasm backend's own memory.
// Their results are checked against the cpu backend in engine-kernels.test.ts.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { initEngine } from "cnn-course-engine";
import { projectRoot } from "../../lib/common/config";
import { setSimdKernels, simdKernelsFor } from "cnn-course-engine/dist/simd";
import { inputGradFused, normalizeFused } from "cnn-course-engine/dist/fused-batchnorm";
import { reluGradFused } from "cnn-course-engine/dist/fused-relu-grad";
import { conv2dBackpropFilter, depthwiseBackpropFilter } from "cnn-course-engine/dist/backprop-kernels";
import { weightedAverage, weightedAverageOps } from "cnn-course-engine/dist/fused-average";
import { setFusedAdam } from "cnn-course-engine/dist/fused-adam";
import { KERAS_EXAMPLE_SCHEDULE, ScheduledAdam } from "../../lib/pneumonia/training/schedule";
import { seededRandom } from "../../lib/common/random";
import { KERNELS_WASM_BASE64 } from "cnn-course-engine/dist/simd/kernels-wasm";
import { compileKernelsWat, generatedWasmFiles, kernelsModuleSource, KERNELS_TS, KERNELS_WAT } from "../../tools/build/wasm";

describe("engine: the course's WebAssembly SIMD kernels (engine/src/simd)", function () {
  this.timeout(60_000);

  it("the committed binary is kernels.wat compiled (run npm run build:wasm after editing it)", async () => {
    const bytes = await compileKernelsWat(fs.readFileSync(path.join(projectRoot(), KERNELS_WAT), "utf8"));
    assert.equal(Buffer.from(KERNELS_WASM_BASE64, "base64").toString("hex"), Buffer.from(bytes).toString("hex"));
    assert.equal(fs.readFileSync(path.join(projectRoot(), KERNELS_TS), "utf8"), kernelsModuleSource(bytes));
  });

  it("the committed Winograd files are tools/build/winograd-wat.ts's output and their compilation (npm run build:wasm)", async () => {
    const root = projectRoot();
    const files = await generatedWasmFiles(fs.readFileSync(path.join(root, KERNELS_WAT), "utf8"));
    assert.equal(Object.keys(files).length, 4);
    for (const [file, text] of Object.entries(files)) assert.equal(fs.readFileSync(path.join(root, file), "utf8"), text, `${file} is stale`);
  });

  it("instantiates on the wasm backend's memory, once per memory, and not on other backends", async () => {
    await initEngine({ backend: "wasm", quiet: true });
    const kernels = simdKernelsFor(tf.engine().backend);
    assert.ok(kernels, "Node 20 has wasm SIMD: the kernels must load");
    assert.equal(typeof kernels.maxPoolGrad2x2, "function");
    assert.equal(simdKernelsFor(tf.engine().backend), kernels);
    assert.equal(simdKernelsFor(tf.findBackend("cpu")), null);
    assert.equal(simdKernelsFor(null), null);
  });

  it("fused Adam gives tfjs' Adam bit for bit: weights and moments over 6 steps, sizes not a multiple of 4 included", async () => {
    await initEngine({ backend: "wasm", quiet: true });
    const shapes = [[3, 3, 16, 16], [7], [5, 3], [1]];
    const rng = seededRandom(5);
    const initial = shapes.map((s) => Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng() - 0.5));
    const grads = Array.from({ length: 6 }, () => initial.map((w) => Float32Array.from(w, () => (rng() - 0.5) * (rng() < 0.1 ? 100 : 1))));
    const run = (fused: boolean): { weights: number[][]; slots: number[][] } => {
      const was = setFusedAdam(fused);
      const vars = initial.map((w, i) => tf.tidy(() => tf.variable(tf.tensor(w, shapes[i]), true, `fused-adam-test-${fused}-${i}`)));
      const opt = new ScheduledAdam({ ...KERAS_EXAMPLE_SCHEDULE, initialLearningRate: 0.015 });
      for (const step of grads) {
        const g = step.map((d, i) => ({ name: vars[i].name, tensor: tf.tensor(d, shapes[i]) }));
        opt.applyGradients(g);
        tf.dispose(g.map((x) => x.tensor));
      }
      setFusedAdam(was);
      const weights = vars.map((v) => Array.from(v.dataSync()));
      const moments = [...(opt as unknown as { accumulatedFirstMoment: { variable: tf.Variable }[] }).accumulatedFirstMoment,
        ...(opt as unknown as { accumulatedSecondMoment: { variable: tf.Variable }[] }).accumulatedSecondMoment].map((m) => Array.from(m.variable.dataSync()));
      tf.dispose(vars);
      opt.dispose();
      return { weights, slots: [...moments, [opt.iterations]] };
    };
    const tensorsBefore = tf.memory().numTensors;
    const plain = run(false), fused = run(true);
    assert.equal(tf.memory().numTensors, tensorsBefore, "no tensors left behind");
    const same = (a: number[][], b: number[][]) => a.every((row, i) => row.every((x, j) => Object.is(x, b[i][j])));
    assert.ok(same(fused.weights, plain.weights), "weights differ");
    assert.ok(same(fused.slots, plain.slots), "moments differ");
    assert.notDeepEqual(fused.weights[1], Array.from(initial[1]), "the step moved the weights");
  });

  it("fused BatchNorm passes give the tf ops' bits: (x - mean) * invStd, xhat * gamma + beta, gi * (dy - (a + xhat * b) / n)", async () => {
    await initEngine({ backend: "wasm", quiet: true });
    const rng = seededRandom(9);
    const data = (n: number, scale = 1): Float32Array => Float32Array.from({ length: n }, () => (rng() - 0.5) * scale);
    for (const shape of [[13, 9, 9, 32], [7, 64], [2, 3, 5, 4]]) {
      const c = shape[shape.length - 1], size = shape.reduce((a, b) => a * b, 1);
      const [x, dy] = [tf.tensor(data(size, 8), shape), tf.tensor(data(size, 2), shape)];
      const [mean, invStd, gamma, beta, a, b] = [data(c), data(c, 4), data(c, 3), data(c), data(c, 50), data(c, 50)].map((v) => tf.tensor1d(v));
      const fused = normalizeFused(x, mean, invStd, gamma, beta);
      assert.ok(fused, `${shape}: the fused forward runs`);
      const xhat = tf.mul(tf.sub(x, mean), invStd), y = tf.add(tf.mul(xhat, gamma), beta);
      const gi = tf.mul(gamma, invStd), n = size / c;
      const dx = inputGradFused(dy, xhat, a, b, gi, n);
      assert.ok(dx, `${shape}: the fused gradient runs`);
      const dxRef = tf.mul(gi, tf.sub(dy, tf.div(tf.add(a, tf.mul(xhat, b)), n)));
      const same = (p: tf.Tensor, q: tf.Tensor): boolean => { const u = p.dataSync(), v = q.dataSync(); return u.every((e, i) => Object.is(e, v[i])); };
      assert.ok(same(fused.xhat, xhat) && same(fused.y, y), `${shape}: forward bits`);
      assert.ok(same(dx, dxRef), `${shape}: gradient bits`);
      tf.dispose([x, dy, mean, invStd, gamma, beta, a, b, fused.xhat, fused.y, xhat, y, gi, dx, dxRef]);
    }
    // channels not a multiple of 4: the callers' tf ops
    const odd = tf.ones([2, 3]), v3 = tf.ones([3]);
    assert.equal(normalizeFused(odd, v3, v3, v3, v3), null);
    const was = setSimdKernels(false);
    assert.equal(normalizeFused(tf.ones([2, 4]), tf.ones([4]), tf.ones([4]), tf.ones([4]), tf.ones([4])), null);
    setSimdKernels(was);
  });

  it("the fused ReLU gradient gives tfjs' mul(dy, cast(step(x))) bit for bit, NaN, zeros and odd sizes included, and is what tf.grad uses", async () => {
    await initEngine({ backend: "wasm", quiet: true });
    const rng = seededRandom(11);
    for (const size of [13 * 9 * 9 * 16, 7, 1]) {
      const xs = Float32Array.from({ length: size }, (_, i) => (i % 13 === 0 ? NaN : i % 5 === 0 ? 0 : i % 7 === 0 ? -0 : rng() - 0.5));
      const x = tf.tensor1d(xs), dy = tf.tensor1d(Float32Array.from({ length: size }, () => rng() - 0.5));
      const fused = reluGradFused(dy, x);
      assert.ok(fused, "the fused gradient runs on wasm");
      const ref = tf.mul(dy, tf.cast(tf.step(x), "float32"));
      const u = fused.dataSync(), v = ref.dataSync();
      const differ = u.findIndex((e, i) => !Object.is(e, v[i]));
      assert.equal(differ, -1, `size ${size}, element ${differ}: ${u[differ]} vs ${v[differ]}`);
      const viaGrad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), dy)))(x).dataSync();
      assert.ok(viaGrad.every((e, i) => Object.is(e, v[i])), "tf.grad(relu) gives the same");
      assert.match(String(tf.getGradient("Relu")?.gradFunc), /reluGradFused/, "initEngine registered the fused gradient");
      tf.dispose([x, dy, fused, ref]);
    }
  });

  it("the pointwise filter gradient gives the matMul path's bits (xᵀ·dy per chunk of images, then addN), one chunk and several", async () => {
    await initEngine({ backend: "wasm", quiet: true });
    const rng = seededRandom(12);
    // [13, 45, 45] is one chunk of 26,325 rows; [9, 90, 90] three chunks (4, 4, 1 images); [3, 11, 11] with 256 channels
    for (const [n, h, ci, co] of [[13, 45, 64, 64], [9, 90, 16, 32], [3, 11, 256, 256], [2, 5, 4, 8]]) {
      const x = tf.tensor4d(Float32Array.from({ length: n * h * h * ci }, () => rng() - 0.5), [n, h, h, ci]);
      const dy = tf.tensor4d(Float32Array.from({ length: n * h * h * co }, () => rng() - 0.5), [n, h, h, co]);
      const dw = conv2dBackpropFilter(x, dy, { filterShape: [1, 1, ci, co], strides: 1, pad: "same" });
      const was = setSimdKernels(false);
      const ref = conv2dBackpropFilter(x, dy, { filterShape: [1, 1, ci, co], strides: 1, pad: "same" });
      setSimdKernels(was);
      const u = dw.dataSync(), v = ref.dataSync();
      assert.deepEqual(dw.shape, [1, 1, ci, co]);
      const differ = u.findIndex((e, i) => !Object.is(e, v[i]));
      assert.equal(differ, -1, `[${n}, ${h}, ${h}, ${ci}] -> ${co}, element ${differ}: ${u[differ]} vs ${v[differ]}`);
      assert.ok(Math.abs(u[0]) > 0);
      tf.dispose([x, dy, dw, ref]);
    }
  });

  it("Add, Sub and Multiply by a per-channel vector give tfjs' bits, in either order, NaN, infinities and zeros included", async () => {
    await initEngine({ backend: "wasm", quiet: true });
    const rng = seededRandom(13);
    const special = [NaN, Infinity, -Infinity, 0, -0];
    const values = (n: number) => Float32Array.from({ length: n }, (_, i) => (i % 17 === 0 ? special[i % 5] : (rng() - 0.5) * 8));
    const ops: Array<[string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor]> = [["add", tf.add], ["sub", tf.sub], ["mul", tf.mul]];
    for (const [bigShape, smallShape] of [[[13, 18, 18, 16], [16]], [[5, 9, 9, 32], [1, 1, 1, 32]], [[7, 64], [1, 64]], [[3, 4], [4]]]) {
      const big = tf.tensor(values(bigShape.reduce((p, d) => p * d, 1)), bigShape);
      const small = tf.tensor(values(smallShape.reduce((p, d) => p * d, 1)), smallShape);
      for (const [name, op] of ops) {
        for (const [a, b] of [[big, small], [small, big]]) {
          const ours = op(a, b);
          const was = setSimdKernels(false);
          const ref = op(a, b);
          setSimdKernels(was);
          assert.deepEqual(ours.shape, bigShape);
          const u = ours.dataSync(), v = ref.dataSync();
          const differ = u.findIndex((e, i) => !Object.is(e, v[i]) && !(Number.isNaN(e) && Number.isNaN(v[i])));
          assert.equal(differ, -1, `${name} [${a.shape}] [${b.shape}], element ${differ}: ${u[differ]} vs ${v[differ]}`);
          tf.dispose([ours, ref]);
        }
      }
      tf.dispose([big, small]);
    }
  });

  it("Transpose of the last two axes gives tfjs' result, matrices and batches, and falls back for other sizes and permutations", async () => {
    await initEngine({ backend: "wasm", quiet: true });
    const rng = seededRandom(14);
    const cases: Array<[number[], number[]]> = [[[6400, 512], [1, 0]], [[3, 8, 12], [0, 2, 1]], [[2, 2, 4, 4], [0, 1, 3, 2]], [[5, 6], [1, 0]], [[4, 8, 12], [2, 0, 1]]];
    for (const [shape, perm] of cases) {
      const x = tf.tensor(Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => rng() - 0.5), shape);
      const ours = tf.transpose(x, perm);
      const was = setSimdKernels(false);
      const ref = tf.transpose(x, perm);
      setSimdKernels(was);
      assert.deepEqual(ours.shape, ref.shape);
      assert.deepEqual(ours.dataSync(), ref.dataSync(), `[${shape}] by [${perm}]`);
      if (shape.length === 2) assert.equal(ours.dataSync()[1], x.dataSync()[shape[1]]);
      tf.dispose([x, ours, ref]);
    }
  });

  it("the replicas' weighted gradient average gives tf.add(tf.mul(own, s0), tf.mul(other, s1)) bit for bit, two and three replicas, odd sizes", async () => {
    await initEngine({ backend: "wasm", quiet: true });
    const rng = seededRandom(15);
    for (const [shape, shares] of [[[6400, 512], [13 / 25, 12 / 25]], [[3, 3, 3, 16], [9 / 25, 8 / 25, 8 / 25]], [[7], [0.5, 0.5]]] as Array<[number[], number[]]>) {
      const size = shape.reduce((p, d) => p * d, 1);
      const own = tf.tensor(Float32Array.from({ length: size }, () => rng() - 0.5), shape);
      // the workers' blocks are views of a SharedArrayBuffer in training
      const others = shares.slice(1).map(() => new Float32Array(new SharedArrayBuffer(size * 4)).map(() => rng() - 0.5));
      const ours = weightedAverage(own, others, shares), ref = weightedAverageOps(own, others, shares);
      assert.deepEqual(ours.shape, shape);
      const u = ours.dataSync(), v = ref.dataSync();
      const differ = u.findIndex((e, i) => !Object.is(e, v[i]));
      assert.equal(differ, -1, `[${shape}], element ${differ}: ${u[differ]} vs ${v[differ]}`);
      assert.notEqual(u[0], own.dataSync()[0]);
      tf.dispose([own, ours, ref]);
    }
  });

  it("the depthwise filter gradient's fused window sums give the bits of each window's product then Sum, the model's shapes and odd ones", async () => {
    await initEngine({ backend: "wasm", quiet: true });
    const rng = seededRandom(16);
    // rows (with the padded columns) 13 x 92 x 90, 2 x 7 x 5 (70: a multiple of 7), 1 x 5 x 2 (10: one pass of 3 after the first 7)
    for (const [n, h, w, c, pad] of [[13, 90, 90, 32, "same"], [3, 45, 45, 64, "same"], [2, 5, 5, 4, "same"], [1, 3, 2, 8, "same"], [2, 9, 9, 16, "valid"]] as Array<[number, number, number, number, "same" | "valid"]>) {
      const x = tf.tensor4d(Float32Array.from({ length: n * h * w * c }, () => rng() - 0.5), [n, h, w, c]);
      const [oh, ow] = pad === "same" ? [h, w] : [h - 2, w - 2];
      const dy = tf.tensor4d(Float32Array.from({ length: n * oh * ow * c }, () => rng() - 0.5), [n, oh, ow, c]);
      const attrs = { filterShape: [3, 3, c, 1] as [number, number, number, number], strides: 1, pad };
      const ours = depthwiseBackpropFilter(x, dy, attrs);
      const was = setSimdKernels(false);
      const ref = depthwiseBackpropFilter(x, dy, attrs);
      setSimdKernels(was);
      assert.deepEqual(ours.shape, [3, 3, c, 1]);
      const u = ours.dataSync(), v = ref.dataSync();
      const differ = u.findIndex((e, i) => !Object.is(e, v[i]));
      assert.equal(differ, -1, `[${n}, ${h}, ${w}, ${c}] ${pad}, element ${differ}: ${u[differ]} vs ${v[differ]}`);
      assert.ok(Math.abs(u[4 * c]) > 0);
      tf.dispose([x, dy, ours, ref]);
    }
  });
});
