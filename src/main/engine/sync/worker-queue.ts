import type { Database } from 'better-sqlite3';
import { claimJobs, nextDueAt } from './claim-jobs';
import { holdJobElsewhere } from './destination';
import type { ClaimedJob } from './claim-jobs';
import { completeJob, completeJobs } from './complete-job';
import { failJob } from './fail-job';
import type { FailJobResult, FailureVerdict } from './fail-job';
import type { AttemptRecord } from './record-attempt';
import { releaseExpiredLeases } from './release-leases';
import { renewLeases } from './renew-leases';

export type { ClaimedJob } from './claim-jobs';
export type { AttemptRecord } from './record-attempt';

/**
 * The queue operations the worker needs, each guarded by the lease owner: a worker whose lease
 * was taken over (it stalled past SYNC_LEASE_MS and another took the job) changes nothing.
 */
export interface WorkerQueue {
  claim(owner: string, leaseMs: number, now: number, limit: number): ClaimedJob[];
  complete(job: ClaimedJob, owner: string, now: number, attempt: AttemptRecord): boolean;
  /** `complete` for many jobs in one transaction, each lease-guarded on its own (see CompletionBatcher). */
  completeMany?(items: readonly { job: ClaimedJob; owner: string; now: number; attempt: AttemptRecord }[]): boolean[];
  /** Records a failed try and reschedules, fails, or (verdict `wait`) postpones without spending a retry. */
  fail(
    job: ClaimedJob,
    owner: string,
    now: number,
    verdict: FailureVerdict,
    error: string,
    attempt: AttemptRecord,
  ): FailJobResult;
  /** Jobs left `processing` past their lease (a crashed or stalled worker) become pending again. */
  releaseExpired(now: number): number;
  /** Extends the leases `owner` holds on jobs whose calls are still in flight. */
  renew(owner: string, jobIds: readonly number[], leaseUntil: number): number;
  /** When the next pending job becomes due, or null when none is pending. */
  nextDueAt(): number | null;
  /**
   * The console was pointed elsewhere while this job's try was in flight: if the try left it
   * pending or failed, it is held like the others of its destination (destination.ts).
   */
  holdIfElsewhere?(job: ClaimedJob, now: number): void;
}

/** The worker's queue on the console's SQLite store. */
export function sqliteWorkerQueue(
  db: Database,
  backoffMs: () => readonly number[],
  destination: () => string | null = () => null,
): WorkerQueue {
  return {
    claim: (owner, leaseMs, now, limit) => claimJobs(db, { owner, leaseMs, now, limit, destination: destination() }),
    complete: (job, owner, now, attempt) => completeJob(db, { jobId: job.id, owner, now, attempt }),
    completeMany: (items) =>
      completeJobs(
        db,
        items.map(({ job, owner, now, attempt }) => ({ jobId: job.id, owner, now, attempt })),
      ),
    fail: (job, owner, now, verdict, error, attempt) =>
      failJob(db, { jobId: job.id, owner, now, verdict, error, backoffMs: backoffMs(), attempt }),
    releaseExpired: (now) => releaseExpiredLeases(db, now).length,
    renew: (owner, jobIds, leaseUntil) => renewLeases(db, owner, jobIds, leaseUntil),
    nextDueAt: () => nextDueAt(db, destination()),
    holdIfElsewhere: (job, now) => {
      if (job.destination !== destination()) holdJobElsewhere(db, job.id, destination(), now);
    },
  };
}
