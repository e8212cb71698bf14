// The Winograd F(2x2,3x3) convolution (engine/src/winograd.ts): forward (Conv2D, FusedConv2D with
// bias and ReLU), input and filter gradients against the cpu backend (max error relative to the largest
// value < 1e-4), in both builds (relaxed SIMD's fused multiply-add and plain SIMD); the shapes it
// does not handle give XNNPACK's bits; and why F(2x2) rather than F(4x4), measured.
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import { initEngine, setRelaxedSimd, setWinograd, winogradFlavor } from "cnn-course-engine";
import { seededRandom } from "../../lib/common/random";

const TOLERANCE = 1e-4;

function randomData(size: number, seed: number, scale = 1): Float32Array {
  const rand = seededRandom(seed);
  return Float32Array.from({ length: size }, () => (rand() + rand() + rand() - 1.5) * scale);
}

interface ConvCase { batch: number; h: number; w: number; ci: number; co: number; pad: "same" | "valid" | number }

/** y = relu(conv(x, w) + b) and the gradients of sum(y * probe) w.r.t. x, w and b on `backend`. */
async function convOn(backend: string, c: ConvCase, activation: "relu" | "linear"): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(randomData(c.batch * c.h * c.w * c.ci, 1), [c.batch, c.h, c.w, c.ci]);
    const w = tf.tensor4d(randomData(9 * c.ci * c.co, 2, 0.3), [3, 3, c.ci, c.co]);
    const b = tf.tensor1d(randomData(c.co, 3));
    const f = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
      tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: c.pad, bias: b, activation });
    const y = f(x, w, b);
    const probe = tf.tensor(randomData(y.size, 4), y.shape);
    const grads = tf.grads((x, w, b) => tf.sum(tf.mul(f(x, w, b), probe)))([x, w, b]);
    const plain = tf.conv2d(x, w as tf.Tensor4D, 1, c.pad); // Conv2D, not fused
    return [y, plain, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

function relativeError(actual: Float32Array, expected: Float32Array): number {
  assert.equal(actual.length, expected.length);
  let diff = 0, scale = 0;
  expected.forEach((e, i) => { diff = Math.max(diff, Math.abs(actual[i] - e)); scale = Math.max(scale, Math.abs(e)); });
  assert.ok(scale > 0, "reference all zeros: the case tests nothing");
  return diff / scale;
}

const sameBits = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

// odd sizes (half tiles), several blocks of tiles a row (70 columns: 35 tiles), Co not a multiple of
// 16 (the 4-channel product), valid and explicit padding (the input gradient's pad 2 and 0), and a
// filter gradient summed over 2 x 20 x 32 tiles; 1 and 3 input channels (padded to 4)
const CASES: ConvCase[] = [
  { batch: 2, h: 9, w: 11, ci: 8, co: 12, pad: "same" },
  { batch: 1, h: 7, w: 6, ci: 4, co: 20, pad: "valid" },
  { batch: 3, h: 5, w: 5, ci: 16, co: 16, pad: "same" },
  { batch: 1, h: 12, w: 70, ci: 16, co: 16, pad: "same" },
  { batch: 2, h: 6, w: 7, ci: 36, co: 4, pad: 2 },
  { batch: 1, h: 3, w: 3, ci: 4, co: 8, pad: "valid" },
  { batch: 2, h: 40, w: 63, ci: 16, co: 16, pad: "same" },
  { batch: 2, h: 9, w: 10, ci: 3, co: 16, pad: "same" }, // the RGB layer: padded to 4 channels
  { batch: 1, h: 8, w: 7, ci: 1, co: 4, pad: "valid" }, // grayscale
];
const OUTPUTS = ["fused forward", "conv2d forward", "dx", "dw", "db"];

describe("engine: Winograd F(2x2,3x3) convolution on wasm", function () {
  this.timeout(120_000);
  before(async () => { await initEngine({ backend: "wasm", quiet: true }); });
  after(async () => {
    setWinograd(true);
    setRelaxedSimd(true);
    await tf.setBackend("wasm");
  });

  for (const relaxed of [true, false]) {
    it(`matches the cpu backend (forward, fused bias and ReLU, input and filter gradients) with ${relaxed ? "relaxed SIMD (fused multiply-add)" : "plain SIMD"}`, async function () {
      setRelaxedSimd(relaxed);
      if (relaxed && winogradFlavor() !== "relaxed") this.skip(); // the runtime does not validate relaxed SIMD
      assert.equal(winogradFlavor(), relaxed ? "relaxed" : "plain");
      const worst = new Array<number>(OUTPUTS.length).fill(0);
      const worstXnnpack = new Array<number>(OUTPUTS.length).fill(0);
      for (const c of CASES) {
        for (const activation of ["relu", "linear"] as const) {
          const expected = await convOn("cpu", c, activation);
          setWinograd(false);
          const xnnpack = await convOn("wasm", c, activation);
          setWinograd(true);
          const actual = await convOn("wasm", c, activation);
          xnnpack.forEach((a, i) => { worstXnnpack[i] = Math.max(worstXnnpack[i], relativeError(a, expected[i])); });
          actual.forEach((a, i) => {
            const err = relativeError(a, expected[i]);
            worst[i] = Math.max(worst[i], err);
            assert.ok(err < TOLERANCE, `${JSON.stringify(c)} ${activation}: ${OUTPUTS[i]} differs from cpu by ${err.toExponential(2)}`);
          });
          // the kernel ran: its forward, dx and dw are not XNNPACK's bits (dx of 1-3 channels is XNNPACK's: it has ci outputs)
          for (const i of c.ci % 4 === 0 ? [0, 2, 3] : [0, 3]) assert.ok(!sameBits(actual[i], xnnpack[i]), `${JSON.stringify(c)}: Winograd did not run for ${OUTPUTS[i]}`);
        }
      }
      console.log(`      max relative error vs cpu (${relaxed ? "relaxed" : "plain"}): ` + OUTPUTS.map((o, i) => `${o} ${worst[i].toExponential(2)}`).join(", ") +
        `; with Winograd off (XNNPACK): ` + OUTPUTS.map((o, i) => `${o} ${worstXnnpack[i].toExponential(2)}`).join(", "));
    });
  }

  it("falls back to the backend's kernel (the same bits as with Winograd off) for shapes it does not handle", async () => {
    const x4 = () => tf.ones([1, 8, 8, 4]) as tf.Tensor4D;
    const cases: Array<{ label: string; run: () => tf.Tensor }> = [
      { label: "6 input channels", run: () => tf.conv2d(tf.ones([1, 8, 8, 6]) as tf.Tensor4D, tf.fill([3, 3, 6, 8], 0.1), 1, "same") },
      { label: "6 output channels", run: () => tf.conv2d(x4(), tf.fill([3, 3, 4, 6], 0.1), 1, "same") },
      { label: "stride 2", run: () => tf.conv2d(x4(), tf.fill([3, 3, 4, 4], 0.1), 2, "same") },
      { label: "dilation 2", run: () => tf.conv2d(x4(), tf.fill([3, 3, 4, 4], 0.1), 1, "same", "NHWC", 2) },
      { label: "5x5 filter", run: () => tf.conv2d(x4(), tf.fill([5, 5, 4, 4], 0.1), 1, "same") },
      { label: "elu activation", run: () => tf.fused.conv2d({ x: x4(), filter: tf.fill([3, 3, 4, 4], 0.1), strides: 1, pad: "same", activation: "elu" }) },
    ];
    for (const c of cases) {
      setWinograd(false);
      const off = tf.tidy(() => c.run().dataSync() as Float32Array);
      setWinograd(true);
      const on = tf.tidy(() => c.run().dataSync() as Float32Array);
      assert.ok(sameBits(on, off), `${c.label}: not the backend's own result`);
    }
  });

  it("leaves no tensors behind and frees its scratch", () => {
    const before = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    tf.tidy(() => { tf.fused.conv2d({ x: tf.ones([2, 10, 10, 16]) as tf.Tensor4D, filter: tf.fill([3, 3, 16, 16], 0.1), strides: 1, pad: "same", bias: tf.ones([16]), activation: "relu" }).dataSync(); });
    tf.tidy(() => { // 3 channels: padded copies of x and the filter, the filter gradient sliced
      const [dx, dw] = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same")))([tf.ones([2, 10, 10, 3]), tf.fill([3, 3, 3, 8], 0.1)]);
      dx.dataSync();
      dw.dataSync();
    });
    assert.equal(tf.memory().numTensors, before);
    assert.equal(tf.memory().numBytes, bytes);
  });

  it("why F(2x2) and not F(4x4): F(4x4)'s transforms lose more precision (float32 simulation, 16 channels)", () => {
    const f2 = winogradSimulationError(F2, 2000);
    const f4 = winogradSimulationError(F4, 2000);
    console.log(`      max relative error of float32 Winograd vs exact: F(2x2,3x3) ${f2.toExponential(2)}, F(4x4,3x3) ${f4.toExponential(2)}`);
    assert.ok(f2 < 1e-6, `F(2x2) error ${f2}`);
    assert.ok(f4 > 5 * f2, `F(4x4) error ${f4} not above F(2x2)'s ${f2}`);
  });
});

// ---- float32 simulation of Winograd F(m x m, 3x3) (transforms and products rounded as the kernel does) ----

type Matrix = number[][];
interface Transforms { BT: Matrix; G: Matrix; AT: Matrix }
const F2: Transforms = {
  BT: [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]],
  G: [[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]],
  AT: [[1, 1, 1, 0], [0, 1, -1, -1]],
};
const F4: Transforms = {
  BT: [[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0], [0, -2, -1, 2, 1, 0], [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]],
  G: [[1 / 4, 0, 0], [-1 / 6, -1 / 6, -1 / 6], [-1 / 6, 1 / 6, -1 / 6], [1 / 24, 1 / 12, 1 / 6], [1 / 24, -1 / 12, 1 / 6], [0, 0, 1]],
  AT: [[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]],
};

