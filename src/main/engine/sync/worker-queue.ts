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

/** One successful try as `WorkerQueue.completeMany` takes it. */
export interface Completion<J extends ClaimedJob = ClaimedJob> {
  job: J;
  owner: string;
  now: number;
  attempt: AttemptRecord;
  /** The iCIMS note id, when known. */
  noteId?: string | null;
}

/**
 * The queue operations the worker needs, each guarded by the lease: a worker whose lease was taken
 * over (it stalled past SYNC_LEASE_MS and another took the job) changes nothing.
 *
 * `J` is what a claim hands out, and the lease identity every later call is guarded by: for the
 * console's SQLite store a ClaimedJob (owner + job id); for the team's PostgreSQL queue a
 * PgClaimedJob, which also carries the claim's lease token. The worker only ever gives a queue the
 * jobs that queue's own claim returned.
 *
 * Every operation is asynchronous (SQLite answers at once; PostgreSQL over the network) and may
 * reject — with PostgreSQL, DatabaseUnreachableError while the database is away. Each is one
 * transaction, so a rejected operation changed nothing, or (a commit whose answer was lost) all of
 * it; the worker's handling of either is described on SyncWorker. `now` is the engine's clock: the
 * SQLite store keeps its times by it, the PostgreSQL queue ignores it and uses the database clock
 * so every engine of a team agrees.
 */
export interface WorkerQueue<J extends ClaimedJob = ClaimedJob> {
  claim(owner: string, leaseMs: number, now: number, limit: number): Promise<J[]>;
  /**
   * Marks the jobs completed in one transaction, each guarded by its own lease (see
   * CompletionBatcher); answers, per job, whether it still held the lease.
   */
  completeMany(items: readonly Completion<J>[]): Promise<boolean[]>;
  /**
   * Records a failed try (when `attempt` is given) and reschedules, fails, or (verdict `wait`)
   * postpones without spending a retry. `error` null keeps the job's last error.
   */
  fail(
    job: J,
    owner: string,
    now: number,
    verdict: FailureVerdict,
    error: string | null,
    attempt: AttemptRecord | null,
    /** The try may have written the note: read back before the next write. */
    inDoubt?: boolean,
  ): Promise<FailJobResult>;
  /**
   * What the read-back of an in-doubt job must discount: the notes already claimed by other
   * completed jobs of the application (their iCIMS note ids and keys), and how many completed jobs
   * with this text have no note id on record.
   */
  completedTwins(job: J): Promise<CompletedTwins>;
  /** Jobs left `processing` past their lease (a crashed or stalled worker) become pending again, in doubt. */
  releaseExpired(now: number): Promise<number>;
  /**
   * Extends the leases `owner` holds on `jobs` (whose calls are still in flight) to `leaseMs` from
   * now — the engine's now for SQLite, the database's for PostgreSQL. Returns how many were renewed.
   */
  renew(owner: string, jobs: readonly J[], now: number, leaseMs: number): Promise<number>;
  /** When the next pending job becomes due, on the engine's clock (`now` is its present), or null when none is pending. */
  nextDueAt(now: number): Promise<number | null>;
  /**
   * The console was pointed elsewhere while this job's try was in flight: if the try left it
   * pending or failed, it is held like the others of its destination (destination.ts).
   */
  holdIfElsewhere?(job: J, now: number): Promise<void>;
}

/**
 * The worker's queue on the console's SQLite store. better-sqlite3 is synchronous: each operation
 * runs at once and hands back a settled promise (an error becomes its rejection).
 */
export function sqliteWorkerQueue(
  db: Database,
  backoffMs: () => readonly number[],
  destination: () => string | null = () => null,
): WorkerQueue {
  return {
    claim: async (owner, leaseMs, now, limit) =>
      claimJobs(db, { owner, leaseMs, now, limit, destination: destination() }),
    completeMany: async (items) =>
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
    fail: async (job, owner, now, verdict, error, attempt, inDoubt) =>
      failJob(db, {
        jobId: job.id,
        owner,
        now,
        verdict,
        error,
        backoffMs: backoffMs(),
        attempt: attempt ?? undefined,
        inDoubt,
      }),
    completedTwins: async (job) => completedTwins(db, job),
    releaseExpired: async (now) => releaseExpiredLeases(db, now).length,
    renew: async (owner, jobs, now, leaseMs) =>
      renewLeases(
        db,
        owner,
        jobs.map((job) => job.id),
        now + leaseMs,
      ),
    nextDueAt: async () => nextDueAt(db, destination()),
    holdIfElsewhere: async (job, now) => {
      if (job.destination !== destination()) holdJobElsewhere(db, job.id, destination(), now);
    },
  };
}
