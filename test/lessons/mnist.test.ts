// The real MNIST digits shipped by the `mnist` package, picked by a seeded permutation.
import { strict as assert } from "assert";
import { digitImage, loadMnist, MNIST_SIZE, mnistCountsByDigit, mnistDigit, mnistSplit } from "../../lib/digits/mnist";

describe("mnist digits", () => {
  it("holds 10,000 real digits, about a thousand of each", () => {
    const counts = mnistCountsByDigit();
    assert.equal(counts.length, 10);
    assert.equal(counts.reduce((a, b) => a + b, 0), 10_000);
    assert.ok(counts.every((c) => c > 800 && c < 1200), JSON.stringify(counts));
  });

  it("gives disjoint train and validation sets of the asked sizes, labels 0..9, pixels in [0, 1]", () => {
    const { train, validation } = mnistSplit({ train: 600, validation: 400, seed: 3 });
    assert.equal(train.count, 600);
    assert.equal(validation.count, 400);
    assert.equal(train.images.length, 600 * MNIST_SIZE * MNIST_SIZE);
    for (const set of [train, validation]) {
      assert.ok(set.labels.every((l) => l >= 0 && l <= 9));
      assert.ok(set.images.every((p) => p >= 0 && p <= 1));
      // Real digits: mostly background, some ink.
      const ink = set.images.filter((p) => p > 0.5).length / set.images.length;
      assert.ok(ink > 0.05 && ink < 0.3, `ink fraction ${ink}`);
      // A random choice covers every digit.
      assert.equal(new Set(set.labels).size, 10);
    }
    const key = (img: number[][]): string => img.flat().join(",");
    const trainImages = new Set(Array.from({ length: train.count }, (_, i) => key(digitImage(train, i))));
    for (let i = 0; i < validation.count; i++) assert.ok(!trainImages.has(key(digitImage(validation, i))), `validation image ${i} is also in train`);
  });

  it("repeats the same digits for the same seed and others for another seed", () => {
    const a = loadMnist(50, 1), b = loadMnist(50, 1), c = loadMnist(50, 2);
    assert.deepEqual(a.labels, b.labels);
    assert.deepEqual(a.images, b.images);
    assert.notDeepEqual(a.labels, c.labels);
  });

  it("returns one digit as a 28x28 matrix", () => {
    const nine = mnistDigit(9, 0);
    assert.equal(nine.length, 28);
    assert.ok(nine.every((row) => row.length === 28));
    assert.ok(Math.max(...nine.flat()) > 0.9);
  });

  it("rejects impossible requests with a message that says what to fix", () => {
    assert.throws(() => mnistSplit({ train: 9000, validation: 2000 }), /10000 dígitos.*no máximo 10000/);
    assert.throws(() => loadMnist(-1), /inteiro >= 0/);
    assert.throws(() => mnistDigit(10), /inteiro de 0 a 9/);
    assert.throws(() => mnistDigit(3, 99_999), /index deve estar entre 0 e/);
    assert.throws(() => digitImage(loadMnist(2), 2), /entre 0 e 1/);
  });
});
