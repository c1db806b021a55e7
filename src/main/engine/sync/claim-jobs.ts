import type { Database } from 'better-sqlite3';
import { jobColumns, withInitialFailed } from './job-row';
import type { JobField, JobRow, WithInitialFailed } from './job-row';
import { perDatabase } from './per-database';

export interface ClaimJobsInput {
  /** Identifies this worker run; must be unique per process run (e.g. host:pid:random). */
  owner: string;
  leaseMs: number;
  now: number;
  limit: number;
}

/** What a worker needs to write a claimed job: a payload it never reads is not fetched. */
const CLAIMED_FIELDS = [
  'id',
  'eventId',
  'type',
  'applicationId',
  'noteText',
  'idempotencyKey',
  'attempts',
  'maxAttempts',
  'initialFailed',
  'manualRetries',
  'runAfter',
  'leaseExpiresAt',
] as const satisfies readonly JobField[];

type ClaimedRow = Pick<JobRow, (typeof CLAIMED_FIELDS)[number]> & { leaseExpiresAt: number };

/** A job leased to a worker. Times are epoch ms. */
export type ClaimedJob = WithInitialFailed<ClaimedRow>;

const statements = perDatabase((db) => {
  // One statement picks and leases the batch, so two workers (or two processes) can never take
  // the same job: the immediate transaction holds the write lock from the SELECT to the UPDATE.
  const claim = db.prepare<[string, number, number, number, number], ClaimedRow>(
    `UPDATE sync_jobs
        SET status = 'processing', lease_owner = ?, lease_expires_at = ?, updated_at = ?
      WHERE id IN (SELECT id FROM sync_jobs INDEXED BY sync_jobs_due
                    WHERE status = 'pending' AND run_after <= ?
                    ORDER BY run_after, id
                    LIMIT ?)
      RETURNING ${jobColumns(CLAIMED_FIELDS)}`,
  );
  const nextDue = db
    .prepare<[], number | null>(
      "SELECT min(run_after) FROM sync_jobs INDEXED BY sync_jobs_due WHERE status = 'pending'",
    )
    .pluck();
  return {
    claim: db.transaction((input: ClaimJobsInput) =>
      claim.all(input.owner, input.now + input.leaseMs, input.now, input.now, input.limit),
    ),
    nextDue,
  };
});

/** Leases up to `limit` due pending jobs to `owner`, oldest due first. */
export function claimJobs(db: Database, input: ClaimJobsInput): ClaimedJob[] {
  if (input.limit <= 0) return [];
  const rows = statements(db).claim.immediate(input);
  // RETURNING gives no order guarantee; the worker expects due order.
  return rows.map(withInitialFailed).sort((a, b) => a.runAfter - b.runAfter || a.id - b.id);
}

/** When the next pending job is due (epoch ms; may be in the past), or null when none is pending. */
export function nextDueAt(db: Database): number | null {
  return statements(db).nextDue.get() ?? null;
}
