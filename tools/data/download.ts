// A resumable HTTP(S) download: bytes go to `<dest>.part` and are renamed to `dest` only when all
// arrived. An interrupted download (cut connection, Ctrl-C) continues where it stopped with an
// HTTP Range request; `If-Range` makes the server send the whole file again if it changed meanwhile.
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as path from "path";

export interface DownloadOptions {
  /** Automatic resumptions after a cut connection within this call (default 5). */
  retries?: number;
  /** Called as bytes arrive: bytes on disk so far and the total (null when the server does not say). */
  onProgress?: (done: number, total: number | null) => void;
  /** Wait before each automatic resumption, in ms (default 1000, doubled each time). */
  retryDelayMs?: number;
}

export interface DownloadResult {
  file: string;
  bytes: number;
  /** Requests made (1 when nothing was interrupted). */
  requests: number;
  /** Bytes of an earlier run's `.part` file that were kept (0: downloaded from the start). */
  reusedBytes: number;
}

/** What we remember beside a `.part` file, so a resumption asks for the same version of the file. */
interface PartInfo {
  url: string;
  total: number | null;
  validator: string | null; // ETag, or else Last-Modified
}

class RetryableDownloadError extends Error {}

function partFiles(dest: string): { part: string; info: string } {
  return { part: `${dest}.part`, info: `${dest}.part.json` };
}

function readPartInfo(file: string, url: string): PartInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(file, "utf8")) as PartInfo;
    return info.url === url ? info : null;
  } catch {
    return null;
  }
}

function request(url: string, headers: Record<string, string>, redirects = 5): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const get = url.startsWith("https:") ? https.get : url.startsWith("http:") ? http.get : null;
    if (!get) { reject(new Error(`URL sem http:// ou https://: ${url}`)); return; }
    const req = get(url, { headers }, (res) => {
      const status = res.statusCode ?? 0;
      if ([301, 302, 303, 307, 308].includes(status) && res.headers.location && redirects > 0) {
        res.resume();
        resolve(request(new URL(res.headers.location, url).toString(), headers, redirects - 1));
        return;
      }
      resolve(res);
    });
    req.setTimeout(60_000, () => req.destroy(new RetryableDownloadError("sem resposta do servidor por 60 s")));
    req.on("error", (err) => reject(err instanceof RetryableDownloadError ? err : new RetryableDownloadError(err.message)));
  });
}

function totalFromContentRange(value: string | undefined): number | null {
  const m = /\/(\d+)\s*$/.exec(value ?? "");
  return m ? Number(m[1]) : null;
}

// One request: appends to the .part file from its current size. Resolves when the file is complete.
async function attempt(url: string, dest: string, opts: DownloadOptions, onStart: (start: number) => void): Promise<void> {
  const { part, info } = partFiles(dest);
  const have = fs.existsSync(part) ? fs.statSync(part).size : 0;
  const known = have > 0 ? readPartInfo(info, url) : null;
  const headers: Record<string, string> = { "user-agent": "cnn-course-download" };
  if (have > 0 && known) {
    headers.range = `bytes=${have}-`;
    if (known.validator) headers["if-range"] = known.validator;
  }
  const res = await request(url, headers);
  const status = res.statusCode ?? 0;

  if (status === 416) {
    res.resume();
    if (known && known.total === have) { onStart(have); return; } // the .part was already complete
    await fs.promises.rm(part, { force: true }); // a .part the server does not recognise: start over
    throw new RetryableDownloadError("o servidor recusou continuar o arquivo parcial; recomeçando");
  }
  if (status !== 200 && status !== 206) {
    res.resume();
    const err = new Error(`${url}: o servidor respondeu HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ""}`);
    throw status >= 500 ? new RetryableDownloadError(err.message) : err;
  }
  const resumed = status === 206;
  const start = resumed ? have : 0;
  const length = res.headers["content-length"] !== undefined ? Number(res.headers["content-length"]) : null;
  const total = resumed ? totalFromContentRange(res.headers["content-range"]) : length;
  const validator = (res.headers.etag as string | undefined) ?? (res.headers["last-modified"] as string | undefined) ?? null;
  fs.writeFileSync(info, JSON.stringify({ url, total, validator } satisfies PartInfo));

  onStart(start);
  let done = start;
  opts.onProgress?.(done, total);
  const out = fs.createWriteStream(part, { flags: resumed ? "a" : "w" });
  try {
    await new Promise<void>((resolve, reject) => {
      res.on("data", (chunk: Buffer) => {
        done += chunk.length;
        if (!out.write(chunk)) { res.pause(); out.once("drain", () => res.resume()); }
        opts.onProgress?.(done, total);
      });
      res.on("end", resolve);
      res.on("aborted", () => reject(new RetryableDownloadError("a conexão caiu no meio do arquivo")));
      res.on("error", (err) => reject(new RetryableDownloadError(err.message)));
      res.on("close", () => { if (!res.complete) reject(new RetryableDownloadError("a conexão caiu no meio do arquivo")); });
      out.on("error", reject);
    });
  } finally {
    await new Promise<void>((resolve) => out.end(resolve));
  }
  const size = fs.statSync(part).size;
  if (total !== null && size !== total) {
    throw new RetryableDownloadError(`recebi ${size} de ${total} bytes`);
  }
}

/**
 * Downloads `url` to `dest`, resuming a `.part` file left by an earlier run. The file appears at
 * `dest` only complete. A cut connection is resumed up to `retries` times; after that the error
 * says how far it got, and running the same call again continues from there.
 */
export async function downloadFile(url: string, dest: string, opts: DownloadOptions = {}): Promise<DownloadResult> {
  const retries = opts.retries ?? 5;
  const { part, info } = partFiles(dest);
  await fs.promises.mkdir(path.dirname(dest), { recursive: true });
  let delay = opts.retryDelayMs ?? 1000;
  let reusedBytes: number | null = null;
  for (let requests = 1; ; requests++) {
    try {
      await attempt(url, dest, opts, (start) => { reusedBytes ??= start; });
      await fs.promises.rename(part, dest);
      await fs.promises.rm(info, { force: true });
      return { file: dest, bytes: fs.statSync(dest).size, requests, reusedBytes: reusedBytes ?? 0 };
    } catch (err) {
      if (!(err instanceof RetryableDownloadError)) throw err;
      if (requests > retries) {
        const have = fs.existsSync(part) ? fs.statSync(part).size : 0;
        throw new Error(`Download de ${url} interrompido (${err.message}) com ${have} bytes em ${part}. ` +
          "Rode o mesmo comando de novo: ele continua de onde parou.");
      }
      await new Promise((r) => setTimeout(r, delay));
      delay *= 2;
    }
  }
}
