import { pgClaimJobs, pgMsUntilNextDue } from '../sync/claim-jobs';
import type { PgClaimedJob } from '../sync/claim-jobs';
import { pgCompleteJobs } from '../sync/complete-job';
import { pgCompletedTwins } from '../sync/completed-twins';
import { pgHoldJobElsewhere } from '../sync/destination';
import { pgFailJob } from '../sync/fail-job';
import { pgReleaseExpiredLeases } from '../sync/release-leases';
import { pgRenewLeases } from '../sync/renew-leases';
import type { WorkerQueue } from '../sync/worker-queue';
import type { TeamDatabase } from './pg-connection';

export interface PgWorkerQueueOptions {
  /** SYNC_BACKOFF_MS, as now in effect. */
  backoffMs: () => readonly number[];
  /** The iCIMS this engine points at (sync/destination.ts): only its jobs are claimed. */
  destination?: () => string | null;
}

/**
 * The worker's queue on the team's PostgreSQL database (the `pg…` sides of sync/*): the same WorkerQueue
 * SyncWorker drives over the console's SQLite store, with the same lease rules, so one worker
 * class serves both. The differences stay in here:
 *
 * - The lease is owner + token. A claim hands out PgClaimedJobs carrying the token of that claim,
 *   and completing, failing and renewing are guarded by both, so an engine restarted under the
 *   same owner still cannot touch a job it lost to another engine meanwhile.
 * - Time is the database's: leases, due times and backoff delays are set from `team_now_ms()`, so
 *   every engine of the team agrees whatever its own clock says. The `now` the worker passes is
 *   ignored, except to turn the database's "next job due in n ms" into a time on its clock.
 * - Every operation is a round trip and may reject with DatabaseUnreachableError while the
 *   database is away; SyncWorker backs off, and a try whose outcome cannot be written is left to
 *   its lease (see SyncWorker).
 * - A batch of completions is one statement (sync/complete-job.ts's pgCompleteJobs), each job guarded by its own lease.
 */
export function pgWorkerQueue(db: TeamDatabase, options: PgWorkerQueueOptions): WorkerQueue<PgClaimedJob> {
  const destination = options.destination ?? (() => null);
  return {
    claim: (owner, leaseMs, _now, limit) => pgClaimJobs(db, { owner, leaseMs, limit, destination: destination() }),
    completeMany: (items) =>
      pgCompleteJobs(
        db,
        items.map(({ job, owner, attempt, noteId }) => ({
          jobId: job.id,
          owner,
          leaseToken: job.leaseToken,
          attempt,
          noteId: noteId ?? null,
          settlesDoubt: job.inDoubt,
        })),
      ),
    fail: (job, owner, _now, verdict, error, attempt, inDoubt) =>
      pgFailJob(db, {
        jobId: job.id,
        owner,
        leaseToken: job.leaseToken,
        verdict,
        error,
        backoffMs: options.backoffMs(),
        attempt: attempt ?? undefined,
        inDoubt: inDoubt === true,
      }),
    completedTwins: (job) => pgCompletedTwins(db, job),
    releaseExpired: async () => (await pgReleaseExpiredLeases(db)).length,
    renew: (owner, jobs, _now, leaseMs) =>
      pgRenewLeases(
        db,
        owner,
        jobs.map((job) => ({ jobId: job.id, leaseToken: job.leaseToken })),
        leaseMs,
      ),
    nextDueAt: async (now) => {
      const wait = await pgMsUntilNextDue(db, destination());
      return wait === null ? null : now + wait;
    },
    holdIfElsewhere: async (job) => {
      const current = destination();
      if (job.destination !== current) await pgHoldJobElsewhere(db, job.id, current);
    },
  };
}
