import type { AttemptRecord, ClaimedJob, WorkerQueue } from './worker-queue';

/** One completion as `WorkerQueue.completeMany` takes it. */
export interface Completion {
  job: ClaimedJob;
  owner: string;
  now: number;
  attempt: AttemptRecord;
  /** The iCIMS note id, when known. */
  noteId?: string | null;
}

/**
 * The completions of one turn of the event loop and, once their transaction has committed,
 * whether each still held its lease (`applied`, in the order they were added).
 */
export class CompletionBatch {
  readonly items: Completion[] = [];
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

  write(queue: WorkerQueue): void {
    try {
      this.applied = queue.completeMany(this.items);
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
 * Nothing is acknowledged before it is written: a caller learns its answer only after the
 * transaction that holds its completion has committed (or failed, in which case every caller in
 * it sees the error, as they would have from their own transaction). A crash in between leaves
 * the job `processing` under its lease — the same as a crash during the call: the lease expiry
 * marks it in doubt, and its next try reads the note back before writing.
 *
 * One promise per batch, not per job: at tens of thousands of jobs a second, a promise, its
 * executor and resolvers per job cost about as much as the job's share of the transaction.
 */
export class CompletionBatcher {
  private current: CompletionBatch | null = null;

  constructor(private readonly queue: WorkerQueue) {}

  /** Adds a completion to this turn's batch: await `batch.written`, then read `batch.appliedAt(index)`. */
  add(
    job: ClaimedJob,
    owner: string,
    now: number,
    attempt: AttemptRecord,
    noteId: string | null = null,
  ): { batch: CompletionBatch; index: number } {
    let batch = this.current;
    if (batch === null) {
      batch = new CompletionBatch();
      this.current = batch;
      setImmediate(() => this.flush());
    }
    return { batch, index: batch.items.push({ job, owner, now, attempt, noteId }) - 1 };
  }

  /** The same for one completion, as a promise of its answer (a read-back that found the note). */
  async complete(
    job: ClaimedJob,
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
    this.current = null;
    batch?.write(this.queue);
  }
}
