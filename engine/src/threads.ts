// How many threads training uses: one per core by default (data-parallel replicas, see
// parallel/trainer.ts), CNN_COURSE_THREADS to choose, and a quick
// check that worker threads can start at all on this machine.
import * as os from "os";
import { Worker } from "worker_threads";

export interface ThreadPlan {
  /** Threads training will use (1 = no workers). */
  threads: number;
  /** Why, in Portuguese, for initEngine()'s line. */
  reason: string;
}

/** Cores this process may use (os.availableParallelism where Node has it). */
export function coreCount(): number {
  const avail = (os as { availableParallelism?: () => number }).availableParallelism;
  return Math.max(1, avail ? avail() : os.cpus().length);
}

/** CNN_COURSE_THREADS as a positive integer, undefined when unset; a clear error when malformed. */
export function threadsFromEnv(): number | undefined {
  const raw = process.env.CNN_COURSE_THREADS?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new Error(`CNN_COURSE_THREADS='${raw}' inválido: use um inteiro de 1 a 64 (ex.: 1 para um só núcleo).`);
  }
  return n;
}

/** Starts a trivial worker and waits for its hello: why not, when worker threads cannot start here. */
export async function probeWorkers(timeoutMs = 20000): Promise<string | null> {
  if (typeof SharedArrayBuffer !== "function") return "SharedArrayBuffer indisponível";
  let worker: Worker | null = null;
  try {
    worker = new Worker("require('worker_threads').parentPort.postMessage('ok')", { eval: true });
    const w = worker;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`sem resposta em ${timeoutMs / 1000} s`)), timeoutMs);
      w.once("message", () => { clearTimeout(timer); resolve(); });
      w.once("error", (e) => { clearTimeout(timer); reject(e); });
    });
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    await worker?.terminate();
  }
}

let probed: Promise<string | null> | null = null;

/**
 * Threads for training with `backend`: CNN_COURSE_THREADS, else one per core (wasm, cpu) or 1
 * (tensorflow: native TensorFlow already runs each op on every core). Falls back to 1, saying
 * why, when worker threads cannot start.
 */
export async function planThreads(backend: string, requested = threadsFromEnv()): Promise<ThreadPlan> {
  const cores = coreCount();
  if (requested == null && backend === "tensorflow") {
    return { threads: 1, reason: "1 thread de treino (o TensorFlow nativo já usa todos os núcleos em cada operação)" };
  }
  const wanted = requested ?? cores;
  const source = requested == null ? `um por núcleo; ${cores} núcleo(s)` : "CNN_COURSE_THREADS";
  if (wanted === 1) return { threads: 1, reason: `1 thread de treino (${source})` };
  probed ??= probeWorkers();
  const why = await probed;
  if (why != null) return { threads: 1, reason: `1 thread de treino: os workers não iniciaram (${why})` };
  return { threads: wanted, reason: `${wanted} threads de treino em paralelo (${source})` };
}
