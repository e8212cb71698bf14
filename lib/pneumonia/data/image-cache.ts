// Disk cache of preprocessed X-ray batches, so a second run skips decoding (seconds instead of
// a minute). The key hashes the file list (path, byte size, modification time, label) and the
// image size: change any file and the key changes. One file per batch, written to a temporary
// name and renamed, so an interrupted run never leaves a half-written cache that looks valid.
import { createHash, randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { cacheDir } from "../../common/config";

const MAGIC_TEXT = "CNNXRAY1";
const magic = (): Buffer => Buffer.from(MAGIC_TEXT, "ascii");
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
  const hash = createHash("sha256");
  hash.update(`cnn-course xray v${IMAGE_CACHE_VERSION} size=${size}\n`);
  for (const f of files) {
    let stamp = "missing";
    try {
      const st = fs.statSync(f.path);
      stamp = `${st.size}\t${st.mtimeMs}`;
    } catch { /* a missing file is part of the key: it is skipped now and may appear later */ }
    hash.update(`${path.resolve(f.path)}\t${stamp}\t${f.label}\n`);
  }
  return hash.digest("hex");
}

/** Where the batch with this key lives (under cacheDir("xray-images")). */
export function imageCachePath(key: string, size: number, dir: string = cacheDir("xray-images")): string {
  return path.join(dir, `${size}px-${key.slice(0, 24)}.bin`);
}

/** Writes a batch atomically: temporary file in the same folder, then rename. */
export async function writeCachedBatch(file: string, batch: CachedBatch): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const header = Buffer.from(JSON.stringify(batch.header), "utf8");
  const headerLength = Buffer.alloc(4);
  headerLength.writeUInt32LE(header.length, 0);
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const handle = await fs.promises.open(tmp, "w");
  try {
    for (const part of [magic(), headerLength, header, batch.labels, batch.images]) await handle.write(part);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  await fs.promises.rename(tmp, file);
}

/**
 * Reads a batch written by `writeCachedBatch`; null when the file is absent. A file that is not a
 * valid cache (truncated, another format) throws, so the caller can rebuild it.
 */
export function readCachedBatch(file: string): CachedBatch | null {
  if (!fs.existsSync(file)) return null;
  const buf = fs.readFileSync(file);
  if (buf.length < 12 || !buf.subarray(0, 8).equals(magic())) throw new Error(`cache inválido (não começa com ${MAGIC_TEXT}): ${file}`);
  const headerLength = buf.readUInt32LE(8);
  const header = JSON.parse(buf.subarray(12, 12 + headerLength).toString("utf8")) as CachedBatchHeader;
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
