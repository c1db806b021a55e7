import type { Database } from 'better-sqlite3';
import type { JobStatus } from '../../../shared/jobs';
import { perDatabase } from './per-database';
import { JobConflictError, JobNotFoundError } from './queue-errors';

const statements = perDatabase((db) => {
  // A failed job gets a fresh retry budget (attempts 0, initial write state reset) and runs now.
  // A pending job keeps its budget and only stops waiting.
  const retry = db.prepare<[number, number, number]>(
    `UPDATE sync_jobs
        SET attempts = CASE WHEN status = 'failed' THEN 0 ELSE attempts END,
            initial_failed = CASE WHEN status = 'failed' THEN 0 ELSE initial_failed END,
            manual_retries = manual_retries + (status = 'failed'),
            status = 'pending', run_after = ?, updated_at = ?
      WHERE id = ? AND status IN ('failed', 'pending')`,
  );
  const retryAll = db.prepare<[number, number]>(
    `UPDATE sync_jobs
        SET attempts = 0, initial_failed = 0, manual_retries = manual_retries + 1,
            status = 'pending', run_after = ?, updated_at = ?
      WHERE status = 'failed'`,
  );
  const statusOf = db.prepare<[number], JobStatus>('SELECT status FROM sync_jobs WHERE id = ?').pluck();
  return {
    retry: db.transaction((jobId: number, now: number) => {
      if (retry.run(now, now, jobId).changes === 1) return;
      const status = statusOf.get(jobId);
      if (status === undefined) throw new JobNotFoundError(jobId);
      throw new JobConflictError(jobId, status, 'retry');
    }),
    retryAll: db.transaction((now: number) => retryAll.run(now, now).changes),
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
