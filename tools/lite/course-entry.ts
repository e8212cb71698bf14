// Entry of cnn-course's browser bundle (course.js): the course package, the TensorFlow.js copy it
// trains with, and what the page needs to start it. Built by tools/lite/bundle.ts, where Node's
// modules are replaced (lib/common/platform-browser.ts; tslab by kernel/tslab-channel.ts).
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import * as course from "../../lib/index";
import { setMnistDigits } from "../../lib/common/platform-browser";
import { addSiteFiles, filesSaved, keepInBrowser, SiteManifest } from "../../lib/common/browser-files";
import { cacheDir } from "../../lib/common/config";
import type { MnistDigitGroup } from "../../lib/common/platform";
import { setDisplayWriter } from "./kernel/tslab-channel";
import { initBrowserEngine } from "./engine";

/** Reads mnist.bin (written by tools/lite/site.ts): counts as 10 uint32, then grey levels x1000 as uint16. */
export async function loadMnist(url: string): Promise<void> {
  const bytes = await (await fetch(url)).arrayBuffer();
  const counts = new Uint32Array(bytes, 0, 10);
  const values = new Uint16Array(bytes, 40);
  const groups: MnistDigitGroup[] = [];
  let at = 0;
  counts.forEach((count, id) => {
    const n = count * 28 * 28;
    groups.push({ id, length: count, raw: Float64Array.from(values.subarray(at, at + n), (v) => v / 1000) });
    at += n;
  });
  setMnistDigits(groups);
}

/**
 * The course's files in the page: the site's (files.json: the X-ray sample, docs/results) and the
 * student's cache and checkpoints, kept in IndexedDB and brought back here.
 */
export async function loadFiles(url: string): Promise<void> {
  addSiteFiles((await (await fetch(url)).json()) as SiteManifest);
  await keepInBrowser(cacheDir());
}

/** "cnn-course" as the notebooks import it in the browser: the package, with the browser's engine choice. */
export const courseModule: { [name: string]: unknown } = { ...course, initEngine: initBrowserEngine };

export { course, tf, setWasmPaths, setDisplayWriter, filesSaved };
/** For test/e2e/lite.test.ts: the X-ray decoding of the page compared with Node's. */
export { loadImages } from "../../lib/pneumonia/data/load-images";
