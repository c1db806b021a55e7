import type { Database } from 'better-sqlite3';
import type { JobStatus } from '../../../shared/jobs';
import { checkOrderOf } from './order-check';
import { perDatabase } from './per-database';
import { JobConflictError, JobNotFoundError } from './queue-errors';

const statements = perDatabase((db) => {
  // A failed job gets a fresh retry budget (attempts 0, initial write state reset) and runs now.
  // A pending job keeps its budget and only stops waiting.
  const retry = db
    .prepare<[number, number, number], string>(
      `UPDATE sync_jobs
        SET attempts = CASE WHEN status = 'failed' THEN 0 ELSE attempts END,
            initial_failed = CASE WHEN status = 'failed' THEN 0 ELSE initial_failed END,
            manual_retries = manual_retries + (status = 'failed'),
            status = 'pending', run_after = ?, updated_at = ?
      WHERE id = ? AND status IN ('failed', 'pending')
      RETURNING application_id`,
    )
    .pluck();
  const retryAll = db
    .prepare<[number, number], string>(
      `UPDATE sync_jobs
        SET attempts = 0, initial_failed = 0, manual_retries = manual_retries + 1,
            status = 'pending', run_after = ?, updated_at = ?
      WHERE status = 'failed'
      RETURNING application_id`,
    )
    .pluck();
  const statusOf = db.prepare<[number], JobStatus>('SELECT status FROM sync_jobs WHERE id = ?').pluck();
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
 * budget, a waiting pending job becomes due; both run now. Other states: JobConflictError.
 */
export function retryJob(db: Database, jobId: number, now: number): void {
  statements(db).retry.immediate(jobId, now);
}

/** "Retry all failed": returns how many jobs were put back. */
export function retryAllFailed(db: Database, now: number): number {
  return statements(db).retryAll.immediate(now);
}