function product(a: Matrix, b: Matrix, float32: boolean): Matrix {
  const r = float32 ? Math.fround : (v: number) => v;
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => r(s + r(v * b[k][j])), 0)));
}
const transpose = (a: Matrix): Matrix => a[0].map((_, j) => a.map((row) => row[j]));

/** Max |error| / max |exact| of `tiles` output tiles, each summed over 16 channels, against float64 direct correlation. */
function winogradSimulationError(t: Transforms, tiles: number): number {
  const rand = seededRandom(7);
  const normal = () => Math.fround(rand() + rand() + rand() - 1.5);
  const m = t.AT.length, a = t.BT.length;
  let err = 0, scale = 0;
  for (let tile = 0; tile < tiles; tile++) {
    const acc = Array.from({ length: a }, () => new Array<number>(a).fill(0));
    const exact = Array.from({ length: m }, () => new Array<number>(m).fill(0));
    for (let c = 0; c < 16; c++) {
      const d = Array.from({ length: a }, () => Array.from({ length: a }, normal));
      const g = Array.from({ length: 3 }, () => Array.from({ length: 3 }, () => Math.fround(normal() * 0.3)));
      const u = product(product(t.G, g, false), transpose(t.G), false).map((row) => row.map(Math.fround)); // as transformFilter: float64, rounded once
      const v = product(product(t.BT, d, true), transpose(t.BT), true);
      for (let i = 0; i < a; i++) for (let j = 0; j < a; j++) acc[i][j] = Math.fround(acc[i][j] + Math.fround(u[i][j] * v[i][j]));
      for (let y = 0; y < m; y++) for (let x = 0; x < m; x++) for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) exact[y][x] += d[y + i][x + j] * g[i][j];
    }
    const out = product(product(t.AT, acc, true), transpose(t.AT), true);
    for (let y = 0; y < m; y++) for (let x = 0; x < m; x++) {
      err = Math.max(err, Math.abs(out[y][x] - exact[y][x]));
      scale = Math.max(scale, Math.abs(exact[y][x]));
    }
  }
  return err / scale;
}
