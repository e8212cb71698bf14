// The platform in the browser (the course site of `npm run lite`): swapped in for
// platform-node.ts by the browser bundle (tools/lite/bundle.ts). No Node module is reached from here.
import type { ExerciseModule, MnistDigitGroup, Platform } from "./platform";
import { BROWSER_ROOT, browserFiles } from "./browser-files";

/** Replaced at build time by the names of lib/exercises/NN-slug.ts (tools/lite/bundle.ts). */
declare const CNN_COURSE_EXERCISE_MODULES: string[];

let mnist: MnistDigitGroup[] | null = null;

/** Gives the platform the MNIST digits the page fetched (mnist.bin, written by npm run lite). */
export function setMnistDigits(groups: MnistDigitGroup[]): void {
  mnist = groups;
}

export const currentPlatform: Platform = {
  name: "browser",
  randomHex(count) {
    const bytes = crypto.getRandomValues(new Uint8Array(count));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  },
  inNotebook: () => true,
  exerciseModules: (): ExerciseModule[] => CNN_COURSE_EXERCISE_MODULES.map((name) => ({
    file: name,
    // esbuild bundles every file this pattern can name (lib/exercises/*.ts).
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundler inlines each exercise module by its name
    exports: require(`../exercises/${name}.ts`),
  })),
  mnistDigits() {
    if (!mnist) throw new Error("Os dígitos MNIST ainda não foram carregados pela página (mnist.bin).");
    return mnist;
  },
  toBase64(bytes) {
    let text = "";
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  },
  fromBase64: (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0)),
  encodePng,
  projectRoot: () => BROWSER_ROOT,
  files: browserFiles,
  decodeImage,
  hashHex: fnv96,
  // jimp decodes on the page's thread (Web Workers would need a second copy of jimp and the files).
  decodeThreads: () => 0,
  plotlySource: () => "",
};

/**
 * The browser's own decoder (jimp's npm package ships no browser build): no colour-space conversion
 * and no premultiplied alpha, so a PNG gives its stored bytes, as pngjs inside jimp does under Node.
 */
async function decodeImage(bytes: Uint8Array): Promise<{ data: Uint8ClampedArray; width: number; height: number; channels: 4 }> {
  const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)]), { colorSpaceConversion: "none", premultiplyAlpha: "none" });
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    if (!ctx) throw new Error("o navegador não deu um contexto 2D para decodificar a imagem");
    ctx.drawImage(bitmap, 0, 0);
    return { data: ctx.getImageData(0, 0, bitmap.width, bitmap.height).data, width: bitmap.width, height: bitmap.height, channels: 4 };
  } finally {
    bitmap.close();
  }
}

/** Three 32-bit FNV-1a hashes of the UTF-16 code units (different offset bases), as 24 hex digits. */
function fnv96(text: string): string {
  return [0x811c9dc5, 0x01000193, 0x9e3779b9].map((basis) => {
    let h = basis >>> 0;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    return h.toString(16).padStart(8, "0");
  }).join("");
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** zlib stream of stored (uncompressed) deflate blocks: exact, tiny code, fine for small pictures. */
function zlibStored(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / 65535));
  const out = new Uint8Array(2 + blocks * 5 + data.length + 4);
  const view = new DataView(out.buffer);
  out[0] = 0x78; out[1] = 0x01;
  let at = 2;
  for (let b = 0; b < blocks; b++) {
    const chunk = data.subarray(b * 65535, (b + 1) * 65535);
    out[at] = b === blocks - 1 ? 1 : 0;
    view.setUint16(at + 1, chunk.length, true);
    view.setUint16(at + 3, ~chunk.length & 0xffff, true);
    out.set(chunk, at + 5);
    at += 5 + chunk.length;
  }
  let a = 1, s = 0;
  for (const byte of data) { a = (a + byte) % 65521; s = (s + a) % 65521; }
  view.setUint32(at, ((s << 16) | a) >>> 0);
  return out;
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** PNG of RGBA pixels: 8-bit RGBA, no filter, stored deflate. */
function encodePng(rgba: Uint8Array, width: number, height: number): Uint8Array {
  const header = new Uint8Array(13);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, width); hv.setUint32(4, height);
  header[8] = 8; header[9] = 6;
  const rows = new Uint8Array(height * (1 + 4 * width));
  for (let y = 0; y < height; y++) rows.set(rgba.subarray(y * 4 * width, (y + 1) * 4 * width), y * (1 + 4 * width) + 1);
  const parts = [Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10), pngChunk("IHDR", header),
    pngChunk("IDAT", zlibStored(rows)), pngChunk("IEND", new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
