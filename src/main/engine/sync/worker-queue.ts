import type { Database } from 'better-sqlite3';
import { claimJobs, nextDueAt } from './claim-jobs';
import { holdJobElsewhere } from './destination';
import type { ClaimedJob } from './claim-jobs';
import { completeJobs } from './complete-job';
import { completedTwins } from './completed-twins';
import type { CompletedTwins } from './completed-twins';
import { failJob } from './fail-job';
import type { FailJobResult, FailureVerdict } from './fail-job';
import type { AttemptRecord } from './record-attempt';
import { releaseExpiredLeases } from './release-leases';
import { renewLeases } from './renew-leases';

export type { ClaimedJob } from './claim-jobs';
export type { AttemptRecord } from './record-attempt';
export type { CompletedTwins } from './completed-twins';

/**
 * The queue operations the worker needs, each guarded by the lease owner: a worker whose lease
 * was taken over (it stalled past SYNC_LEASE_MS and another took the job) changes nothing.
 */
export interface WorkerQueue {
  claim(owner: string, leaseMs: number, now: number, limit: number): ClaimedJob[];
  /**
   * Marks the jobs completed in one transaction, each guarded by its own lease (see
   * CompletionBatcher); answers, per job, whether it still held the lease.
   */
  completeMany(
    items: readonly { job: ClaimedJob; owner: string; now: number; attempt: AttemptRecord; noteId?: string | null }[],
  ): boolean[];
  /** Records a failed try and reschedules, fails, or (verdict `wait`) postpones without spending a retry. */
  fail(
    job: ClaimedJob,
    owner: string,
    now: number,
    verdict: FailureVerdict,
    error: string,
    attempt: AttemptRecord,
    /** The try may have written the note: read back before the next write. */
    inDoubt?: boolean,
  ): FailJobResult;
  /**
   * What the read-back of an in-doubt job must discount: the notes already claimed by other
   * completed jobs of the application (their iCIMS note ids and keys), and how many completed jobs
   * with this text have no note id on record.
   */
  completedTwins(job: ClaimedJob): CompletedTwins;
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
    completeMany: (items) =>
      completeJobs(
        db,
        items.map(({ job, owner, now, attempt, noteId }) => ({
          jobId: job.id,
          owner,
          now,
          attempt,
          noteId,
          settlesDoubt: job.inDoubt,
        })),
      ),
    fail: (job, owner, now, verdict, error, attempt, inDoubt) =>
      failJob(db, { jobId: job.id, owner, now, verdict, error, backoffMs: backoffMs(), attempt, inDoubt }),
    completedTwins: (job) => completedTwins(db, job),
    releaseExpired: (now) => releaseExpiredLeases(db, now).length,
    renew: (owner, jobIds, leaseUntil) => renewLeases(db, owner, jobIds, leaseUntil),
    nextDueAt: () => nextDueAt(db, destination()),
    holdIfElsewhere: (job, now) => {
      if (job.destination !== destination()) holdJobElsewhere(db, job.id, destination(), now);
    },
  };
}
