// Disk cache of preprocessed X-ray batches, so a second run skips decoding (seconds instead of
// a minute). The key hashes the file list (path, byte size, modification time, label) and the
// image size: change any file and the key changes. One file per batch, written to a temporary
// name and renamed, so an interrupted run never leaves a half-written cache that looks valid.
import * as path from "path";
import { cacheDir } from "../../common/config";
import { platform } from "../../common/platform";

const MAGIC_TEXT = "CNNXRAY1";
const magic = (): Uint8Array => new TextEncoder().encode(MAGIC_TEXT);
/** Bump when the layout of the cached bytes changes: old caches then stop matching. */
export const IMAGE_CACHE_VERSION = 1;

export interface CachedBatchHeader {
  version: number;
  size: number;
  count: number;
  files: string[];
  skipped: { file: string; reason: string }[];
}

export interface CachedBatch {
  header: CachedBatchHeader;
  labels: Uint8Array;
  images: Uint8Array;
}

/** The cache key of a file list at an image size (stat of every file, no reading). */
export function imageCacheKey(files: readonly { path: string; label: number }[], size: number): string {
  const lines = [`cnn-course xray v${IMAGE_CACHE_VERSION} size=${size}\n`];
  for (const f of files) {
    // A missing file is part of the key: it is skipped now and may appear later.
    const st = platform().files.info(f.path);
    const stamp = st ? `${st.size}\t${st.mtimeMs}` : "missing";
    lines.push(`${path.resolve(f.path)}\t${stamp}\t${f.label}\n`);
  }
  return platform().hashHex(lines.join(""));
}

/** Where the batch with this key lives (under cacheDir("xray-images")). */
export function imageCachePath(key: string, size: number, dir: string = cacheDir("xray-images")): string {
  return path.join(dir, `${size}px-${key.slice(0, 24)}.bin`);
}

/** Writes a batch atomically: temporary file in the same folder, then rename. */
export async function writeCachedBatch(file: string, batch: CachedBatch): Promise<void> {
  const files = platform().files;
  const header = new TextEncoder().encode(JSON.stringify(batch.header));
  const headerLength = new Uint8Array(4);
  new DataView(headerLength.buffer).setUint32(0, header.length, true);
  const tmp = `${file}.${process.pid}.${platform().randomHex(4)}.tmp`;
  try {
    // In parts: no second copy of a batch of hundreds of megabytes.
    files.write(tmp, [magic(), headerLength, header, batch.labels, batch.images]);
  } catch (err) {
    files.remove(tmp);
    throw err;
  }
  files.rename(tmp, file);
}

/**
 * Reads a batch written by `writeCachedBatch`; null when the file is absent. A file that is not a
 * valid cache (truncated, another format) throws, so the caller can rebuild it.
 */
export function readCachedBatch(file: string): CachedBatch | null {
  const files = platform().files;
  if (!files.info(file)) return null;
  const buf = files.read(file);
  if (buf.length < 12 || new TextDecoder().decode(buf.subarray(0, 8)) !== MAGIC_TEXT) throw new Error(`cache inválido (não começa com ${MAGIC_TEXT}): ${file}`);
  const headerLength = new DataView(buf.buffer, buf.byteOffset).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(buf.subarray(12, 12 + headerLength))) as CachedBatchHeader;
  const { size, count } = header;
  const start = 12 + headerLength;
  const imageBytes = count * size * size * 3;
  if (header.version !== IMAGE_CACHE_VERSION || header.files.length !== count || buf.length !== start + count + imageBytes) {
    throw new Error(`cache inválido (tamanho ou versão não conferem): ${file}`);
  }
  // Views into the one buffer read: no copy of hundreds of megabytes.
  const labels = new Uint8Array(buf.buffer, buf.byteOffset + start, count);
  const images = new Uint8Array(buf.buffer, buf.byteOffset + start + count, imageBytes);
  return { header, labels, images };
}
