import type { Database } from 'better-sqlite3';
import type { JobStatus } from '../../../shared/jobs';
import { checkOrderOf } from './order-check';
import { perDatabase } from './per-database';
import { JobConflictError, JobNotFoundError } from './queue-errors';

const statements = perDatabase((db) => {
  // A processing job is not cancellable: its call may already be on the wire.
  const cancel = db
    .prepare<[number, number], string>(
      `UPDATE sync_jobs SET status = 'cancelled', updated_at = ?, lease_owner = NULL, lease_expires_at = NULL
        WHERE id = ? AND status IN ('pending', 'failed', 'held')
        RETURNING application_id`,
    )
    .pluck();
  const statusOf = db.prepare<[number], JobStatus>('SELECT status FROM sync_jobs WHERE id = ?').pluck();
  return {
    cancel: db.transaction((jobId: number, now: number) => {
      const applicationId = cancel.get(now, jobId);
      if (applicationId !== undefined) return checkOrderOf(db, [applicationId]);
      const status = statusOf.get(jobId);
      if (status === undefined) throw new JobNotFoundError(jobId);
      throw new JobConflictError(jobId, status, 'cancel');
    }),
  };
});

/** A pending, failed or held job becomes cancelled and is never claimed again. Other states: JobConflictError. */
export function cancelJob(db: Database, jobId: number, now: number): void {
  statements(db).cancel.immediate(jobId, now);
}
