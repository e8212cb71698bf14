// X-ray files to one packed batch of model inputs (N x size x size x 3 bytes), with a disk cache
// and a progress display. Files that cannot be decoded are skipped with a warning, never a crash:
// one bad JPEG must not cost a student a 10-minute preprocessing run.
import { cacheDir } from "../../common/config";
import { formatBR } from "../../common/format";
import { createProgress } from "../../view/progress";
import { PixelImage } from "../../view/plots";
import { cachedImages, decodeAll, packDecoded } from "./decode-batch";
import { IMAGE_CACHE_VERSION, imageCacheKey, imageCachePath, writeCachedBatch } from "./image-cache";
import { classNameOf, XrayLabel } from "./xray-files";

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface ImageBatch {
  /** count x size x size x 3 bytes, RGB, 0..255, row-major (NHWC, as tf.tensor4d expects). */
  images: Uint8Array;
  /** One label per image: 0 = NORMAL, 1 = PNEUMONIA. */
  labels: Uint8Array;
  size: number;
  count: number;
  /** The path of each image, in the order of `images`. */
  files: string[];
  /** Files that could not be decoded, and why. */
  skipped: SkippedFile[];
  /** True when the batch came from the disk cache. */
  fromCache: boolean;
}

export interface LoadImagesOptions {
  /** Read and write the disk cache (default true). */
  cache?: boolean;
  /** Cache folder (default cacheDir("xray-images"); CNN_COURSE_CACHE moves it). */
  cacheFolder?: string;
  /** Decoding threads: 0 decodes in this thread; default one per core for 64+ files. */
  workers?: number;
  /** Label of the progress display; false for none. */
  progress?: string | false;
  /** Receives the warning for each skipped file (default console.warn). */
  onWarning?: (message: string) => void;
}

export type LabeledFile = { path: string; label: XrayLabel };

const MAX_SIZE = 1024;
const MAX_BATCH_BYTES = 2 ** 31 - 2 ** 24; // room for the cache header

function checkInputs(files: readonly LabeledFile[], size: number): void {
  if (!Array.isArray(files)) throw new Error("loadImages: passe a lista de arquivos de listXrayFiles()");
  if (!Number.isInteger(size) || size < 1 || size > MAX_SIZE) {
    throw new Error(`loadImages: size deve ser um inteiro entre 1 e ${MAX_SIZE} (o lado da imagem em pixels), recebi ${String(size)}`);
  }
  // One typed array and one cache file hold the batch: keep both under 2 GiB (readFileSync's limit).
  const bytes = files.length * size * size * 3;
  if (bytes > MAX_BATCH_BYTES) {
    throw new Error(`loadImages: ${formatBR(files.length)} imagens de ${size}x${size} ocupariam ${formatBR(bytes / 2 ** 30, 1)} GiB ` +
      `(limite ${formatBR(MAX_BATCH_BYTES / 2 ** 30)} GiB); use um tamanho menor ou carregue os arquivos em partes`);
  }
  files.forEach((f, i) => {
    if (!f || typeof f.path !== "string" || (f.label !== 0 && f.label !== 1)) {
      throw new Error(`loadImages: o item ${i} deve ser { path: string, label: 0 | 1 } (recebi ${JSON.stringify(f)})`);
    }
  });
}

/**
 * Decodes and resizes the files to size x size (as tf.image.resize: bilinear, aspect ratio not
 * kept), or reads them from the disk cache when the same files were loaded at the same size before.
 */
export async function loadImages(files: readonly LabeledFile[], size: number, opts: LoadImagesOptions = {}): Promise<ImageBatch> {
  checkInputs(files, size);
  const warn = opts.onWarning ?? ((m: string) => console.warn(m));
  const useCache = opts.cache ?? true;
  const cacheFile = useCache ? imageCachePath(imageCacheKey(files, size), size, opts.cacheFolder ?? cacheDir("xray-images")) : null;
  const cached = cacheFile ? cachedImages(cacheFile, size, opts, warn) : null;
  if (cached) return cached;

  const progress = opts.progress === false ? null : createProgress(opts.progress ?? "Pré-processando radiografias", files.length);
  const batch = packDecoded(files, size, await decodeAll(files, size, opts, warn, progress));
  progress?.finish(batch.skipped.length ? `${batch.skipped.length} ignorado(s)` : undefined);
  if (cacheFile) {
    try {
      await writeCachedBatch(cacheFile, { header: { version: IMAGE_CACHE_VERSION, size, count: batch.count, files: batch.files, skipped: batch.skipped }, labels: batch.labels, images: batch.images });
    } catch (err) {
      warn(`Aviso: não consegui gravar o cache em ${cacheFile} (${(err as Error).message}); a próxima execução vai decodificar de novo.`);
    }
  }
  return batch;
}

/** Image `index` of a batch as packed RGB pixels (for imageGrid and friends). */
export function imageAt(batch: ImageBatch, index: number): PixelImage {
  if (!Number.isInteger(index) || index < 0 || index >= batch.count) {
    throw new Error(`imageAt: índice ${index} fora do lote (0..${batch.count - 1})`);
  }
  const n = batch.size * batch.size * 3;
  return { pixels: batch.images.subarray(index * n, (index + 1) * n), width: batch.size, height: batch.size, channels: 3 };
}

/** "NORMAL" or "PNEUMONIA" for image `index` of a batch. */
export function labelNameAt(batch: ImageBatch, index: number): string {
  return classNameOf(batch.labels[index] as XrayLabel);
}
