// The course's WebAssembly SIMD kernels (lib/engine/simd): the committed binary is the compiled
// kernels.wat (npm run build:wasm), and the engine loads it on the wasm backend's own memory.
// Their results are checked against the cpu backend in engine-kernels.test.ts.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { initEngine } from "../lib/engine";
import { projectRoot } from "../lib/common/config";
import { simdKernelsFor } from "../lib/engine/simd";
import { KERNELS_WASM_BASE64 } from "../lib/engine/simd/kernels-wasm";
import { compileKernelsWat, kernelsModuleSource, KERNELS_TS, KERNELS_WAT } from "../tools/build/wasm";

describe("engine: the course's WebAssembly SIMD kernels (lib/engine/simd)", function () {
  this.timeout(60_000);

  it("the committed binary is kernels.wat compiled (run npm run build:wasm after editing it)", async () => {
    const bytes = await compileKernelsWat(fs.readFileSync(path.join(projectRoot(), KERNELS_WAT), "utf8"));
    assert.equal(Buffer.from(KERNELS_WASM_BASE64, "base64").toString("hex"), Buffer.from(bytes).toString("hex"));
    assert.equal(fs.readFileSync(path.join(projectRoot(), KERNELS_TS), "utf8"), kernelsModuleSource(bytes));
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
});
