// Gradient parity: the wasm backend with the course's composed kernels must give the same
// gradients as tfjs's reference cpu backend (max error relative to the largest value < 1e-4).
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import { initEngine } from "cnn-course-engine";
import { FILTER_GRADIENT_CHUNK_ROWS } from "cnn-course-engine/dist/backprop-kernels";
import { setHeapViews } from "cnn-course-engine/dist/heap-view";
import { setSimdKernels } from "cnn-course-engine/dist/simd";
import { seededRandom } from "../../lib/common/random";

const TOLERANCE = 1e-4;

/** Deterministic standard-normal-ish data (sum of uniforms), so failures reproduce. */
function randomData(size: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rand() + rand() + rand() - 1.5;
  return out;
}

interface Arg { shape: number[]; data: Float32Array }

function arg(shape: number[], seed: number): Arg {
  return { shape, data: randomData(shape.reduce((a, b) => a * b, 1), seed) };
}

/** Gradients of sum(f(args) * probe) w.r.t. every arg, on the given backend, as plain arrays. */
async function gradsOn(backend: string, f: (...t: tf.Tensor[]) => tf.Tensor, args: Arg[], probeSeed: number): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const inputs = args.map((a) => tf.tensor(a.data, a.shape));
    const out = f(...inputs);
    const probe = tf.tensor(randomData(out.size, probeSeed), out.shape);
    const g = tf.grads((...t: tf.Tensor[]) => tf.sum(tf.mul(f(...t), probe)));
    return g(inputs).map((t) => t.dataSync() as Float32Array);
  });
}

/** Runs one registered kernel directly on the given backend. */
async function kernelOn(backend: string, name: string, inputs: Record<string, Arg>, attrs: Record<string, unknown>): Promise<Float32Array> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const tensors: Record<string, tf.Tensor> = {};
    for (const [k, a] of Object.entries(inputs)) tensors[k] = tf.tensor(a.data, a.shape);
    const out = tf.engine().runKernel(name, tensors, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
    return out.dataSync() as Float32Array;
  });
}

function relativeError(actual: Float32Array, expected: Float32Array): number {
  assert.equal(actual.length, expected.length, "gradient sizes differ");
  let maxDiff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  assert.ok(scale > 0, "reference gradient is all zeros: the case tests nothing");
  return maxDiff / scale;
}

/** A [kh, kw, c, m] filter with (d - 1) zero taps between its taps: the undilated equivalent. */
function expandFilter(f: Arg, dh: number, dw: number): Arg {
  const [kh, kw, c, m] = f.shape;
  const eh = (kh - 1) * dh + 1;
  const ew = (kw - 1) * dw + 1;
  const data = new Float32Array(eh * ew * c * m);
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
    data.set(f.data.subarray((i * kw + j) * c * m, (i * kw + j + 1) * c * m), (i * dh * ew + j * dw) * c * m);
  }
  return { shape: [eh, ew, c, m], data };
}

/** The inverse view: the taps of an expanded filter gradient that the dilated filter owns. */
function takeDilatedTaps(expanded: Float32Array, shape: number[], dh: number, dw: number): Float32Array {
  const [eh, ew, c, m] = shape;
  const kh = (eh - 1) / dh + 1;
  const kw = (ew - 1) / dw + 1;
  const out = new Float32Array(kh * kw * c * m);
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
    out.set(expanded.subarray((i * dh * ew + j * dw) * c * m, (i * dh * ew + j * dw + 1) * c * m), (i * kw + j) * c * m);
  }
  return out;
}

async function assertGradParity(label: string, f: (...t: tf.Tensor[]) => tf.Tensor, args: Arg[], backend = "wasm"): Promise<void> {
  const expected = await gradsOn("cpu", f, args, 99);
  const actual = await gradsOn(backend, f, args, 99);
  actual.forEach((g, i) => {
    const err = relativeError(g, expected[i]);
    assert.ok(err < TOLERANCE, `${label}: gradient of argument ${i} differs from cpu by ${err.toExponential(2)}`);
  });
}

