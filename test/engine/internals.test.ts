// engine/src/internals.ts reads private parts of tfjs, tfjs-backend-wasm (and its Emscripten module)
// and tfjs-layers, as they are in one exact version. A different installed version may have moved
// any of them: this test fails first, naming the package, before a kernel reads the wrong bytes.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { installedTfjsVersions, TFJS_VERSION } from "cnn-course-engine";

const root = path.join(__dirname, "..", "..");
const readJson = (file: string): { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> } =>
  JSON.parse(fs.readFileSync(path.join(root, file), "utf8"));

describe("engine: the tfjs version its internals were written for", () => {
  it(`finds tfjs ${TFJS_VERSION} installed, every package of it`, () => {
    const installed = installedTfjsVersions();
    const wrong = Object.entries(installed).filter(([, v]) => v !== TFJS_VERSION);
    assert.deepEqual(wrong, [], `engine/src/internals.ts was written for tfjs ${TFJS_VERSION}, but these are installed: ` +
      `${wrong.map(([name, v]) => `${name} ${v ?? "(missing)"}`).join(", ")}. Check every internal listed at the top of ` +
      "engine/src/internals.ts against the new version, then change TFJS_VERSION and the pins in package.json and engine/package.json.");
  });

  it("is pinned to that exact version in both package.json files (no ^ or ~ range)", () => {
    for (const file of ["package.json", "engine/package.json"]) {
      const pkg = readJson(file);
      for (const name of ["@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm"]) {
        assert.equal(pkg.dependencies?.[name], TFJS_VERSION, `${file}: ${name} must be "${TFJS_VERSION}" exactly`);
      }
    }
    assert.equal(readJson("package.json").optionalDependencies?.["@tensorflow/tfjs-node"], TFJS_VERSION);
  });
});
