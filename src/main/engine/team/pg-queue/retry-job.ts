import type { TeamDatabase } from '../pg-connection';
import { DB_NOW, notifyJobsDue } from './queue-channel';
import { actOnOneJob } from './single-job-action';

/**
 * PostgreSQL side of sync/retry-job.ts. A failed job gets a fresh retry budget (attempts 0,
 * initial write state reset, one more manual retry) and a pending one only stops waiting; both
 * are due now on the database clock, and listening engines are woken in the same transaction.
 * The SET list is shared with the bulk retry (bulk-job-actions.ts); in an UPDATE every
 * expression reads the row as it was, so `status = 'failed'` is the state before the retry.
 */
export const PG_RETRY_SET = `
  attempts = CASE WHEN status = 'failed' THEN 0 ELSE attempts END,
  initial_failed = CASE WHEN status = 'failed' THEN false ELSE initial_failed END,
  manual_retries = manual_retries + CASE WHEN status = 'failed' THEN 1 ELSE 0 END,
  status = 'pending', run_after = ${DB_NOW}, updated_at = ${DB_NOW}`;

export const PG_RETRY_JOB = `
  UPDATE sync_jobs SET ${PG_RETRY_SET}
   WHERE id = $1 AND status IN ('failed', 'pending')
  RETURNING id`;

export const PG_RETRY_ALL_FAILED = `
  UPDATE sync_jobs SET ${PG_RETRY_SET} WHERE status = 'failed' RETURNING id`;

/**
 * Retry button: a failed job becomes pending with a fresh retry budget, a waiting pending job
 * becomes due; both run now. Other states: JobConflictError; no such job: JobNotFoundError.
 */
export function retryJob(db: TeamDatabase, jobId: number): Promise<void> {
  return actOnOneJob(db, { sql: PG_RETRY_JOB, jobId, action: 'retry', wakes: () => true });
}

/** "Retry all failed": returns how many jobs were put back. */
export function retryAllFailed(db: TeamDatabase): Promise<number> {
  return db.transaction(async (client) => {
    const { rowCount } = await client.query(PG_RETRY_ALL_FAILED);
    if (rowCount) await notifyJobsDue(client);
    return rowCount ?? 0;
  });
}
