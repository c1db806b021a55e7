import type { Database } from 'better-sqlite3';
import { checkOrderOf } from './order-check';
import { perDatabase } from './per-database';

/**
 * Retry / Cancel on a selection of jobs (the Jobs screen's row selection, or everything matching
 * a filter). Each job follows the single-job rules; a job whose state no longer allows the action
 * (it completed meanwhile, or is held for another iCIMS and cannot be retried) is skipped, and the
 * count says how many moved.
 */
const statements = perDatabase((db) => ({
  retry: db
    .prepare<[number, number, string, number], string>(
      `UPDATE sync_jobs
        SET attempts = CASE WHEN status = 'failed' THEN 0 ELSE attempts END,
            initial_failed = CASE WHEN status = 'failed' THEN 0 ELSE initial_failed END,
            manual_retries = manual_retries + (status = 'failed'),
            status = 'pending', run_after = ?, updated_at = ?
      WHERE id IN (SELECT value FROM json_each(?))
        AND (status = 'failed' OR (status = 'pending' AND run_after > ?))
      RETURNING application_id`,
    )
    .pluck(),
  cancel: db
    .prepare<[number, string], string>(
      `UPDATE sync_jobs SET status = 'cancelled', updated_at = ?, lease_owner = NULL, lease_expires_at = NULL
      WHERE id IN (SELECT value FROM json_each(?)) AND status IN ('pending', 'failed', 'held')
      RETURNING application_id`,
    )
    .pluck(),
}));

export function retryJobs(db: Database, ids: readonly number[], now: number): number {
  return db
    .transaction(() => {
      const applicationIds = statements(db).retry.all(now, now, JSON.stringify(ids), now);
      checkOrderOf(db, applicationIds);
      return applicationIds.length;
    })
    .immediate();
}

export function cancelJobs(db: Database, ids: readonly number[], now: number): number {
  return db
    .transaction(() => {
      const applicationIds = statements(db).cancel.all(now, JSON.stringify(ids));
      checkOrderOf(db, applicationIds);
      return applicationIds.length;
    })
    .immediate();
}
