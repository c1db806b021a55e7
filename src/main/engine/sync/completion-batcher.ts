import type { AttemptRecord, ClaimedJob, Completion, WorkerQueue } from './worker-queue';

export type { Completion } from './worker-queue';

/**
 * The completions of one turn of the event loop and, once their transaction has committed,
 * whether each still held its lease (`applied`, in the order they were added).
 */
export class CompletionBatch<J extends ClaimedJob = ClaimedJob> {
  readonly items: Completion<J>[] = [];
  applied: readonly boolean[] = [];
  /** Settles when the batch's transaction has committed (or rejects with its error). */
  readonly written: Promise<void>;
  private settle!: { resolve: () => void; reject: (error: unknown) => void };

  constructor() {
    this.written = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
  }

  /** Whether the completion added at `index` was applied (its lease still held); read after `written`. */
  appliedAt(index: number): boolean {
    return this.applied[index] === true;
  }

  /** Writes the batch; never rejects (its callers learn the outcome from `written`). */
  async write(queue: WorkerQueue<J>): Promise<void> {
    try {
      this.applied = await queue.completeMany(this.items);
    } catch (error) {
      this.settle.reject(error);
      return;
    }
    this.settle.resolve();
  }
}

/**
 * Writes the worker's successful tries in one transaction per turn of the event loop instead of
 * one each. Every job whose call returned in the same turn (a fast client answers a whole batch
 * before the loop comes round) is completed by one `completeMany`; each caller still gets its
 * own lease-guarded answer, so a job whose lease was taken over is reported as such.
 *
 * At most one batch is being written at a time. While one is (a PostgreSQL round trip, say), the
 * completions that come back meanwhile gather in the next batch, which is written as soon as the
 * first has settled: a slower store means bigger batches, not transactions queueing up.
 *
 * Nothing is acknowledged before it is written: a caller learns its answer only after the
 * transaction that holds its completion has committed (or failed, in which case every caller in
 * it sees the error, as they would have from their own transaction). A crash in between leaves
 * the job `processing` under its lease — the same as a crash during the call: the lease expiry
 * marks it in doubt, and its next try reads the note back before writing.
 *
 * One promise per batch, not per job: at tens of thousands of jobs a second, a promise, its
 * executor and resolvers per job cost about as much as the job's share of the transaction.
 */
export class CompletionBatcher<J extends ClaimedJob = ClaimedJob> {
  private current: CompletionBatch<J> | null = null;
  /** A batch's `completeMany` has not settled yet: the next waits for it. */
  private writing = false;
  private readonly flushSoon = (): void => this.flush();
  private readonly writeEnded = (): void => {
    this.writing = false;
    if (this.current !== null) setImmediate(this.flushSoon);
  };

  constructor(private readonly queue: WorkerQueue<J>) {}

  /** Adds a completion to this turn's batch: await `batch.written`, then read `batch.appliedAt(index)`. */
  add(
    job: J,
    owner: string,
    now: number,
    attempt: AttemptRecord,
    noteId: string | null = null,
  ): { batch: CompletionBatch<J>; index: number } {
    let batch = this.current;
    if (batch === null) {
      batch = new CompletionBatch<J>();
      this.current = batch;
      // While a batch is being written, its end schedules this one.
      if (!this.writing) setImmediate(this.flushSoon);
    }
    return { batch, index: batch.items.push({ job, owner, now, attempt, noteId }) - 1 };
  }

  /** The same for one completion, as a promise of its answer (a read-back that found the note). */
  async complete(
    job: J,
    owner: string,
    now: number,
    attempt: AttemptRecord,
    noteId: string | null = null,
  ): Promise<boolean> {
    const { batch, index } = this.add(job, owner, now, attempt, noteId);
    await batch.written;
    return batch.appliedAt(index);
  }

  private flush(): void {
    const batch = this.current;
    if (batch === null || this.writing) return;
    this.current = null;
    this.writing = true;
    void batch.write(this.queue).then(this.writeEnded);
  }
}
