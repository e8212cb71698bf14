// Notebook 08 (the layers the pneumonia model relies on): the from-scratch BatchNormalization,
// Conv2D layer and receptive field agree with TensorFlow.js; the filter learned by gradient
// descent is the lecture's; and each exercise's cases catch the plausible mistakes.
import { strict as assert } from "assert";
import * as tf from "@tensorflow/tfjs";
import {
  batchNormInference, batchNormTrain, columnMoments, MapBatch, spatialBatchNormInference, spatialBatchNormTrain,
} from "../../lib/lecture/batchnorm";
import { conv2dLayer, conv2dLayerParams, ConvKernel } from "../../lib/lecture/conv-layer";
import { LayerStep, pneumoniaBlockFields, pneumoniaGeometry, receptiveFields } from "../../lib/lecture/receptive-field";
import { learnFilter } from "../../lib/lecture/learn-filter";
import { VERTICAL_LINE_FILTER } from "../../lib/lecture/images";
import { vggSteps } from "../../lib/exercises/08-camadas-batchnorm";
import { randomVolume } from "../../lib/exercises/06-filtros-3d-cnn";
import { seededRandom } from "../../lib/common/random";
import { evaluate } from "../../lib/check/check";
import { describeExerciseTrials } from "../helpers/exercise-trials";
import { convSquareKernel, lesson08Trials } from "../helpers/lesson08-mistakes";

const maxDiff = (a: number[], b: number[]): number => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
const flatAll = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flatAll) : [v as number]);

function randomBatch(n: number, h: number, w: number, c: number, seed: number): MapBatch {
  const rng = seededRandom(seed);
  return Array.from({ length: n }, () => randomVolume(h, w, c, rng, -2, 3));
}

describe("lesson 08: BatchNormalization from scratch", () => {
  before(async () => { await tf.setBackend("cpu"); });

  it("agrees with tf.layers.batchNormalization within 1e-5 on conv maps, over three training steps and then at inference", () => {
    const [n, h, w, c] = [3, 4, 5, 2];
    const layer = tf.layers.batchNormalization();
    layer.build([null, h, w, c]);
    const gamma = [1.5, 0.7], beta = [0.2, -0.4];
    layer.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta), tf.zeros([c]), tf.ones([c])]);
    let movingMean = [0, 0], movingVariance = [1, 1];
    for (let step = 0; step < 3; step++) {
      const x = randomBatch(n, h, w, c, 80 + step);
      const ours = spatialBatchNormTrain(x, gamma, beta, movingMean, movingVariance);
      const theirs = tf.tidy(() => Array.from((layer.apply(tf.tensor4d(flatAll(x), [n, h, w, c]), { training: true }) as tf.Tensor).dataSync()));
      assert.ok(maxDiff(flatAll(ours.output), theirs) < 1e-5, `step ${step}: ${maxDiff(flatAll(ours.output), theirs)}`);
      ({ movingMean, movingVariance } = ours);
      const [, , tfMean, tfVariance] = layer.getWeights().map((t) => Array.from(t.dataSync()));
      assert.ok(maxDiff(movingMean, tfMean) < 1e-5 && maxDiff(movingVariance, tfVariance) < 1e-5);
    }
    const x = randomBatch(2, h, w, c, 90);
    const ours = spatialBatchNormInference(x, gamma, beta, movingMean, movingVariance);
    const theirs = tf.tidy(() => Array.from((layer.apply(tf.tensor4d(flatAll(x), [2, h, w, c])) as tf.Tensor).dataSync()));
    assert.ok(maxDiff(flatAll(ours), theirs) < 1e-5);
    layer.weights.forEach((v) => v.dispose());
  });

  it("in training each feature of the output has the batch mean beta and standard deviation gamma (up to epsilon)", () => {
    const rng = seededRandom(5);
    const x = Array.from({ length: 64 }, () => [10 + 5 * rng(), -3 * rng()]);
    const out = batchNormTrain(x, [2, 0.5], [1, -1], [0, 0], [1, 1]).output;
    const { mean, variance } = columnMoments(out);
    assert.ok(maxDiff(mean, [1, -1]) < 1e-9);
    const expectedVariance = columnMoments(x).variance.map((v, j) => [4, 0.25][j] * v / (v + 1e-3));
    assert.ok(maxDiff(variance, expectedVariance) < 1e-9, JSON.stringify([variance, expectedVariance]));
  });

  it("at inference one example's output does not depend on the rest of the batch", () => {
    const alone = batchNormInference([[1, 2]], [1, 1], [0, 0], [0.5, 0.5], [2, 2]);
    const inBatch = batchNormInference([[1, 2], [30, -40]], [1, 1], [0, 0], [0.5, 0.5], [2, 2]);
    assert.deepEqual(inBatch[0], alone[0]);
    assert.notDeepEqual(batchNormTrain([[1, 2], [30, -40]], [1, 1], [0, 0], [0.5, 0.5], [2, 2]).output[0], alone[0]);
  });

  it("rejects a gamma of the wrong length with a message saying what to fix", () => {
    assert.throws(() => batchNormTrain([[1, 2, 3]], [1, 1], [0, 0, 0], [0, 0, 0], [1, 1, 1]), /gamma deve ter 3 valores/);
  });
});