const STRIDES = [1, 2] as const;
const PADS = ["same", "valid"] as const;
const KERNELS = [1, 3, 5] as const;
const BATCHES = [1, 3] as const;

function grid(): Array<{ stride: 1 | 2; pad: "same" | "valid"; k: number; batch: number }> {
  const cases = [];
  for (const stride of STRIDES) for (const pad of PADS) for (const k of KERNELS) for (const batch of BATCHES) {
    cases.push({ stride, pad, k, batch });
  }
  return cases;
}

describe("engine: gradients on wasm match the cpu backend", function () {
  before(async () => {
    await initEngine({ backend: "wasm", quiet: true });
  });
  after(async () => {
    await tf.setBackend("wasm");
  });

  // 9x11 input: odd, non-square, so 'same' padding with stride 2 is asymmetric.
  const H = 9;
  const W = 11;

  it("conv2d: strides 1/2, padding same/valid, kernels 1/3/5, batch 1/3", async () => {
    for (const c of grid()) {
      await assertGradParity(`conv2d ${JSON.stringify(c)}`,
        (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad),
        [arg([c.batch, H, W, 3], 1), arg([c.k, c.k, 3, 4], 2)]);
    }
  });

  it("conv2d filter gradient summed over chunks of whole images (images larger than FILTER_GRADIENT_CHUNK_ROWS / batch)", async () => {
    // 13,000+ output rows per image, so 2 images a chunk: 3 images at stride 1 (100x130) and
    // 5 at stride 2 (200x260) make 2 and 3 chunks
    assert.ok(Math.floor(FILTER_GRADIENT_CHUNK_ROWS / (100 * 130)) === 2, "the cases must split the batch");
    for (const [stride, batch, h, w] of [[1, 3, 100, 130], [2, 5, 200, 260]] as const) {
      await assertGradParity(`conv2d stride ${stride}, ${batch} images of ${h}x${w}`,
        (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, stride, "same"),
        [arg([batch, h, w, 2], 21), arg([3, 3, 2, 3], 22)]);
    }
  });

  it("conv2d filter gradient from zero-copy tap windows (>= 8 input channels, stride 1): one chunk, one image a chunk, two images a chunk", async () => {
    const explicit: tf.backend_util.ExplicitPadding = [[0, 0], [2, 0], [1, 3], [0, 0]];
    // [batch, h, w, ci], kernel, padding; 100x130 gives 2 images a chunk (3 images: chunks of 2 and 1), 130x260 one
    const cases: Array<[number[], number, "same" | "valid" | tf.backend_util.ExplicitPadding]> = [
      [[2, H, W, 8], 3, "same"], [[3, H, W, 16], 1, "same"], [[2, H, W, 8], 5, "same"], [[2, H, W, 9], 3, "valid"], [[2, H, W, 8], 3, explicit],
      [[3, 100, 130, 8], 3, "same"], [[3, 130, 260, 8], 3, "same"],
    ];
    assert.equal(Math.floor(FILTER_GRADIENT_CHUNK_ROWS / (102 * 132)), 2, "100x130 must make chunks of two images");
    assert.equal(Math.floor(FILTER_GRADIENT_CHUNK_ROWS / (132 * 262)), 0, "130x260 must make chunks of one image");
    for (const [xShape, k, pad] of cases) {
      const label = `Conv2DBackpropFilter ${xShape.join("x")} k${k} ${JSON.stringify(pad)}`;
      const fShape = [k, k, xShape[3], 4] as [number, number, number, number];
      const info = tf.backend_util.computeConv2DInfo(xShape as [number, number, number, number], fShape, 1, 1, pad);
      const inputs = { x: arg(xShape, 23), dy: arg([xShape[0], info.outHeight, info.outWidth, 4], 24) };
      const attrs = { strides: 1, pad, filterShape: fShape, dataFormat: "NHWC" };
      await tf.setBackend("wasm");
      const backend = tf.engine().backend as unknown as { dataIdMap: { numDataIds(): number } };
      const before = { tensors: tf.memory().numTensors, data: backend.dataIdMap.numDataIds() };
      const actual = await kernelOn("wasm", "Conv2DBackpropFilter", inputs, attrs);
      assert.deepEqual({ tensors: tf.memory().numTensors, data: backend.dataIdMap.numDataIds() }, before, `${label}: no tensor or view left behind`);
      const err = relativeError(actual, await kernelOn("cpu", "Conv2DBackpropFilter", inputs, attrs));
      assert.ok(err < TOLERANCE, `${label}: ${err}`);
    }
  });

  it("the zero-copy filter gradient gives the same bits as copying each window (so training results do not move)", async () => {
    await tf.setBackend("wasm");
    // 40x40 (the classroom preset, one chunk) and 180x180 (the full preset, one image a chunk), 16 -> 16 channels
    for (const [n, size] of [[13, 40], [3, 180]]) {
      const inputs = { x: arg([n, size, size, 16], 25), dy: arg([n, size, size, 16], 26) };
      const attrs = { strides: 1, pad: "same", filterShape: [3, 3, 16, 16], dataFormat: "NHWC" };
      const viewed = await kernelOn("wasm", "Conv2DBackpropFilter", inputs, attrs);
      const was = setHeapViews(false);
      const copied = await kernelOn("wasm", "Conv2DBackpropFilter", inputs, attrs);
      setHeapViews(was);
      assert.deepEqual(Array.from(viewed), Array.from(copied), `${n} images of ${size}x${size}`);
    }
  });

  it("the depthwise filter gradient read in place by the SIMD kernel gives the same bits as slicing each window", async () => {
    for (const [n, size, c, k, pad] of [[13, 24, 32, 3, "same"], [3, 9, 6, 3, "valid"], [2, 11, 3, 5, "same"]] as const) {
      const info = tf.backend_util.computeConv2DInfo([n, size, size, c], [k, k, c, 1], 1, 1, pad, undefined, true);
      const inputs = { x: arg([n, size, size, c], 27), dy: arg([n, info.outHeight, info.outWidth, c], 28) };
      const attrs = { strides: 1, pad, dilations: 1, filterShape: [k, k, c, 1] };
      const inPlace = await kernelOn("wasm", "DepthwiseConv2dNativeBackpropFilter", inputs, attrs);
      const was = setSimdKernels(false);
      const sliced = await kernelOn("wasm", "DepthwiseConv2dNativeBackpropFilter", inputs, attrs);
      setSimdKernels(was);
      assert.deepEqual(Array.from(inPlace), Array.from(sliced), `${n}x${size}x${size}x${c}, ${k}x${k} ${pad}`);
      const err = relativeError(inPlace, await kernelOn("cpu", "DepthwiseConv2dNativeBackpropFilter", inputs, attrs));
      assert.ok(err < TOLERANCE, `${n}x${size}x${size}x${c} vs cpu: ${err}`);
    }
  });

  it("depthwiseConv2d: strides 1/2, padding same/valid, kernels 1/3/5, batch 1/3", async () => {
    for (const c of grid()) {
      await assertGradParity(`depthwiseConv2d ${JSON.stringify(c)}`,
        (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad),
        [arg([c.batch, H, W, 3], 3), arg([c.k, c.k, 3, 1], 4)]);
    }
  });

  it("separableConv2d: strides 1/2, padding same/valid, kernels 1/3/5, batch 1/3", async () => {
    for (const c of grid()) {
      await assertGradParity(`separableConv2d ${JSON.stringify(c)}`,
        (x, dw, pw) => tf.separableConv2d(x as tf.Tensor4D, dw as tf.Tensor4D, pw as tf.Tensor4D, c.stride, c.pad),
        [arg([c.batch, H, W, 3], 5), arg([c.k, c.k, 3, 1], 6), arg([1, 1, 3, 5], 7)]);
    }
  });

  it("depthwise and separable with channel multiplier 2 and 3", async () => {
    for (const m of [2, 3]) {
      for (const stride of STRIDES) {
        await assertGradParity(`depthwiseConv2d multiplier ${m} stride ${stride}`,
          (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, "same"),
          [arg([2, H, W, 3], 8), arg([3, 3, 3, m], 9)]);
        await assertGradParity(`separableConv2d multiplier ${m} stride ${stride}`,
          (x, dw, pw) => tf.separableConv2d(x as tf.Tensor4D, dw as tf.Tensor4D, pw as tf.Tensor4D, stride, "valid"),
          [arg([2, H, W, 3], 10), arg([3, 3, 3, m], 11), arg([1, 1, 3 * m, 4], 12)]);
      }
    }
  });

  it("conv2d with explicit padding and non-square strides and kernels", async () => {
    const explicit: tf.backend_util.ExplicitPadding = [[0, 0], [2, 0], [1, 3], [0, 0]];
    await assertGradParity("conv2d explicit padding",
      (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, [2, 1], explicit),
      [arg([2, H, W, 3], 13), arg([3, 2, 3, 4], 14)]);
    await assertGradParity("conv2d 5x3 kernel, strides [1, 2], same",
      (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, [1, 2], "same"),
      [arg([2, H, W, 3], 15), arg([5, 3, 3, 4], 16)]);
  });

  // tfjs's own gradient functions refuse dilations > 1 and the cpu backprop kernels ignore
  // them, so the dilated kernels are checked against the cpu kernels run on the equivalent
  // undilated filter (zeros between the taps): same dx, and dW at every d-th tap.
  it("depthwise backprop kernels with dilation and explicit padding", async () => {
    const cases: Array<{ dilations: [number, number]; pad: unknown; strides: [number, number]; k: number; m: number }> = [
      { dilations: [2, 2], pad: "same", strides: [1, 1], k: 3, m: 1 },
      { dilations: [2, 1], pad: "valid", strides: [1, 1], k: 3, m: 2 },
      { dilations: [1, 1], pad: [[0, 0], [1, 2], [0, 1], [0, 0]], strides: [2, 2], k: 3, m: 1 },
      { dilations: [2, 2], pad: [[0, 0], [3, 1], [2, 2], [0, 0]], strides: [1, 1], k: 2, m: 2 },
    ];
    for (const c of cases) {
      const label = `${JSON.stringify(c)}`;
      const xShape: [number, number, number, number] = [2, H, W, 3];
      const fShape: [number, number, number, number] = [c.k, c.k, 3, c.m];
      const [dh, dw] = c.dilations;
      const expandedShape: [number, number, number, number] = [(c.k - 1) * dh + 1, (c.k - 1) * dw + 1, 3, c.m];
      const info = tf.backend_util.computeConv2DInfo(xShape, fShape, c.strides, c.dilations,
        c.pad as tf.backend_util.ExplicitPadding, undefined, true);
      const dy = arg([2, info.outHeight, info.outWidth, 3 * c.m], 17);
      const filter = arg(fShape, 18);
      const expanded = expandFilter(filter, dh, dw);
      const base = { strides: c.strides, pad: c.pad };

      const dx = await kernelOn("wasm", "DepthwiseConv2dNativeBackpropInput", { dy, filter },
        { ...base, dilations: c.dilations, inputShape: xShape });
      const dxRef = await kernelOn("cpu", "DepthwiseConv2dNativeBackpropInput", { dy, filter: expanded },
        { ...base, dilations: [1, 1], inputShape: xShape });
      const dxErr = relativeError(dx, dxRef);
      assert.ok(dxErr < TOLERANCE, `DepthwiseConv2dNativeBackpropInput ${label}: ${dxErr}`);

      const x = arg(xShape, 19);
      const dW = await kernelOn("wasm", "DepthwiseConv2dNativeBackpropFilter", { x, dy },
        { ...base, dilations: c.dilations, filterShape: fShape });
      const dWExpanded = await kernelOn("cpu", "DepthwiseConv2dNativeBackpropFilter", { x, dy },
        { ...base, dilations: [1, 1], filterShape: expandedShape });
      const dwErr = relativeError(dW, takeDilatedTaps(dWExpanded, expandedShape, dh, dw));
      assert.ok(dwErr < TOLERANCE, `DepthwiseConv2dNativeBackpropFilter ${label}: ${dwErr}`);
    }
  });

  it("conv2d backprop kernels with dataFormat NCHW and dimRoundingMode", async () => {
    const xShape: [number, number, number, number] = [2, 3, H, W];
    const fShape: [number, number, number, number] = [3, 3, 3, 4];
    const pad = 1;
    const info = tf.backend_util.computeConv2DInfo(xShape, fShape, 2, 1, pad, "ceil", false, "channelsFirst");
    const dy = arg([2, 4, info.outHeight, info.outWidth], 20);
    const common = { strides: 2, pad, dataFormat: "NCHW", dimRoundingMode: "ceil" };
    const inputArgs = { dy, filter: arg(fShape, 21) };
    const dxErr = relativeError(
      await kernelOn("wasm", "Conv2DBackpropInput", inputArgs, { ...common, inputShape: xShape }),
      await kernelOn("cpu", "Conv2DBackpropInput", inputArgs, { ...common, inputShape: xShape }));
    assert.ok(dxErr < TOLERANCE, `Conv2DBackpropInput NCHW: ${dxErr}`);
    const filterArgs = { x: arg(xShape, 22), dy };
    const dwErr = relativeError(
      await kernelOn("wasm", "Conv2DBackpropFilter", filterArgs, { ...common, filterShape: fShape }),
      await kernelOn("cpu", "Conv2DBackpropFilter", filterArgs, { ...common, filterShape: fShape }));
    assert.ok(dwErr < TOLERANCE, `Conv2DBackpropFilter NCHW: ${dwErr}`);
  });

  it("rejects stride and dilation both above 1 with a clear message", async () => {
    await tf.setBackend("wasm");
    const attrs = { strides: [2, 2], dilations: [2, 2], pad: "same", inputShape: [1, 8, 8, 2] };
    assert.throws(
      () => tf.tidy(() => tf.engine().runKernel("DepthwiseConv2dNativeBackpropInput",
        { dy: tf.zeros([1, 4, 4, 2]), filter: tf.zeros([3, 3, 2, 1]) }, attrs as unknown as tf.NamedAttrMap)),
      /passo .* e dilatação .* não são suportados/);
  });
});

