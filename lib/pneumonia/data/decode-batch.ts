// The steps of loadImages (load-images.ts), each testable on its own: read the disk cache,
// decode every file into one buffer (worker threads, then this thread), pack the decoded
// images together without the skipped ones. Not re-exported to the notebooks.
import { platform } from "../../common/platform";
import { createProgress, Progress } from "../../view/progress";
import { describeDecodeError, preprocessFile } from "./decode";
import { decodeInWorkers, DecodeResult } from "./decode-worker";
import { readCachedBatch } from "./image-cache";
import type { ImageBatch, LabeledFile, LoadImagesOptions, SkippedFile } from "./load-images";

/** The batch stored in the disk cache for these files at this size, or null (a damaged cache is only warned about: it is rebuilt). */
export function cachedImages(cacheFile: string, size: number, opts: LoadImagesOptions, warn: (m: string) => void): ImageBatch | null {
  try {
    const cached = readCachedBatch(cacheFile);
    if (!cached) return null;
    const { header } = cached;
    if (opts.progress !== false) {
      const bar = createProgress(opts.progress ?? "Pré-processando radiografias", header.count);
      bar.set(header.count);
      bar.finish("do cache em disco");
    }
    if (header.skipped.length) warn(`Aviso: ${header.skipped.length} arquivo(s) ignorado(s) (lista em skipped), como na primeira leitura.`);
    return { images: cached.images, labels: cached.labels, size, count: header.count, files: header.files, skipped: header.skipped, fromCache: true };
  } catch (err) {
    warn(`Aviso: refazendo o cache ${cacheFile} (${(err as Error).message}).`);
    return null;
  }
}

/** Every file decoded into its slot of one buffer (ok[i] = 1), or its reason for being skipped. */
export interface DecodedSlots { all: Uint8Array; ok: Uint8Array; reasons: (string | null)[] }

/**
 * Decodes the files into one buffer for the whole batch, filled in place (no second copy of
 * hundreds of megabytes): in worker threads when asked, then in this thread whatever is left.
 */
export async function decodeAll(files: readonly LabeledFile[], size: number, opts: LoadImagesOptions, warn: (m: string) => void,
  progress: Progress | null): Promise<DecodedSlots> {
  const perImage = size * size * 3;
  const slots: DecodedSlots = { all: new Uint8Array(files.length * perImage), ok: new Uint8Array(files.length), reasons: new Array(files.length).fill(null) };
  const record = (index: number, result: DecodeResult | null): void => {
    if (result === null || "pixels" in result) {
      if (result) slots.all.set(result.pixels, index * perImage);
      slots.ok[index] = 1;
    } else {
      slots.reasons[index] = result.error;
      warn(`Aviso: ignorei ${files[index].path}: ${result.error}.`);
    }
    progress?.tick(1);
  };
  const workers = opts.workers ?? platform().decodeThreads(files.length);
  if (workers > 0 && files.length > 1) {
    try {
      await decodeInWorkers(files.map((f) => f.path), size, workers, record);
    } catch (err) {
      // Threads unavailable (a restricted runtime): finish in this thread rather than fail.
      warn(`Aviso: decodificação em paralelo falhou (${(err as Error).message}); continuo sem threads.`);
    }
  }
  for (let i = 0; i < files.length; i++) {
    if (slots.ok[i] || slots.reasons[i]) continue; // done by a worker
    try {
      await preprocessFile(files[i].path, size, slots.all, i * perImage);
      record(i, null);
    } catch (err) {
      record(i, { error: describeDecodeError(err) });
    }
  }
  return slots;
}

/** The decoded images packed together: the gaps of skipped files closed (in place), labels and paths in the same order. */
export function packDecoded(files: readonly LabeledFile[], size: number, slots: DecodedSlots): ImageBatch {
  const perImage = size * size * 3;
  const labels = new Uint8Array(files.length);
  const keptFiles: string[] = [];
  const skipped: SkippedFile[] = [];
  let kept = 0;
  for (let i = 0; i < files.length; i++) {
    if (!slots.ok[i]) {
      skipped.push({ file: files[i].path, reason: slots.reasons[i] ?? "desconhecido" });
      continue;
    }
    if (kept !== i) slots.all.copyWithin(kept * perImage, i * perImage, (i + 1) * perImage);
    labels[kept++] = files[i].label;
    keptFiles.push(files[i].path);
  }
  return { images: slots.all.subarray(0, kept * perImage), labels: labels.subarray(0, kept), size, count: kept, files: keptFiles, skipped, fromCache: false };
}

