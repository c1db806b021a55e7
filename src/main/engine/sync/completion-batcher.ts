import type { AttemptRecord, ClaimedJob, WorkerQueue } from './worker-queue';

interface Waiting {
  job: ClaimedJob;
  owner: string;
  now: number;
  attempt: AttemptRecord;
  resolve: (applied: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Writes the worker's successful tries in one transaction per turn of the event loop instead of
 * one each. Every job whose call returned in the same turn (a fast client answers a whole batch
 * before the loop comes round) is completed by one `completeMany`; each caller still gets its
 * own lease-guarded answer, so a job whose lease was taken over is reported as such.
 *
 * Nothing is acknowledged before it is written: a caller's promise settles only after the
 * transaction that holds its completion has committed (or failed, in which case every caller in
 * it sees the error, as they would have from their own transaction). A crash in between leaves
 * the job `processing` under its lease — the same as a crash during the call, which the
 * idempotency key already makes safe.
 */
export class CompletionBatcher {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(private readonly queue: WorkerQueue) {}

  complete(job: ClaimedJob, owner: string, now: number, attempt: AttemptRecord): Promise<boolean> {
    if (!this.queue.completeMany) return Promise.resolve(this.queue.complete(job, owner, now, attempt));
    return new Promise<boolean>((resolve, reject) => {
      this.waiting.push({ job, owner, now, attempt, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    let applied: boolean[];
    try {
      applied = this.queue.completeMany!(batch.map(({ job, owner, now, attempt }) => ({ job, owner, now, attempt })));
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => item.resolve(applied[i] ?? false));
  }
}
