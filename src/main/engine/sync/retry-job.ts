/**
 * Retry one job, or every failed job, SQLite and PostgreSQL side by side. A failed job gets a
 * fresh retry budget (attempts 0, initial write state reset, one more manual retry) and runs now;
 * a pending job keeps its budget and only stops waiting. In an UPDATE every expression reads the
 * row as it was, so `status = 'failed'` is the state before the retry.
 *
 * What differs: SQLite takes `now` from the engine, PostgreSQL uses the database clock (DB_NOW) so
 * every engine of the team agrees; booleans are 0/1 in SQLite. After a retry SQLite re-checks the
 * order of the application's open jobs (order-check.ts), PostgreSQL wakes the listening engines in
 * the same transaction (NOTIFY). The PostgreSQL SET list is shared with the bulk retry and the
 * failure-group retry (bulk-job-actions.ts, failure-groups.ts).
 */
import type { Database } from 'better-sqlite3';
import type { JobStatus } from '../../../shared/jobs';
import type { TeamDatabase } from '../team/pg-connection';
import { DB_NOW, notifyJobsDue } from '../team/pg-queue/queue-channel';
import { actOnOneJob } from '../team/pg-queue/single-job-action';
import { SQLITE_STATUS_OF } from './job-row';
import { checkOrderOf } from './order-check';
import { perDatabase } from './per-database';
import { JobConflictError, JobNotFoundError } from './queue-errors';

export const PG_RETRY_SET = `
  attempts = CASE WHEN status = 'failed' THEN 0 ELSE attempts END,
  initial_failed = CASE WHEN status = 'failed' THEN false ELSE initial_failed END,
  manual_retries = manual_retries + CASE WHEN status = 'failed' THEN 1 ELSE 0 END,
  status = 'pending', run_after = ${DB_NOW}, updated_at = ${DB_NOW}`;

const SQLITE_RETRY_JOB = `UPDATE sync_jobs
        SET attempts = CASE WHEN status = 'failed' THEN 0 ELSE attempts END,
            initial_failed = CASE WHEN status = 'failed' THEN 0 ELSE initial_failed END,
            manual_retries = manual_retries + (status = 'failed'),
            status = 'pending', run_after = ?, updated_at = ?
      WHERE id = ? AND status IN ('failed', 'pending')
      RETURNING application_id`;

export const PG_RETRY_JOB = `
  UPDATE sync_jobs SET ${PG_RETRY_SET}
   WHERE id = $1 AND status IN ('failed', 'pending')
  RETURNING id`;

const SQLITE_RETRY_ALL_FAILED = `UPDATE sync_jobs
        SET attempts = 0, initial_failed = 0, manual_retries = manual_retries + 1,
            status = 'pending', run_after = ?, updated_at = ?
      WHERE status = 'failed'
      RETURNING application_id`;

export const PG_RETRY_ALL_FAILED = `
  UPDATE sync_jobs SET ${PG_RETRY_SET} WHERE status = 'failed' RETURNING id`;

const statements = perDatabase((db) => {
  const retry = db.prepare<[number, number, number], string>(SQLITE_RETRY_JOB).pluck();
  const retryAll = db.prepare<[number, number], string>(SQLITE_RETRY_ALL_FAILED).pluck();
  const statusOf = db.prepare<[number], JobStatus>(SQLITE_STATUS_OF).pluck();
  return {
    retry: db.transaction((jobId: number, now: number) => {
      const applicationId = retry.get(now, now, jobId);
      if (applicationId !== undefined) return checkOrderOf(db, [applicationId]);
      const status = statusOf.get(jobId);
      if (status === undefined) throw new JobNotFoundError(jobId);
      throw new JobConflictError(jobId, status, 'retry');
    }),
    retryAll: db.transaction((now: number) => {
      const applicationIds = retryAll.all(now, now);
      checkOrderOf(db, applicationIds);
      return applicationIds.length;
    }),
  };
});

/**
 * Retry button / `POST /api/jobs/:id/retry`: a failed job becomes pending with a fresh retry
 * budget, a waiting pending job becomes due; both run now. Other states: JobConflictError; no such
 * job: JobNotFoundError.
 */
export function retryJob(db: Database, jobId: number, now: number): void {
  statements(db).retry.immediate(jobId, now);
}

/** retryJob on the team database: due now on the database clock, listening engines woken. */
export function pgRetryJob(db: TeamDatabase, jobId: number): Promise<void> {
  return actOnOneJob(db, { sql: PG_RETRY_JOB, jobId, action: 'retry', wakes: () => true });
}

/** "Retry all failed": returns how many jobs were put back. */
export function retryAllFailed(db: Database, now: number): number {
  return statements(db).retryAll.immediate(now);
}

/** retryAllFailed on the team database. */
export function pgRetryAllFailed(db: TeamDatabase): Promise<number> {
  return db.transaction(async (client) => {
    const { rowCount } = await client.query(PG_RETRY_ALL_FAILED);
    if (rowCount) await notifyJobsDue(client);
    return rowCount ?? 0;
  });
}
