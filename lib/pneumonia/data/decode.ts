// One X-ray file to model input: decode (JPEG, greyscale or colour, or PNG; jimp under Node, the
// browser's own decoder in the browser), keep 3 channels (grey is replicated, as `tf.image.decode_jpeg(..., channels=3)` does), resize to
// size x size as `tf.image.resize` does.
import { platform } from "../../common/platform";
import { RawImage, resizeBilinear } from "./resize";

/** Decodes image bytes into RGBA pixels (the platform's decoder: jimp under Node). */
export async function decodeImage(bytes: Uint8Array): Promise<RawImage> {
  if (bytes.length === 0) throw Object.assign(new Error("arquivo vazio (0 bytes)"), { code: "EEMPTY" });
  return platform().decodeImage(bytes);
}

/** size x size x 3 bytes (RGB, 0..255) of an encoded image, written into `out` at `offset` when given. */
export async function preprocessImage(bytes: Uint8Array, size: number, out?: Uint8Array, offset = 0): Promise<Uint8Array> {
  const image = await decodeImage(bytes);
  return resizeBilinear(image, size, size, 3, out, offset);
}

/** `preprocessImage` of a file (on disk; in the browser, on the site). */
export async function preprocessFile(file: string, size: number, out?: Uint8Array, offset = 0): Promise<Uint8Array> {
  return preprocessImage(await platform().files.readAsync(file), size, out, offset);
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
