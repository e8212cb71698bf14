// Entry of cnn-course's browser bundle (course.js): the course package, the TensorFlow.js copy it
// trains with, and what the page needs to start it. Built by tools/lite/bundle.ts, where Node's
// modules are replaced (lib/common/platform-browser.ts; tslab by kernel/tslab-channel.ts).
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import * as course from "../../lib/index";
import { setMnistDigits } from "../../lib/common/platform-browser";
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

/** "cnn-course" as the notebooks import it in the browser: the package, with the browser's engine choice. */
export const courseModule: { [name: string]: unknown } = { ...course, initEngine: initBrowserEngine };

export { course, tf, setWasmPaths, setDisplayWriter };