describe("lesson 08: the Conv2D layer", () => {
  before(async () => { await tf.setBackend("cpu"); });

  it("agrees with tf.layers.conv2d (its own weights) with 'same' padding and stride 2, and Conv2D(16, 3) on RGB has 448 parameters", () => {
    const layer = tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: "same", biasInitializer: "randomNormal" });
    const input = randomVolume(9, 8, 3, seededRandom(7));
    const theirs = tf.tidy(() => Array.from((layer.apply(tf.tensor4d(flatAll(input), [1, 9, 8, 3])) as tf.Tensor).dataSync()));
    const [kernel, bias] = layer.getWeights().map((t) => t.arraySync());
    const ours = conv2dLayer(input, kernel as ConvKernel, bias as number[], 2, "same");
    assert.deepEqual([ours.length, ours[0].length, ours[0][0].length], [5, 4, 16]);
    assert.ok(maxDiff(flatAll(ours), theirs) < 1e-5);
    assert.equal(conv2dLayerParams(kernel as ConvKernel), layer.countParams());
    assert.equal(layer.countParams(), 3 * 3 * 3 * 16 + 16);
    layer.weights.forEach((v) => v.dispose());
  });
});

/** The receptive field measured with gradients: which input pixels move the centre neuron of a linear stack with all-ones windows. */
function measuredField(layers: LayerStep[], inputSide: number): number {
  return tf.tidy(() => {
    const model = tf.sequential();
    layers.forEach((l, i) => {
      const shape = i === 0 ? { inputShape: [inputSide, inputSide, 1] } : {};
      model.add(l.stride === 1
        ? tf.layers.conv2d({ ...shape, filters: 1, kernelSize: l.kernel, useBias: false, kernelInitializer: "ones" })
        : tf.layers.averagePooling2d({ ...shape, poolSize: l.kernel, strides: l.stride }));
    });
    const out = model.outputs[0].shape as number[];
    const centre = Math.floor(out[1] / 2);
    const grad = tf.grad((x: tf.Tensor) => (model.apply(x) as tf.Tensor).slice([0, centre, centre, 0], [1, 1, 1, 1]).sum())(tf.ones([1, inputSide, inputSide, 1]));
    const row = (grad.sum([0, 2, 3]).arraySync() as number[]);
    return row.filter((v) => v !== 0).length;
  });
}

describe("lesson 08: receptive field", () => {
  before(async () => { await tf.setBackend("cpu"); });

  it("the formula matches the input pixels a neuron's gradient reaches, on a VGG-like stack and on the pneumonia layers", () => {
    const stacks: LayerStep[][] = [vggSteps(3), [{ kernel: 3, stride: 1 }, { kernel: 2, stride: 2 }, { kernel: 5, stride: 1 }, { kernel: 3, stride: 3 }, { kernel: 3, stride: 1 }]];
    const pneumonia = pneumoniaGeometry(32).filter((l) => l.kernel > 1);
    for (const stack of [...stacks, pneumonia]) {
      const fields = receptiveFields(stack);
      assert.equal(measuredField(stack, 200), fields[fields.length - 1], JSON.stringify(stack));
    }
  });

  it("each block of the 180x180 pneumonia CNN: the map halves, the filters double, the field reaches most of the image", () => {
    const blocks = pneumoniaBlockFields(180);
    assert.deepEqual(blocks.map((b) => b.side), [90, 45, 22, 11, 5]);
    assert.deepEqual(blocks.map((b) => b.channels), [16, 32, 64, 128, 256]);
    for (let i = 1; i < blocks.length; i++) assert.ok(blocks[i].receptiveField > 2 * blocks[i - 1].receptiveField - 1);
    assert.ok(blocks[4].fractionOfImage > 0.8 && blocks[4].fractionOfImage < 1);
  });
});

describe("lesson 08: learning the vertical-line filter by gradient descent", () => {
  before(async () => { await tf.setBackend("cpu"); });

  it("finds the lecture's filter from image/map pairs, the loss falling at every step", () => {
    const run = learnFilter();
    assert.ok(run.maxError < 0.02, `max error ${run.maxError}`);
    assert.ok(run.losses.every((l, i) => i === 0 || l < run.losses[i - 1]));
    assert.equal(run.filter.length, VERTICAL_LINE_FILTER.length);
  });
});

describe("lesson 08 exercises: each plausible mistake fails", () => {
  before(async () => { await tf.setBackend("cpu"); });
  describeExerciseTrials(lesson08Trials, { message: /esperado|erro/, minPublic: 4, minHidden: 2 });

  it("the square-kernel mistake fails on the non-square cases only (the cases are what catch it)", async () => {
    // The mistake is built on the reference (conv2dLayer): unwatched, as the trials run mistakes.
    const report = await evaluate("conv2d-layer", convSquareKernel, undefined, { watchReferences: false });
    const failed = report.cases.filter((c) => !c.passed).map((c) => c.name);
    assert.ok(failed.some((n) => /não quadrado/.test(n)) && failed.some((n) => /filtro 3x1/.test(n)), JSON.stringify(failed));
    assert.ok(!failed.some((n) => /imagem RGB/.test(n)), JSON.stringify(failed));
  });
});
