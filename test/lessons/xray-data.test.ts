// The chest X-ray data pipeline on the real shared images: folder listing, decoding and resizing
// against TensorFlow.js, the disk cache, skipped files, the Keras 80/20 split and class weights.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { xrayDataDir } from "../../lib/common/config";
import { decodeImage, preprocessFile } from "../../lib/pneumonia/data/decode";
import { imageCacheKey, imageCachePath, readCachedBatch, writeCachedBatch } from "../../lib/pneumonia/data/image-cache";
import { packDecoded } from "../../lib/pneumonia/data/decode-batch";
import { imageAt, loadImages } from "../../lib/pneumonia/data/load-images";
import { resizeBilinear } from "../../lib/pneumonia/data/resize";
import { classWeights, initialBias, splitSummary, splitTrainVal } from "../../lib/pneumonia/data/split";
import { countLabels, listXrayFiles, XrayFile } from "../../lib/pneumonia/data/xray-files";
import { xrayGrid } from "../../lib/pneumonia/data/xray-grid";
import { seededRandom } from "../../lib/common/random";
import { describeWithXrayData } from "../helpers/data";

function tfResize(data: Uint8Array | Float32Array, width: number, height: number, channels: number, outW: number, outH: number): Float32Array {
  return tf.tidy(() => {
    const img = tf.tensor3d(Float32Array.from(data), [height, width, channels]);
    return tf.image.resizeBilinear(img, [outH, outW], false, true).dataSync() as Float32Array;
  });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, "same number of values");
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const tempDirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cnn-course-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}
after(() => { for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true }); });

const quiet = { progress: false as const, onWarning: (): void => undefined };

describe("xray data: resize as tf.image.resize", () => {
  // The reference is TensorFlow's cpu kernel: wasm's float32 resize differs by up to 0.503
  // (measured), which a test run after initEngine() would otherwise inherit.
  let previous = "";
  before(async () => { await tf.ready(); previous = tf.getBackend(); await tf.setBackend("cpu"); });
  after(async () => { if (previous) await tf.setBackend(previous); });

  it("matches tf.image.resizeBilinear(half-pixel centres) on random images, down and up, 3 and 4 channels", () => {
    const rng = seededRandom(7);
    const cases: [number, number, number, number, number][] = [
      [224, 224, 3, 180, 180], [224, 224, 4, 180, 180], [31, 17, 3, 8, 12], [5, 7, 3, 13, 9], [1240, 928, 3, 180, 180], [10, 10, 3, 10, 10],
    ];
    for (const [w, h, c, ow, oh] of cases) {
      const data = new Uint8Array(w * h * c).map(() => Math.floor(rng() * 256));
      const ours = resizeBilinear({ data, width: w, height: h, channels: c }, ow, oh);
      const theirs = tfResize(data, w, h, c, ow, oh);
      // Ours rounds to bytes: at most half a grey level away from TensorFlow's float.
      assert.ok(maxAbsDiff(ours, theirs) <= 0.5 + 1e-3, `${w}x${h}x${c} -> ${ow}x${oh}`);
    }
  });

  it("keeps the first channels only when asked (RGBA -> RGB) and rejects bad sizes with a clear message", () => {
    const rgba = new Uint8Array([10, 20, 30, 255, 50, 60, 70, 255]);
    assert.deepEqual(Array.from(resizeBilinear({ data: rgba, width: 2, height: 1, channels: 4 }, 2, 1, 3)), [10, 20, 30, 50, 60, 70]);
    assert.throws(() => resizeBilinear({ data: rgba, width: 3, height: 1, channels: 4 }, 2, 2), /não correspondem a 3x1x4/);
    assert.throws(() => resizeBilinear({ data: rgba, width: 2, height: 1, channels: 4 }, 0, 2), /tamanho de saída inválido/);
  });
});

