// An all-gather between the replicas of data-parallel training, through shared memory: every
// participating replica writes a row of numbers, waits at a barrier, and reads every row. All
// replicas read the rows in the same order, so whatever they compute from them is identical.
// Used by synchronized BatchNorm (sync-batchnorm.ts) twice per BatchNorm layer and step.
//
// Memory: control Int32 [arrived, generation, aborted, participants], then two banks of
// Float64 rows [replicas][width] used alternately (round parity), so a fast replica may write
// round k+1 while a slow one still reads round k.

const ARRIVED = 0, GENERATION = 1, ABORTED = 2, PARTICIPANTS = 3, CONTROL_INTS = 4;

export interface GatherLayout {
  replicas: number;
  /** Longest row (numbers) a replica may send. */
  width: number;
}

export function gatherBytes(l: GatherLayout): number {
  return 4 * CONTROL_INTS + 8 * 2 * l.replicas * l.width;
}

export class SharedGather {
  private readonly control: Int32Array;
  private readonly rows: Float64Array;
  private round = 0;

  /** `timeoutMs`: how long a replica waits for the others before giving up (a replica that died). */
  constructor(buffer: SharedArrayBuffer, readonly layout: GatherLayout, readonly replica: number, private readonly timeoutMs = 600_000) {
    if (buffer.byteLength < gatherBytes(layout)) throw new Error(`SharedGather: buffer of ${buffer.byteLength} bytes, needs ${gatherBytes(layout)}.`);
    this.control = new Int32Array(buffer, 0, CONTROL_INTS);
    this.rows = new Float64Array(buffer, 4 * CONTROL_INTS, 2 * layout.replicas * layout.width);
  }

  /** Main thread, before a step: how many replicas take part (a short last batch may use fewer). */
  beginStep(participants: number): void {
    Atomics.store(this.control, ARRIVED, 0);
    Atomics.store(this.control, ABORTED, 0);
    Atomics.store(this.control, PARTICIPANTS, participants);
    this.round = 0;
  }

  /** Worker, before its part of a step: rounds restart at 0 in every replica. */
  joinStep(): void {
    this.round = 0;
  }

  get participants(): number {
    return Atomics.load(this.control, PARTICIPANTS);
  }

  /** A replica failed: wake the others so they fail too instead of waiting forever. */
  abort(): void {
    Atomics.store(this.control, ABORTED, 1);
    Atomics.add(this.control, GENERATION, 1);
    Atomics.notify(this.control, GENERATION);
  }

  /** Sends `values` and returns every participant's row, in replica order (row r of replica r). */
  gather(values: ArrayLike<number>): Float64Array[] {
    const { width, replicas } = this.layout;
    if (values.length > width) throw new Error(`SharedGather: ${values.length} números, o máximo é ${width}.`);
    const bank = (this.round++ & 1) * replicas * width;
    this.rows.set(values, bank + this.replica * width);
    this.barrier();
    const n = this.participants;
    return Array.from({ length: n }, (_, r) => this.rows.slice(bank + r * width, bank + r * width + values.length));
  }

  private failIfAborted(): void {
    if (Atomics.load(this.control, ABORTED)) throw new Error(`outra réplica falhou durante o passo (a réplica ${this.replica} parou na BatchNorm sincronizada).`);
  }

  private barrier(): void {
    this.failIfAborted();
    const generation = Atomics.load(this.control, GENERATION);
    if (Atomics.add(this.control, ARRIVED, 1) + 1 === this.participants) {
      Atomics.store(this.control, ARRIVED, 0);
      Atomics.add(this.control, GENERATION, 1);
      Atomics.notify(this.control, GENERATION);
      return;
    }
    const deadline = Date.now() + this.timeoutMs;
    while (Atomics.load(this.control, GENERATION) === generation) {
      if (Date.now() > deadline) {
        this.abort();
        throw new Error(`a réplica ${this.replica} esperou ${Math.round(this.timeoutMs / 1000)} s pelas outras na BatchNorm sincronizada (um worker parou?).`);
      }
      this.failIfAborted();
      Atomics.wait(this.control, GENERATION, generation, 1000);
    }
    this.failIfAborted();
  }
}
