// The in-heap copy kernels the engine registers for wasm (Slice, Tile) give exactly what the
// cpu backend gives, over ranks, offsets, dtypes and broadcast patterns.
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import { directMatMul, initEngine } from "cnn-course-engine";
import { matMulPlan } from "cnn-course-engine/dist/matmul-kernel";
import { seededRandom } from "../../lib/common/random";

async function on<T>(backend: string, fn: () => T): Promise<T> {
  await tf.setBackend(backend);
  return fn();
}

function values(shape: number[], dtype: "float32" | "int32", seed: number): Float32Array | Int32Array {
  const rand = seededRandom(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return dtype === "float32" ? Float32Array.from({ length: n }, () => rand() * 2 - 1) : Int32Array.from({ length: n }, () => Math.floor(rand() * 1000));
}

async function assertSameOnBothBackends(label: string, fn: () => tf.Tensor): Promise<void> {
  const run = () => tf.tidy(() => {
    const t = fn();
    return { shape: t.shape, data: Array.from(t.dataSync()) };
  });
  const expected = await on("cpu", run);
  const actual = await on("wasm", run);
  assert.deepEqual(actual.shape, expected.shape, `${label}: shape`);
  assert.deepEqual(actual.data, expected.data, `${label}: values`);
}

describe("engine: faster Slice, Tile, Sum, Mean, Identity and MaxPoolGrad kernels on wasm", function () {
  before(async () => {
    await initEngine({ backend: "wasm", quiet: true });
  });
  after(async () => {
    await tf.setBackend("wasm");
  });

  it("slices like the cpu backend for ranks 1-5, float32 and int32", async () => {
    const rand = seededRandom(3);
    const shapes = [[17], [5, 7], [3, 4, 6], [2, 9, 11, 3], [2, 3, 4, 5, 6], [1, 6, 1, 4]];
    for (const shape of shapes) {
      for (const dtype of ["float32", "int32"] as const) {
        for (let trial = 0; trial < 6; trial++) {
          const begin = shape.map((n) => Math.floor(rand() * n));
          // trial 0 takes everything from begin on, trial 1 a whole tensor, others random sizes
          const size = shape.map((n, d) => trial === 1 ? n : trial === 0 ? -1 : 1 + Math.floor(rand() * (n - begin[d])));
          const b = trial === 1 ? shape.map(() => 0) : begin;
          await assertSameOnBothBackends(`slice ${dtype} [${shape}] begin [${b}] size [${size}]`,
            () => tf.slice(tf.tensor(values(shape, dtype, trial), shape, dtype), b, size));
        }
      }
    }
  });

  it("tiles like the cpu backend, including the broadcast patterns of BatchNorm gradients", async () => {
    const cases: Array<[number[], number[]]> = [
      [[1, 1, 1, 4], [3, 5, 7, 1]],
      [[2, 1, 1, 3], [1, 4, 5, 1]],
      [[2, 3], [3, 2]],
      [[5], [4]],
      [[2, 3, 4], [1, 1, 1]],
      [[1, 2, 1, 3, 1], [2, 1, 3, 2, 4]],
    ];
    for (const [shape, reps] of cases) {
      for (const dtype of ["float32", "int32"] as const) {
        await assertSameOnBothBackends(`tile ${dtype} [${shape}] reps [${reps}]`,
          () => tf.tile(tf.tensor(values(shape, dtype, 5), shape, dtype), reps));
      }
    }
  });

  it("sums and averages over leading axes like the cpu backend (and other axes still work)", async () => {
    const shape = [3, 5, 7, 4];
    const close = async (label: string, fn: (x: tf.Tensor) => tf.Tensor) => {
      const run = () => tf.tidy(() => {
        const t = fn(tf.tensor(values(shape, "float32", 9), shape));
        return { shape: t.shape, data: Array.from(t.dataSync()) };
      });
      const expected = await on("cpu", run);
      const actual = await on("wasm", run);
      assert.deepEqual(actual.shape, expected.shape, `${label}: shape`);
      actual.data.forEach((v, i) => assert.ok(Math.abs(v - expected.data[i]) <= 1e-5 * Math.max(1, Math.abs(expected.data[i])), `${label}[${i}]: ${v} vs ${expected.data[i]}`));
    };
    for (const keepDims of [false, true]) {
      for (const axes of [[0], [0, 1], [0, 1, 2], [2, 1, 0], [1, 2], [3], [0, 1, 2, 3], [0, 2]]) {
        await close(`sum ${axes} keepDims=${keepDims}`, (x) => tf.sum(x, axes, keepDims));
        await close(`mean ${axes} keepDims=${keepDims}`, (x) => tf.mean(x, axes, keepDims));
      }
    }
  });

  it("sums a BatchNorm-sized gradient (13x90x90 positions) and a 2D one like the cpu backend (float32 sums: 2e-5 of the largest)", async () => {
    for (const [shape, axes] of [[[13, 90, 90, 8], [0, 1, 2]], [[5000, 3], [0]]] as Array<[number[], number[]]>) {
      const run = (mean: boolean) => tf.tidy(() => {
        const x = tf.tensor(values(shape, "float32", 4), shape).add(0.25); // a mean away from 0, as activations have
        return Array.from((mean ? tf.mean(x, axes) : tf.sum(x, axes)).dataSync());
      });
      for (const mean of [false, true]) {
        const expected = await on("cpu", () => run(mean));
        const actual = await on("wasm", () => run(mean));
        const scale = Math.max(...expected.map(Math.abs));
        const err = Math.max(...actual.map((v, i) => Math.abs(v - expected[i]))) / scale;
        assert.equal(actual.length, shape[shape.length - 1]);
        assert.ok(err < 2e-5, `${mean ? "mean" : "sum"} of [${shape}]: error ${err.toExponential(2)} of the largest`);
      }
    }
  });

  it("max-pool gradients match the cpu backend, ties (ReLU zeros) included", async () => {
    const cases: Array<{ pool: number | [number, number]; stride: number | [number, number]; pad: "valid" | "same" }> = [
      { pool: 2, stride: 2, pad: "valid" },
      { pool: 3, stride: 2, pad: "same" },
      { pool: 3, stride: 1, pad: "same" },
      { pool: [2, 3], stride: [1, 2], pad: "valid" },
    ];
    for (const c of cases) {
      // channels a multiple of 4 take the SIMD kernel (2x2, stride 2), odd sizes leave rows no window covers
      for (const shape of [[2, 9, 11, 3], [1, 6, 6, 5], [2, 9, 11, 8], [3, 8, 10, 16]] as Array<[number, number, number, number]>) {
        // ReLU of data makes runs of zeros: windows with several equal maxima
        const x = values(shape, "float32", 11);
        const run = () => tf.tidy(() => {
          const input = tf.relu(tf.tensor(x, shape)) as tf.Tensor4D;
          const g = tf.grad((t: tf.Tensor) => {
            const y = tf.maxPool(t as tf.Tensor4D, c.pool, c.stride, c.pad);
            return tf.sum(tf.mul(y, tf.range(1, 1 + y.size).reshape(y.shape))); // distinct dy per window
          });
          return Array.from(g(input).dataSync());
        });
        const expected = await on("cpu", run);
        const actual = await on("wasm", run);
        assert.deepEqual(actual, expected, `maxPool grad ${JSON.stringify(c)} [${shape}]`);
      }
    }
  });

  it("the SIMD max-pool gradient routes NaN, -inf, ties and -0 as the cpu backend does, bit for bit", async () => {
    const shape: [number, number, number, number] = [2, 6, 8, 12];
    const x = Float32Array.from(values(shape, "float32", 12), (v, i) =>
      (i % 7 === 0 ? NaN : i % 11 === 0 ? -Infinity : i % 5 === 0 ? 0 : Math.round(v * 2) / 2)); // many ties
    const dyShape = [2, 3, 4, 12];
    const dy = Float32Array.from({ length: 2 * 3 * 4 * 12 }, (_, i) => (i % 9 === 0 ? -0 : i - 100));
    const run = () => tf.tidy(() => {
      const input = tf.tensor(x, shape) as tf.Tensor4D;
      const inputs = { dy: tf.tensor(dy, dyShape), input, output: tf.maxPool(input, 2, 2, "valid") };
      const attrs = { filterSize: 2, strides: 2, pad: "valid" } as unknown as tf.NamedAttrMap;
      return Array.from((tf.engine().runKernel("MaxPoolGrad", inputs, attrs) as tf.Tensor).dataSync());
    });
    const expected = await on("cpu", run);
    const actual = await on("wasm", run);
    const differ = actual.findIndex((v, i) => !Object.is(v, expected[i]));
    assert.equal(differ, -1, `element ${differ}: wasm ${actual[differ]}, cpu ${expected[differ]}`);
  });

  it("identity shares memory and the values survive disposing the source", async () => {
    await tf.setBackend("wasm");
    const a = tf.tensor([1, 2, 3]);
    const b = tf.clone(a);
    a.dispose();
    assert.deepEqual(Array.from(b.dataSync()), [1, 2, 3]);
    b.dispose();
  });

  it("still handles other dtypes through the original kernels", async () => {
    await assertSameOnBothBackends("slice bool", () => tf.slice(tf.tensor([true, false, true, true], [2, 2], "bool"), [1, 0], [1, 2]));
    await assertSameOnBothBackends("tile bool", () => tf.tile(tf.tensor([true, false], [2], "bool"), [3]));
    await assertSameOnBothBackends("sum int32", () => tf.sum(tf.tensor(values([3, 4, 5], "int32", 1), [3, 4, 5], "int32"), [0, 1]));
  });
});

describe("engine: BatchMatMul arranged so XNNPACK packs the smaller operand (wasm)", function () {
  before(async () => {
    await initEngine({ backend: "wasm", quiet: true });
  });

  /** op(A) [M, K] and op(B) [K, N] for every transpose flag; the Dense layers' three products included. */
  const cases: Array<{ m: number; k: number; n: number; batch?: number; expect: "swap" | "plain" | "as-is" }> = [
    // the pneumonia Dense layer's three products, at a tenth of its 6400 inputs
    { m: 13, k: 640, n: 512, expect: "swap" }, // forward x·W
    { m: 13, k: 512, n: 640, expect: "swap" }, // dx = dy·Wᵀ
    { m: 640, k: 13, n: 512, expect: "as-is" }, // dW = xᵀ·dy (with transposeA: "plain")
    { m: 7, k: 5, n: 3, expect: "as-is" },
    { m: 2, k: 9, n: 40, batch: 3, expect: "as-is" }, // a batch dimension: tfjs's loop either way
  ];

  for (const c of cases) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        it(`[${c.m}x${c.k}]·[${c.k}x${c.n}]${c.batch ? ` x${c.batch}` : ""}, transposeA=${transposeA}, transposeB=${transposeB}: the cpu backend's product`, async () => {
          const lead = c.batch ? [c.batch] : [];
          const aShape = [...lead, ...(transposeA ? [c.k, c.m] : [c.m, c.k])];
          const bShape = [...lead, ...(transposeB ? [c.n, c.k] : [c.k, c.n])];
          const expectedPlan = c.expect === "as-is" && !c.batch && (transposeA || transposeB) ? "plain" : c.expect;
          assert.equal(matMulPlan(aShape, bShape, { transposeA, transposeB }), expectedPlan);
          const run = () => tf.tidy(() => {
            const a = tf.tensor(values(aShape, "float32", 1), aShape);
            const b = tf.tensor(values(bShape, "float32", 2), bShape);
            const t = tf.matMul(a, b, transposeA, transposeB);
            return { shape: t.shape, data: t.dataSync() as Float32Array };
          });
          const expected = await on("cpu", run);
          const actual = await on("wasm", run);
          assert.deepEqual(actual.shape, expected.shape);
          const scale = expected.data.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
          const err = actual.data.reduce((s, v, i) => Math.max(s, Math.abs(v - expected.data[i])), 0) / scale;
          assert.ok(err < 1e-5, `max error relative to the largest value ${err.toExponential(2)} (limit 1e-5)`);
        });
      }
    }
  }

  it("directMatMul keeps tfjs's arrangement (the filter gradients reuse one packed b)", () => {
    assert.equal(matMulPlan([13, 6400], [6400, 512], { transposeA: false, transposeB: false }), "swap");
    assert.equal(directMatMul(() => matMulPlan([13, 6400], [6400, 512], { transposeA: false, transposeB: false })), "as-is");
    assert.equal(directMatMul(() => matMulPlan([6400, 13], [6400, 512], { transposeA: true, transposeB: false })), "plain");
    assert.equal(directMatMul(() => matMulPlan([13, 6400], [512, 6400], { transposeA: false, transposeB: true })), "plain");
  });
});