describe("xray data: loadImages' packing step", () => {
  it("closes the gap of a skipped file in place: images, labels and paths stay aligned, the reason is kept", () => {
    const size = 1, per = 3;
    const files = [{ path: "a", label: 0 as const }, { path: "b", label: 1 as const }, { path: "c", label: 1 as const }];
    const all = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const batch = packDecoded(files, size, { all, ok: Uint8Array.from([1, 0, 1]), reasons: [null, "JPEG truncado", null] });
    assert.equal(batch.count, 2);
    assert.deepEqual(Array.from(batch.images), [1, 2, 3, 7, 8, 9]);
    assert.equal(batch.images.buffer, all.buffer, "no second copy of the pixels");
    assert.equal(batch.images.length, 2 * per);
    assert.deepEqual(Array.from(batch.labels), [0, 1]);
    assert.deepEqual(batch.files, ["a", "c"]);
    assert.deepEqual(batch.skipped, [{ file: "b", reason: "JPEG truncado" }]);
    assert.equal(batch.fromCache, false);
  });
});

describeWithXrayData("xray data: the shared chest X-ray folder", () => {
  let files: XrayFile[];
  before(async () => {
    await tf.ready();
    files = listXrayFiles();
  });

  it("lists every file of the Kaggle layout with split and label from its folders", () => {
    const count = (split: string, label: number): number => files.filter((f) => f.split === split && f.label === label).length;
    const onDisk = (split: string, cls: string): number => fs.readdirSync(path.join(xrayDataDir(), split, cls)).filter((n) => /\.jpe?g$/i.test(n)).length;
    for (const split of ["train", "val", "test"]) {
      assert.equal(count(split, 0), onDisk(split, "NORMAL"), `${split}/NORMAL`);
      assert.equal(count(split, 1), onDisk(split, "PNEUMONIA"), `${split}/PNEUMONIA`);
    }
    assert.ok(count("train", 0) > 1000 && count("train", 1) > 3000, "the whole Kaggle train split");
    assert.ok(files.every((f) => path.basename(path.dirname(f.path)) === (f.label === 0 ? "NORMAL" : "PNEUMONIA")));
    const paths = files.map((f) => f.path);
    assert.deepEqual(listXrayFiles().map((f) => f.path), paths, "same order every time");
  });

  it("says which folders are missing and how to get the data", () => {
    const empty = tempDir("nodata");
    fs.mkdirSync(path.join(empty, "train", "NORMAL"), { recursive: true });
    assert.throws(() => listXrayFiles(empty), (err: Error) =>
      err.message.includes(empty) && err.message.includes("train/PNEUMONIA") && err.message.includes("test/NORMAL") &&
      err.message.includes("npm run download") && err.message.includes("CNN_COURSE_DATA"));
  });

  it("finds the layout one level down (chest_xray/) and lists only the splits asked for", () => {
    const dir = tempDir("nested");
    for (const split of ["train", "test"]) {
      for (const cls of ["NORMAL", "PNEUMONIA"]) {
        const from = files.find((f) => f.split === split && path.basename(path.dirname(f.path)) === cls) as XrayFile;
        fs.mkdirSync(path.join(dir, "chest_xray", split, cls), { recursive: true });
        fs.copyFileSync(from.path, path.join(dir, "chest_xray", split, cls, path.basename(from.path)));
      }
    }
    fs.writeFileSync(path.join(dir, "chest_xray", "train", "NORMAL", ".DS_Store"), "x");
    const nested = listXrayFiles(dir);
    assert.deepEqual(nested.map((f) => [f.split, f.label]), [["train", 0], ["train", 1], ["test", 0], ["test", 1]]);
    assert.deepEqual(listXrayFiles(dir, { splits: ["test"] }).map((f) => f.split), ["test", "test"]);
  });

  it("decodes a real X-ray and resizes it to 180 as tf.image.resize does", async () => {
    const file = files[0].path;
    const decoded = await decodeImage(fs.readFileSync(file));
    assert.equal(decoded.channels, 4);
    const ours = await preprocessFile(file, 180);
    assert.equal(ours.length, 180 * 180 * 3);
    const rgba = tfResize(Uint8Array.from(decoded.data), decoded.width, decoded.height, 4, 180, 180);
    const theirs = rgba.filter((_, i) => i % 4 !== 3); // drop alpha
    assert.ok(maxAbsDiff(ours, theirs) <= 0.5 + 1e-3);
    assert.ok(ours.some((v) => v > 100) && ours.some((v) => v < 50), "a real image, not a flat one");
  });

  it("turns a 1-channel original-resolution JPEG into 3 equal channels", async () => {
    const grey = files.find((f) => f.split === "val") as XrayFile; // the val folder keeps the original greyscale files
    const decoded = await decodeImage(fs.readFileSync(grey.path));
    assert.ok(decoded.width > 900 && decoded.height > 500, `${decoded.width}x${decoded.height}`);
    const px = await preprocessFile(grey.path, 64);
    for (let i = 0; i < px.length; i += 3) assert.ok(px[i] === px[i + 1] && px[i] === px[i + 2], `pixel ${i / 3}`);
  });

  it("reads the original-resolution copy too (train only, any size, 1 or 3 channels)", async function () {
    const fullDir = path.join(path.dirname(xrayDataDir()), "chest-xray-fullres");
    if (!fs.existsSync(fullDir)) this.skip();
    assert.throws(() => listXrayFiles(fullDir), /faltam: test\/NORMAL, test\/PNEUMONIA/);
    const full = listXrayFiles(fullDir, { splits: ["train"] });
    assert.equal(full.length, fs.readdirSync(path.join(fullDir, "train", "NORMAL")).length + fs.readdirSync(path.join(fullDir, "train", "PNEUMONIA")).length);
    // A wide 3-channel file (482x163 in the manifest) and a large greyscale one.
    const wide = full.find((f) => path.basename(f.path) === "person1669_bacteria_4422.jpeg") as XrayFile;
    const grey = full.find((f) => f.label === 0) as XrayFile;
    for (const f of [wide, grey]) {
      const decoded = await decodeImage(fs.readFileSync(f.path));
      const ours = await preprocessFile(f.path, 180);
      const theirs = tfResize(Uint8Array.from(decoded.data), decoded.width, decoded.height, 4, 180, 180).filter((_, i) => i % 4 !== 3);
      assert.ok(maxAbsDiff(ours, theirs) <= 0.5 + 1e-3, path.basename(f.path));
    }
    const batch = await loadImages([wide, grey], 64, { ...quiet, cache: false, workers: 0 });
    assert.equal(batch.count, 2);
  });

  it("loads a batch, skips bad files with a warning naming each, and caches the result", async () => {
    const dir = tempDir("bad");
    const notImage = path.join(dir, "notes.jpeg");
    fs.writeFileSync(notImage, "this is not a JPEG");
    const truncated = path.join(dir, "truncated.jpeg");
    fs.writeFileSync(truncated, fs.readFileSync(files[1].path).subarray(0, 2000));
    const missing = path.join(dir, "missing.jpeg");
    const good = files.filter((f) => f.split === "train").filter((_, i) => i % 400 === 0);
    const list = [good[0], { path: notImage, label: 1 as const }, ...good.slice(1, 4), { path: truncated, label: 0 as const },
      { path: missing, label: 1 as const }, ...good.slice(4)];
    const warnings: string[] = [];
    const cacheFolder = tempDir("cache");
    const opts = { cacheFolder, progress: false as const, onWarning: (m: string) => warnings.push(m) };

    const first = await loadImages(list, 32, { ...opts, workers: 0 });
    assert.equal(first.fromCache, false);
    assert.equal(first.count, good.length);
    assert.deepEqual(first.files, good.map((f) => f.path));
    assert.deepEqual(Array.from(first.labels), good.map((f) => f.label));
    assert.equal(first.images.length, good.length * 32 * 32 * 3);
    assert.deepEqual(first.skipped.map((s) => s.file), [notImage, truncated, missing]);
    assert.match(first.skipped[0].reason, /não é uma imagem/);
    assert.match(first.skipped[2].reason, /não encontrado/);
    for (const bad of [notImage, truncated, missing]) assert.ok(warnings.some((w) => w.includes(bad)), `warning names ${bad}`);
    const expected0 = await preprocessFile(good[0].path, 32);
    assert.deepEqual(imageAt(first, 0).pixels, expected0);

    const second = await loadImages(list, 32, { ...opts, workers: 0 });
    assert.equal(second.fromCache, true);
    assert.deepEqual(second.files, first.files);
    assert.deepEqual(second.skipped, first.skipped);
    assert.ok(Buffer.from(second.images).equals(Buffer.from(first.images)));
    assert.ok(Buffer.from(second.labels).equals(Buffer.from(first.labels)));
    assert.deepEqual(fs.readdirSync(cacheFolder).filter((n) => n.endsWith(".tmp")), [], "no temporary file left");

    // Two decoding threads give the very same bytes.
    const threaded = await loadImages(list, 32, { ...opts, cache: false, workers: 2 });
    assert.equal(threaded.fromCache, false);
    assert.ok(Buffer.from(threaded.images).equals(Buffer.from(first.images)));
    assert.deepEqual(threaded.skipped, first.skipped);

    // A changed file (new modification time) changes the key: no stale cache.
    const copy = path.join(dir, "copy.jpeg");
    fs.copyFileSync(good[0].path, copy);
    const withCopy = [{ path: copy, label: 0 as const }];
    const keyBefore = imageCacheKey(withCopy, 32);
    fs.utimesSync(copy, new Date(), new Date(Date.now() + 5000));
    assert.notEqual(imageCacheKey(withCopy, 32), keyBefore);
    assert.notEqual(imageCacheKey(withCopy, 33), imageCacheKey(withCopy, 32), "the size is part of the key");
  });

  it("rebuilds a corrupt cache file instead of failing", async () => {
    const cacheFolder = tempDir("cache2");
    const list = files.filter((f) => f.split === "test").slice(0, 3);
    const file = imageCachePath(imageCacheKey(list, 16), 16, cacheFolder);
    fs.mkdirSync(cacheFolder, { recursive: true });
    fs.writeFileSync(file, "CNNXRAY1 garbage");
    const warnings: string[] = [];
    const batch = await loadImages(list, 16, { cacheFolder, progress: false, workers: 0, onWarning: (m) => warnings.push(m) });
    assert.equal(batch.count, 3);
    assert.equal(batch.fromCache, false);
    assert.ok(warnings.some((w) => w.includes(file)), "the warning names the cache file");
    assert.equal((readCachedBatch(file) as NonNullable<ReturnType<typeof readCachedBatch>>).header.count, 3, "rewritten");
    // A truncated cache is refused, not read as garbage pixels.
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, bytes.length - 10));
    assert.throws(() => readCachedBatch(file), /cache inválido/);
  });

  it("writes the cache atomically (temporary file renamed)", async () => {
    const folder = tempDir("atomic");
    const file = path.join(folder, "x.bin");
    const header = { version: 1, size: 2, count: 1, files: ["a"], skipped: [] };
    await writeCachedBatch(file, { header, labels: new Uint8Array([1]), images: new Uint8Array(12).fill(9) });
    assert.deepEqual(fs.readdirSync(folder), ["x.bin"]);
    const back = readCachedBatch(file);
    assert.ok(back);
    assert.deepEqual(Array.from(back.images), new Array(12).fill(9));
    assert.deepEqual(Array.from(back.labels), [1]);
  });

  it("rejects bad arguments with messages that say what to pass", async () => {
    await assert.rejects(loadImages(files.slice(0, 1), 0, quiet), /size deve ser um inteiro entre 1 e/);
    await assert.rejects(loadImages([{ path: files[0].path, label: 2 as 0 }], 8, quiet), /o item 0 deve ser \{ path: string, label: 0 \| 1 \}/);
    await assert.rejects(loadImages(files, 400, quiet), /imagens de 400x400 ocupariam .* GiB \(limite .*use um tamanho menor/);
  });

  it("merges train and val and splits them 80/20 with a seed, test apart", () => {
    const a = splitTrainVal(files, { seed: 1337 });
    const pool = files.filter((f) => f.split !== "test");
    assert.equal(a.train.length + a.val.length, pool.length);
    assert.equal(a.train.length, Math.round(pool.length * 0.8));
    assert.deepEqual(new Set([...a.train, ...a.val].map((f) => f.path)), new Set(pool.map((f) => f.path)));
    assert.ok(a.val.some((f) => f.split === "val") || a.train.some((f) => f.split === "val"), "the val folder is merged in");
    assert.deepEqual(a.test, files.filter((f) => f.split === "test"));
    const again = splitTrainVal([...files].reverse(), { seed: 1337 });
    assert.deepEqual(again.val.map((f) => f.path), a.val.map((f) => f.path), "same seed, same split, whatever the input order");
    const other = splitTrainVal(files, { seed: 1338 });
    assert.notDeepEqual(other.val.map((f) => f.path), a.val.map((f) => f.path));
    const rows = splitSummary(a);
    assert.deepEqual(rows.map((r) => r.total), [a.train.length, a.val.length, a.test.length]);
    assert.equal(rows[0].normal + rows[0].pneumonia, rows[0].total);
    assert.throws(() => splitTrainVal(files, { seed: 1, valFraction: 1 }), /valFraction deve estar entre 0 e 1/);
    assert.throws(() => splitTrainVal(files, { seed: 0.5 }), /seed/);
  });

  it("computes the Keras class weights and initial bias from the training labels", () => {
    const { train } = splitTrainVal(files, { seed: 42 });
    const { normal, pneumonia, total } = countLabels(train);
    const w = classWeights(train);
    assert.ok(Math.abs(w[0] - (1 / normal) * (total / 2)) < 1e-12);
    assert.ok(Math.abs(w[1] - (1 / pneumonia) * (total / 2)) < 1e-12);
    // Weighted, both classes count the same: N * w0 = P * w1 = total / 2.
    assert.ok(Math.abs(normal * w[0] - pneumonia * w[1]) < 1e-9);
    assert.ok(w[0] > 1.5 && w[1] < 0.75, "NORMAL is the rare class");
    assert.ok(Math.abs(initialBias(train) - Math.log(pneumonia / normal)) < 1e-12);
    assert.deepEqual(classWeights(new Uint8Array([0, 1, 1, 1])), { 0: 2, 1: 4 / 6 });
    assert.throws(() => classWeights([1, 1, 1]), /duas classes \(NORMAL: 0, PNEUMONIA: 3\)/);
    assert.throws(() => initialBias([0, 0]), /duas classes/);
    assert.throws(() => countLabels([0, 3]), /rótulo 3 na posição 1/);
  });

  it("draws a 5x5 grid of X-rays titled with their class", async () => {
    const some = files.filter((_, i) => i % 200 === 0).slice(0, 27);
    const batch = await loadImages(some, 24, { ...quiet, cache: false, workers: 0 });
    const fig = xrayGrid(batch);
    assert.equal(fig.data.length, 25);
    const titles = (fig.layout.annotations as { text: string }[]).map((a) => a.text);
    assert.deepEqual(titles, Array.from(batch.labels.slice(0, 25), (l) => (l === 0 ? "NORMAL" : "PNEUMONIA")));
    assert.ok(String(fig.data[0].source).startsWith("data:image/png;base64,"));
    assert.throws(() => xrayGrid(batch, { start: 40 }), /não há nenhuma a partir da posição 40/);
  });
});
