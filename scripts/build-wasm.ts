// npm run build:wasm — compiles engine/src/simd/kernels.wat (the course's WebAssembly SIMD kernels)
// with wabt into engine/src/simd/kernels-wasm.ts (the binary as base64), and generates the Winograd
// convolution (tools/build/winograd-wat.ts) into winograd.wat, winograd-relaxed.wat and their binaries
// (winograd-wasm.ts). The engine loads the binaries at run time: students and the notebooks never need
// wabt. test/engine/engine-simd.test.ts fails when a committed file is not what this writes.
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../lib/common/config";
import { generatedWasmFiles, KERNELS_WAT } from "../tools/build/wasm";

async function main(): Promise<void> {
  const root = projectRoot();
  const files = await generatedWasmFiles(fs.readFileSync(path.join(root, KERNELS_WAT), "utf8"));
  for (const [file, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(root, file), text);
    console.log(`${file}: ${text.length} characters`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
