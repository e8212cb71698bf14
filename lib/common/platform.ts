// The one place where the course differs between Node (tslab, tests, the instructor's tools) and
// the browser (the course site built by `npm run lite`). Lesson code calls `platform()` and never
// asks where it runs. The Node implementation is platform-node.ts; the browser bundle
// (tools/lite/bundle.ts) swaps that file for platform-browser.ts at build time.
import type { Exercise } from "../check/types";
import { currentPlatform } from "./platform-node";

/** One exercise module of lib/exercises (NN-slug), with what it exports. */
export interface ExerciseModule {
  file: string;
  exports: { exercises?: Exercise[] };
}

/** A file or folder: its size in bytes and modification time. */
export interface FileInfo { size: number; mtimeMs: number; directory: boolean }

/**
 * The files the course reads and writes (X-rays, the image cache, checkpoints, docs/results):
 * Node's file system under Node; in the browser, the site's files (listed by its manifest) and
 * the student's own files (cache, checkpoints) in memory, kept in IndexedDB.
 */
export interface CourseFiles {
  /** Size, time and kind of `file`; null when there is nothing at that path. */
  info(file: string): FileInfo | null;
  /** The names in folder `dir` (files and folders, unsorted); throws when it is not a folder. */
  list(dir: string): string[];
  read(file: string): Uint8Array;
  readText(file: string): string;
  /** `read` without blocking (the X-rays: under Node, files on disk; in the browser, fetched from the site). */
  readAsync(file: string): Promise<Uint8Array>;
  /** Writes a file (text, bytes, or bytes in parts) and flushes it to storage, creating its folder. */
  write(file: string, data: string | Uint8Array | readonly Uint8Array[]): void;
  /** Creates a folder and its parents. */
  mkdir(dir: string): void;
  /** Renames a file or folder, flushed to storage; a file at `to` is replaced. */
  rename(from: string, to: string): void;
  /** Removes a file or a folder with everything in it; nothing when absent. */
  remove(target: string): void;
}

/** The mnist package's data for one digit: its images one after the other, values in [0, 1]. */
export interface MnistDigitGroup { id: number; length: number; raw: ArrayLike<number> }

export interface Platform {
  readonly name: "node" | "browser";
  /** `count` random bytes as lowercase hex (ids of displays). */
  randomHex(count: number): string;
  /** True inside a notebook kernel (tslab, or the browser kernel of the course site). */
  inNotebook(): boolean;
  /** The exercise modules of lib/exercises, in notebook order. */
  exerciseModules(): ExerciseModule[];
  /** The ten digit groups of the mnist package (0..9). */
  mnistDigits(): MnistDigitGroup[];
  /** Base64 of bytes (data URIs). */
  toBase64(bytes: Uint8Array): string;
  /** Bytes of base64 text. */
  fromBase64(text: string): Uint8Array;
  /** PNG file bytes of RGBA pixels (row-major, 4 bytes a pixel). */
  encodePng(rgba: Uint8Array, width: number, height: number): Uint8Array;
  /** The course's root folder (Node: the repository; browser: the site's virtual root, "/curso"). */
  projectRoot(): string;
  files: CourseFiles;
  /** Hex digest of text, for cache keys (Node: sha256; browser: 96-bit FNV-1a, the cache being the student's own). */
  hashHex(text: string): string;
  /** RGBA pixels of an encoded image, JPEG or PNG (Node: jimp; browser: the browser's own decoder, no colour conversion). */
  decodeImage(bytes: Uint8Array): Promise<{ data: Uint8Array | Uint8ClampedArray; width: number; height: number; channels: 4 }>;
  /** How many threads decode `fileCount` X-rays (Node: one per core for 64+ files; browser: 0, the page's thread). */
  decodeThreads(fileCount: number): number;
  /** plotly.min.js's source for the inline loader; "" where the page loads plotly itself. */
  plotlySource(): string;
}

/** The platform the course runs on. */
export function platform(): Platform {
  return currentPlatform;
}
