// The browser's type checker, in a Web Worker (typecheck.js, bundled by tools/lite/bundle.ts):
// tslab's converter over the declaration pack (typecheck/declarations.json, fetched once and kept
// by the browser's HTTP cache). Messages (typecheck-client.ts sends them):
//   { type: "init", url }                   -> { type: "ready", ms } or { type: "failed", message }
//   { type: "check", id, source }            -> { type: "checked", id, errors, declarations, ms }
//   { type: "commit", declarations }         (no answer)
import type * as ts from "typescript";
import { CellTypeChecker, DeclarationPack, memorySystem, TslabTypeScript } from "./typecheck";
import * as tslabTs from "@tslab/typescript-for-tslab";

export type WorkerRequest =
  | { type: "init"; url: string }
  | { type: "check"; id: number; source: string }
  | { type: "commit"; declarations: string };
export type WorkerReply =
  | { type: "ready"; ms: number }
  | { type: "failed"; message: string }
  | { type: "checked"; id: number; errors: string[]; declarations: string; ms: number };

interface WorkerScope { onmessage: ((ev: MessageEvent<WorkerRequest>) => void) | null; postMessage(msg: WorkerReply): void }
const scope = globalThis as unknown as WorkerScope;
const tsl = tslabTs as unknown as TslabTypeScript;
let checker: CellTypeChecker | null = null;
const WARM_UP_CELL = `import * as tf from "@tensorflow/tfjs";\nimport * as course from "cnn-course";\n`;

async function init(url: string): Promise<void> {
  const t0 = performance.now();
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  const pack = (await res.json()) as DeclarationPack;
  // tslab's converter reads ts.sys when loaded: the pack's file system must be there first.
  tsl.setSys(memorySystem(pack) as ts.System);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after ts.sys is set (see above)
  checker = new CellTypeChecker(tsl, pack, () => require("tslab/dist/converter") as typeof import("tslab/dist/converter"));
  // Warm up: the first program with the notebooks' imports (tfjs, cnn-course) parsed, not committed.
  checker.check(WARM_UP_CELL);
  scope.postMessage({ type: "ready", ms: performance.now() - t0 });
}

scope.onmessage = (ev) => {
  const msg = ev.data;
  if (msg.type === "init") {
    init(msg.url).catch((e: unknown) => scope.postMessage({ type: "failed", message: e instanceof Error ? e.message : String(e) }));
  } else if (msg.type === "check") {
    const t0 = performance.now();
    const r = checker!.check(msg.source);
    scope.postMessage({ type: "checked", id: msg.id, errors: r.errors, declarations: r.declarations, ms: performance.now() - t0 });
  } else {
    checker!.commit(msg.declarations);
  }
};
