// One X-ray file to model input: decode with jimp (JPEG, greyscale or colour, or PNG), keep 3
// channels (grey is replicated, as `tf.image.decode_jpeg(..., channels=3)` does), resize to
// size x size as `tf.image.resize` does.
import * as fs from "fs";
import { RawImage, resizeBilinear } from "./resize";

type JimpModule = typeof import("jimp");
let jimpModule: JimpModule | null = null;

// Loaded on first use: requiring jimp and its plugins costs a second or more, and most notebooks
// import cnn-course without ever decoding an X-ray.
function jimp(): JimpModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first decode only (jimp takes ~1 s to load)
  jimpModule = jimpModule ?? (require("jimp") as JimpModule);
  return jimpModule;
}

/** Decodes image bytes into RGBA pixels (jimp always gives 4 channels). */
export async function decodeImage(bytes: Buffer): Promise<RawImage> {
  if (bytes.length === 0) throw Object.assign(new Error("arquivo vazio (0 bytes)"), { code: "EEMPTY" });
  const image = await jimp().Jimp.read(bytes);
  const { data, width, height } = image.bitmap;
  return { data, width, height, channels: 4 };
}

/** size x size x 3 bytes (RGB, 0..255) of an encoded image, written into `out` at `offset` when given. */
export async function preprocessImage(bytes: Buffer, size: number, out?: Uint8Array, offset = 0): Promise<Uint8Array> {
  const image = await decodeImage(bytes);
  return resizeBilinear(image, size, size, 3, out, offset);
}

/** `preprocessImage` of a file on disk. */
export async function preprocessFile(file: string, size: number, out?: Uint8Array, offset = 0): Promise<Uint8Array> {
  return preprocessImage(await fs.promises.readFile(file), size, out, offset);
}

/** A short reason for a file that could not be used, from the error jimp or fs threw. */
export function describeDecodeError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === "ENOENT") return "arquivo não encontrado";
  if (e?.code === "EACCES") return "sem permissão de leitura";
  if (e?.code === "EISDIR") return "é uma pasta, não uma imagem";
  if (e?.code === "EEMPTY") return "arquivo vazio (0 bytes)";
  const message = e instanceof Error ? e.message : String(err);
  if (/unsupported mime|could not find mime|mime type/i.test(message)) return "não é uma imagem JPEG ou PNG";
  return `não consegui decodificar a imagem (${message})`;
}
