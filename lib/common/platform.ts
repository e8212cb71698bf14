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
  /** plotly.min.js's source for the inline loader; "" where the page loads plotly itself. */
  plotlySource(): string;
}

/** The platform the course runs on. */
export function platform(): Platform {
  return currentPlatform;
}
