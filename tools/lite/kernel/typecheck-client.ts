// The page's side of the type checker worker (typecheck-worker.ts): started with the kernel, so
// that the declarations load and tslab's converter builds its first program while the course
// loads; each cell is then checked in the worker before it runs.
import type { CellCheck } from "./typecheck";
import type { WorkerReply, WorkerRequest } from "./typecheck-worker";

/** What the kernel needs of a type checker (kernel.ts). */
export interface TypeChecker {
  check(source: string): Promise<CellCheck>;
  commit(declarations: string): void;
}

export class WorkerTypeChecker implements TypeChecker {
  private readonly worker: Worker;
  private readonly ready: Promise<number>;
  private readonly pending = new Map<number, (r: CellCheck) => void>();
  private next = 0;
  /** Milliseconds of each check in the worker (the first includes the program's first build). */
  readonly checkMs: number[] = [];

  constructor(scriptUrl: string, declarationsUrl: string) {
    this.worker = new Worker(scriptUrl);
    this.ready = new Promise((resolve, reject) => {
      this.worker.onmessage = (ev: MessageEvent<WorkerReply>): void => {
        const msg = ev.data;
        if (msg.type === "ready") resolve(msg.ms);
        else if (msg.type === "failed") reject(new Error(`o verificador de tipos não iniciou: ${msg.message}`));
        else {
          this.checkMs.push(msg.ms);
          this.pending.get(msg.id)?.({ errors: msg.errors, declarations: msg.declarations });
          this.pending.delete(msg.id);
        }
      };
      this.worker.onerror = (ev): void => reject(new Error(`o verificador de tipos falhou: ${ev.message}`));
    });
    this.post({ type: "init", url: declarationsUrl });
  }

  /** Milliseconds from start to a checker ready (declarations fetched, first program built). */
  whenReady(): Promise<number> {
    return this.ready;
  }

  async check(source: string): Promise<CellCheck> {
    await this.ready;
    const id = this.next++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.post({ type: "check", id, source });
    });
  }

  commit(declarations: string): void {
    this.post({ type: "commit", declarations });
  }

  private post(msg: WorkerRequest): void {
    this.worker.postMessage(msg);
  }
}