// The native backend, where @tensorflow/tfjs-node installs (it downloads TensorFlow's C library; an
// optional dependency): the same gradients as the cpu backend. Skipped, saying why, where it cannot load.
describe("engine: gradients on tfjs-node (the tensorflow backend) match the cpu backend", function () {
  this.timeout(120_000);
  before(async function () {
    try {
      await initEngine({ backend: "tensorflow", quiet: true });
    } catch (e) {
      console.log(`      skipped: ${e instanceof Error ? e.message : String(e)}`);
      this.skip();
    }
  });
  after(async () => {
    await initEngine({ backend: "wasm", quiet: true });
  });
  const H = 9, W = 11;

  it("conv2d, depthwiseConv2d and separableConv2d: strides 1/2, padding same/valid, kernels 1/3/5, batch 1/3", async () => {
    for (const c of grid()) {
      await assertGradParity(`conv2d ${JSON.stringify(c)}`, (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad),
        [arg([c.batch, H, W, 3], 1), arg([c.k, c.k, 3, 4], 2)], "tensorflow");
      await assertGradParity(`depthwiseConv2d ${JSON.stringify(c)}`, (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad),
        [arg([c.batch, H, W, 3], 3), arg([c.k, c.k, 3, 1], 4)], "tensorflow");
      await assertGradParity(`separableConv2d ${JSON.stringify(c)}`,
        (x, dw, pw) => tf.separableConv2d(x as tf.Tensor4D, dw as tf.Tensor4D, pw as tf.Tensor4D, c.stride, c.pad),
        [arg([c.batch, H, W, 3], 5), arg([c.k, c.k, 3, 1], 6), arg([1, 1, 3, 5], 7)], "tensorflow");
    }
  });

  it("the model's 16->16 convolution with bias and ReLU", async () => {
    await assertGradParity("fused conv2d 16->16",
      (x, w, b) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: "same", bias: b, activation: "relu" }),
      [arg([2, 20, 22, 16], 30), arg([3, 3, 16, 16], 31), arg([16], 32)], "tensorflow");
  });
});
