// Starting a worker thread on one of the course's own modules. Under tsx (tests, scripts,
// tslab's ts-node-like loader) the module is .ts and the worker must load tsx first; compiled
// (lib/dist) it is plain .js. Worker only accepts .js paths, hence the small eval'd bootstrap.
import * as path from "path";
import { Worker } from "worker_threads";

/**
 * The code a worker evaluates to load `modulePath` (its top level then checks workerData.role).
 * `alsoLoads`: modules the worker will require later (a loss); any .ts among them also needs tsx.
 */
export function workerBootstrap(modulePath: string, alsoLoads: readonly string[] = []): string {
  const lines: string[] = [];
  if ([modulePath, ...alsoLoads].some((m) => path.extname(m) === ".ts")) lines.push(`require(${JSON.stringify(require.resolve("tsx/cjs"))});`);
  lines.push(`require(${JSON.stringify(modulePath)});`);
  return lines.join("\n");
}

/** A worker running `modulePath` (pass the module's own __filename) with `workerData`. */
export function startModuleWorker(modulePath: string, workerData: unknown, alsoLoads: readonly string[] = []): Worker {
  return new Worker(workerBootstrap(modulePath, alsoLoads), { eval: true, workerData });
}
