// The worker threads of data-parallel training: start them (each loads the engine and the
// model topology), send each its slice, wait for all, and stop them all on close, on Ctrl-C /
// kernel interrupt (SIGINT), or when one dies (the error names the replica and the cause).
import * as path from "path";
import { Worker } from "worker_threads";
import { startModuleWorker } from "../workers";
import { ReplicaInit, ReplicaReply, ReplicaRequest } from "./replica";

const REPLICA_MODULE = path.join(__dirname, `replica${path.extname(__filename)}`);

interface Pending { resolve: (numTensors: number) => void; reject: (e: Error) => void }

export class ReplicaPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly tensors = new Map<number, number>();
  private failure: Error | null = null;
  private closing = false;
  private busy = false;
  /** Ctrl-C / kernel interrupt arrived: the pool stopped (or stops after the step in flight). */
  interrupted = false;
  private readonly onSigint = (): void => this.sigint();

  /** Starts workers for replicas 1..count, each with `init(r)`; resolves when all are ready. */
  static async start(count: number, init: (replica: number) => ReplicaInit): Promise<ReplicaPool> {
    const pool = new ReplicaPool();
    process.on("SIGINT", pool.onSigint);
    try {
      await Promise.all(Array.from({ length: count }, (_, i) => pool.spawn(i + 1, init(i + 1))));
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  private spawn(replica: number, init: ReplicaInit): Promise<number> {
    const worker = startModuleWorker(REPLICA_MODULE, init, [init.loss.module]);
    worker.unref(); // never keeps the process alive on its own
    this.workers.push(worker);
    const ready = new Promise<number>((resolve, reject) => this.pending.set(replica, { resolve, reject }));
    worker.on("message", (reply: ReplicaReply) => this.settle(replica, reply));
    worker.on("error", (e) => this.fail(new Error(`o worker de treino ${replica} morreu: ${e.message}`)));
    worker.on("exit", (code) => {
      if (!this.closing) this.fail(new Error(`o worker de treino ${replica} terminou inesperadamente (código ${code}).`));
    });
    return ready;
  }

  private settle(replica: number, reply: ReplicaReply): void {
    if (reply.type === "error") {
      this.fail(new Error(`o worker de treino ${replica} falhou: ${reply.message}`)); // rejects every pending wait
      return;
    }
    const p = this.pending.get(replica);
    this.pending.delete(replica);
    if (reply.type === "done") this.tensors.set(replica, reply.numTensors);
    p?.resolve(reply.type === "done" ? reply.numTensors : 0);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
    void this.close();
  }

  private sigint(): void {
    this.interrupted = true;
    process.removeListener("SIGINT", this.onSigint);
    if (!this.busy) void this.close();
    // Nobody else listens (a plain script): behave as Node's default, exit on Ctrl-C.
    if (process.listenerCount("SIGINT") === 0) process.kill(process.pid, "SIGINT");
  }

  /** Sends replica r (1-based) its slice (a step or a prediction); resolves when its block in shared memory is written. */
  runStep(requests: ReadonlyMap<number, ReplicaRequest>): Promise<number[]> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new Error("os workers de treino já foram encerrados" + (this.interrupted ? " (interrupção)." : ".")));
    this.busy = true;
    const waits: Promise<number>[] = [];
    for (const [replica, req] of requests) {
      waits.push(new Promise<number>((resolve, reject) => this.pending.set(replica, { resolve, reject })));
      this.workers[replica - 1].postMessage(req, [req.batch.x.buffer as ArrayBuffer, req.batch.y.buffer as ArrayBuffer]);
    }
    return Promise.all(waits).finally(() => {
      this.busy = false;
      if (this.interrupted) void this.close();
    });
  }

  /** Tensors alive in each worker after its last step (leak checks). */
  workerTensors(): number[] {
    return this.workers.map((_, i) => this.tensors.get(i + 1) ?? 0);
  }

  /** Stops every worker; safe to call more than once. */
  async close(): Promise<void> {
    process.removeListener("SIGINT", this.onSigint);
    if (this.closing) return;
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
