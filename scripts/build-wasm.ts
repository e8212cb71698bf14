// npm run build:wasm — compiles engine/src/simd/kernels.wat (the course's WebAssembly SIMD kernels)
// with wabt into engine/src/simd/kernels-wasm.ts (the binary as base64), which the engine loads at
// run time: students and the notebooks never need wabt. test/engine/engine-simd.test.ts fails when the
// committed binary is not this source's.
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "../lib/common/config";
import { compileKernelsWat, kernelsModuleSource, KERNELS_WAT, KERNELS_TS } from "../tools/build/wasm";

async function main(): Promise<void> {
  const root = projectRoot();
  const bytes = await compileKernelsWat(fs.readFileSync(path.join(root, KERNELS_WAT), "utf8"));
  fs.writeFileSync(path.join(root, KERNELS_TS), kernelsModuleSource(bytes));
  console.log(`${KERNELS_TS}: ${bytes.length} bytes of WebAssembly from ${KERNELS_WAT}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
