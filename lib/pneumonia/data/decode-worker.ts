// A pool of worker threads that decode and resize X-rays in parallel: JPEG decoding is pure
// JavaScript (jpeg-js inside jimp), so on 2 cores two workers finish in about half the time.
// Each worker reads the file itself and sends back only the small resized pixels.
import { isMainThread, parentPort, Worker, workerData } from "worker_threads";
import { startModuleWorker } from "cnn-course-engine";
import { describeDecodeError, preprocessFile } from "./decode";

interface DecodeRequest { index: number; file: string; size: number }
type DecodeReply =
  | { index: number; pixels: Uint8Array }
  | { index: number; error: string };

const ROLE = "cnn-course-xray-decode";

// Worker side: answer requests until the pool terminates us.
if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE && parentPort) {
  const port = parentPort;
  port.on("message", (req: DecodeRequest) => {
    preprocessFile(req.file, req.size).then(
      (pixels) => port.postMessage({ index: req.index, pixels } satisfies DecodeReply, [pixels.buffer as ArrayBuffer]),
      (err: unknown) => port.postMessage({ index: req.index, error: describeDecodeError(err) } satisfies DecodeReply),
    );
  });
}

export type DecodeResult = { pixels: Uint8Array } | { error: string };

/**
 * Decodes `files` to size x size x 3 with `workers` threads, calling `onResult(index, result)` as
 * each one finishes (in any order). Resolves when all are done.
 */
export async function decodeInWorkers(
  files: readonly string[], size: number, workers: number,
  onResult: (index: number, result: DecodeResult) => void,
): Promise<void> {
  const count = Math.max(1, Math.min(workers, files.length));
  let next = 0, finished = 0;
  const pool: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      if (files.length === 0) { resolve(); return; }
      const feed = (w: Worker): void => {
        if (next < files.length) {
          const index = next++;
          w.postMessage({ index, file: files[index], size } satisfies DecodeRequest);
        }
      };
      for (let i = 0; i < count; i++) {
        const w = startModuleWorker(__filename, { role: ROLE });
        pool.push(w);
        w.on("message", (reply: DecodeReply) => {
          onResult(reply.index, "pixels" in reply ? { pixels: reply.pixels } : { error: reply.error });
          if (++finished === files.length) resolve();
          else feed(w);
        });
        w.on("error", reject);
        w.on("exit", (code) => {
          if (finished < files.length) reject(new Error(`um worker de decodificação terminou (código ${code}) antes do fim`));
        });
        // Two requests in flight per worker, so it never waits for the main thread.
        feed(w);
        feed(w);
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
