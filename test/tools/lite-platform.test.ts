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
});
