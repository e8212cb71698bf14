// The course's files in the browser (platform-browser.ts): one tree in memory under the site's
// virtual root "/curso", holding
//   - the site's files, listed by files.json (written by `npm run lite`): the X-ray sample, fetched
//     when first read, and docs/results' JSON tables, inline;
//   - what the course writes (the image cache, checkpoints): in memory, and under the cache folder
//     mirrored to IndexedDB, so that a model trained in notebook 09 is still there for notebook 10
//     after the page is closed. Each write, rename or removal is one IndexedDB transaction, in
//     order: a checkpoint folder renamed into place lands whole or not at all.
import * as path from "path";
import type { CourseFiles, FileInfo } from "./platform";

export const BROWSER_ROOT = "/curso";

/** files.json: the site's files under BROWSER_ROOT (paths relative to it). */
export interface SiteManifest {
  /** Fetched from `url` (relative to the page) when read. */
  files: { path: string; url: string; size: number; mtimeMs: number }[];
  /** Small text files, inline. */
  texts: { path: string; text: string; mtimeMs: number }[];
}

interface Entry { data: Uint8Array | null; url: string | null; size: number; mtimeMs: number }

const entries = new Map<string, Entry>();
const dirs = new Set<string>(["/"]);
const DB_NAME = "cnn-course-files", STORE = "files";
/** Paths under this folder are kept in IndexedDB (set by keepInBrowser). */
let keptRoot: string | null = null;
let db: IDBDatabase | null = null;
let queue: Promise<void> = Promise.resolve();

const abs = (p: string): string => path.resolve(BROWSER_ROOT, p);

function addDirs(dir: string): void {
  for (let d = dir; !dirs.has(d); d = path.dirname(d)) dirs.add(d);
}

function put(file: string, entry: Entry): void {
  entries.set(file, entry);
  addDirs(path.dirname(file));
}

/** Registers the site's files (files.json). */
export function addSiteFiles(manifest: SiteManifest): void {
  const encoder = new TextEncoder();
  for (const f of manifest.files) put(abs(f.path), { data: null, url: f.url, size: f.size, mtimeMs: f.mtimeMs });
  for (const t of manifest.texts) {
    const data = encoder.encode(t.text);
    put(abs(t.path), { data, url: null, size: data.length, mtimeMs: t.mtimeMs });
  }
}

function under(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith("/") ? dir : `${dir}/`);
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
}

function openDb(): Promise<IDBDatabase> {
  const open = indexedDB.open(DB_NAME, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  return request(open);
}

/** One IndexedDB transaction, queued after the earlier ones (the course's writes are synchronous). */
function persist(touches: string, change: (store: IDBObjectStore) => void): void {
  if (!db || !keptRoot || !under(touches, keptRoot)) return;
  const database = db;
  queue = queue.then(() => new Promise<void>((resolve) => {
    const tx = database.transaction(STORE, "readwrite");
    change(tx.objectStore(STORE));
    tx.oncomplete = () => resolve();
    tx.onerror = tx.onabort = () => {
      console.warn(`não consegui guardar ${touches} no navegador (IndexedDB): ${String(tx.error)}`);
      resolve();
    };
  }));
}

/** Keeps every file under `root` in IndexedDB from now on, and brings back what an earlier page kept. */
export async function keepInBrowser(root: string): Promise<void> {
  keptRoot = abs(root);
  try {
    db = await openDb();
  } catch (err) {
    console.warn(`IndexedDB indisponível (${String(err)}): checkpoints e cache ficam só nesta página.`);
    return;
  }
  const store = db.transaction(STORE, "readonly").objectStore(STORE);
  const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
  keys.forEach((key, i) => {
    const v = values[i] as { data: Uint8Array; mtimeMs: number };
    put(String(key), { data: v.data, url: null, size: v.data.length, mtimeMs: v.mtimeMs });
  });
}

/** Resolves when every write so far is in IndexedDB. */
export function filesSaved(): Promise<void> {
  return queue;
}

function entryOf(file: string): Entry {
  const e = entries.get(abs(file));
  if (!e) throw Object.assign(new Error(`ENOENT: arquivo não encontrado: ${file}`), { code: "ENOENT" });
  return e;
}

function concat(data: string | Uint8Array | readonly Uint8Array[]): Uint8Array {
  if (typeof data === "string") return new TextEncoder().encode(data);
  if (data instanceof Uint8Array) return data.slice();
  const out = new Uint8Array(data.reduce((n, p) => n + p.length, 0));
  data.reduce((at, p) => { out.set(p, at); return at + p.length; }, 0);
  return out;
}

function removeAll(target: string, store: IDBObjectStore): void {
  store.delete(target);
  store.delete(IDBKeyRange.bound(`${target}/`, `${target}/\uffff`));
}

export const browserFiles: CourseFiles = {
  info(file): FileInfo | null {
    const p = abs(file);
    if (dirs.has(p)) return { size: 0, mtimeMs: 0, directory: true };
    const e = entries.get(p);
    return e ? { size: e.size, mtimeMs: e.mtimeMs, directory: false } : null;
  },
  list(dir) {
    const p = abs(dir);
    if (!dirs.has(p)) throw Object.assign(new Error(`ENOTDIR: não é uma pasta: ${dir}`), { code: "ENOTDIR" });
    const names = new Set<string>();
    for (const q of [...dirs, ...entries.keys()]) if (q !== p && path.dirname(q) === p) names.add(path.basename(q));
    return [...names];
  },
  read(file) {
    const e = entryOf(file);
    if (!e.data) throw new Error(`${file} ainda não foi baixado do site: leia-o com readAsync.`);
    return e.data;
  },
  readText: (file) => new TextDecoder().decode(browserFiles.read(file)),
  async readAsync(file) {
    const e = entryOf(file);
    if (e.data) return e.data;
    const res = await fetch(e.url!);
    if (!res.ok) throw new Error(`${file}: HTTP ${res.status} ao baixar ${e.url}`);
    e.data = new Uint8Array(await res.arrayBuffer());
    return e.data;
  },
  write(file, data) {
    const p = abs(file), bytes = concat(data), mtimeMs = Date.now();
    put(p, { data: bytes, url: null, size: bytes.length, mtimeMs });
    persist(p, (store) => store.put({ data: bytes, mtimeMs }, p));
  },
  mkdir: (dir) => addDirs(abs(dir)),
  rename(from, to) {
    const a = abs(from), b = abs(to);
    if (!dirs.has(a) && !entries.has(a)) throw Object.assign(new Error(`ENOENT: ${from} não existe`), { code: "ENOENT" });
    const moved = [...entries].filter(([p]) => under(p, a));
    for (const [p] of moved) entries.delete(p);
    for (const d of [...dirs].filter((d) => under(d, a))) { dirs.delete(d); dirs.add(b + d.slice(a.length)); }
    for (const [p, e] of moved) put(b + p.slice(a.length), e);
    addDirs(path.dirname(b));
    persist(a, (store) => {
      removeAll(a, store);
      for (const [p, e] of moved) if (e.data) store.put({ data: e.data, mtimeMs: e.mtimeMs }, b + p.slice(a.length));
    });
  },
  remove(target) {
    const p = abs(target);
    for (const q of [...entries.keys()]) if (under(q, p)) entries.delete(q);
    for (const d of [...dirs]) if (under(d, p) && d !== "/") dirs.delete(d);
    persist(p, (store) => removeAll(p, store));
  },
};
