// The browser's side of lib/common/platform.ts, run in Node where it can be compared with the
// Node side: PNG bytes that pngjs decodes to the same pixels, base64 equal to Buffer's, the
// compact MNIST file giving back the mnist package's very values, and Node modules that fail
// with a clear message in the browser bundle.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PNG } from "pngjs";
import { currentPlatform as browser } from "../../lib/common/platform-browser";
import { currentPlatform as node } from "../../lib/common/platform-node";
import { writeMnist } from "../../tools/lite/site";
import { missingModule } from "../../tools/lite/shims/missing";
import { addSiteFiles, browserFiles } from "../../lib/common/browser-files";

describe("lite: the browser platform", () => {
  it("encodes PNGs that decode to the very same RGBA pixels", () => {
    for (const [w, h] of [[1, 1], [7, 5], [300, 250]]) {
      const rgba = Uint8Array.from({ length: w * h * 4 }, (_, i) => (i * 37 + (i >> 3)) & 0xff);
      const decoded = PNG.sync.read(Buffer.from(browser.encodePng(rgba, w, h)));
      assert.deepEqual([decoded.width, decoded.height], [w, h]);
      assert.ok(Buffer.from(rgba).equals(decoded.data), `${w}x${h} pixels`);
    }
  });

  it("writes base64 as Node's Buffer does, and reads it back", () => {
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 131) & 0xff);
    assert.equal(browser.toBase64(bytes), node.toBase64(bytes));
    assert.deepEqual(browser.fromBase64(node.toBase64(bytes)), bytes);
  });

  it("mnist.bin gives back every grey level of the mnist package exactly", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cnn-lite-")), "mnist.bin");
    writeMnist(file);
    const bytes = fs.readFileSync(file);
    const counts = new Uint32Array(bytes.buffer, bytes.byteOffset, 10);
    const values = new Uint16Array(bytes.buffer.slice(bytes.byteOffset + 40, bytes.byteOffset + bytes.length));
    const groups = node.mnistDigits();
    let at = 0, differ = 0;
    for (let d = 0; d < 10; d++) {
      assert.equal(counts[d], groups[d].length);
      for (let i = 0; i < groups[d].raw.length; i++) if (values[at++] / 1000 !== groups[d].raw[i]) differ++;
    }
    assert.equal(at, values.length);
    assert.equal(differ, 0);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it("gives lesson code reaching a Node-only part a clear error", () => {
    const fsShim = missingModule("fs", ["readFileSync"]) as { readFileSync: () => void };
    assert.throws(() => fsShim.readFileSync(), /^Error: fs\.readFileSync não existe no navegador: esta parte do curso precisa do Node \(tslab\)\.$/);
    assert.equal(missingModule("worker_threads", ["isMainThread"]).isMainThread, true);
  });

  it("keeps the course's files in one tree: the site's, listed by files.json, and the ones the course writes", async () => {
    addSiteFiles({
      files: [{ path: "data/x/train/NORMAL/a.png", url: "data/x/train/NORMAL/a.png", size: 7, mtimeMs: 5 }],
      texts: [{ path: "docs/results/t.json", text: '{"k":1}', mtimeMs: 6 }],
    });
    assert.deepEqual(browserFiles.info("/curso/data/x/train/NORMAL/a.png"), { size: 7, mtimeMs: 5, directory: false });
    assert.equal(browserFiles.info("/curso/data/x/train")?.directory, true);
    assert.equal(browserFiles.info("/curso/data/x/val"), null);
    assert.deepEqual(browserFiles.list("/curso/data/x/train"), ["NORMAL"]);
    assert.equal(browserFiles.readText("/curso/docs/results/t.json"), '{"k":1}');
    // A site file not yet fetched is read with readAsync (fetch), never synchronously.
    assert.throws(() => browserFiles.read("/curso/data/x/train/NORMAL/a.png"), /readAsync/);
    assert.throws(() => browserFiles.list("/curso/nada"), /não é uma pasta/);
    // A checkpoint written the way writeDirAtomic writes it: temporary folder, then renamed into place.
    browserFiles.mkdir("/curso/.cache/runs/r/best.tmp-1-2");
    browserFiles.write("/curso/.cache/runs/r/best.tmp-1-2/state.json", "{}");
    browserFiles.write("/curso/.cache/runs/r/best.tmp-1-2/weights.bin", [Uint8Array.of(1, 2), Uint8Array.of(3)]);
    browserFiles.rename("/curso/.cache/runs/r/best.tmp-1-2", "/curso/.cache/runs/r/best");
    assert.deepEqual(browserFiles.list("/curso/.cache/runs/r"), ["best"]);
    assert.deepEqual(browserFiles.list("/curso/.cache/runs/r/best").sort(), ["state.json", "weights.bin"]);
    assert.deepEqual([...browserFiles.read("/curso/.cache/runs/r/best/weights.bin")], [1, 2, 3]);
    assert.deepEqual([...await browserFiles.readAsync("/curso/.cache/runs/r/best/weights.bin")], [1, 2, 3]);
    browserFiles.remove("/curso/.cache/runs/r");
    assert.equal(browserFiles.info("/curso/.cache/runs/r/best/state.json"), null);
    assert.equal(browserFiles.info("/curso/.cache/runs/r"), null);
    assert.equal(browserFiles.info("/curso/.cache/runs")?.directory, true);
  });

  it("hashes cache keys to 24 hex digits that change with any character", () => {
    const a = browser.hashHex("x\t12\t0\n"), b = browser.hashHex("x\t12\t1\n");
    assert.match(a, /^[0-9a-f]{24}$/);
    assert.notEqual(a, b);
    assert.equal(a, browser.hashHex("x\t12\t0\n"));
    assert.equal(browser.decodeThreads(1000), 0);
  });
});
