/**
 * Retry / Cancel on a selection of jobs (the Jobs screen's row selection, or everything matching
 * a filter), SQLite and PostgreSQL side by side. Each job follows the single-job rules
 * (retry-job.ts, cancel-job.ts); a job whose state no longer allows the action (it completed
 * meanwhile, is processing, or is held for another iCIMS and cannot be retried) is skipped, and
 * the count says how many moved. A pending job is retried only while it waits (run_after after now).
 *
 * What differs: SQLite takes `now` from the engine and the ids as a JSON array (json_each);
 * PostgreSQL uses the database clock and a bigint[] parameter, and reuses the single-job SET list
 * and cancel statement. SQLite re-checks the order of the touched applications' open jobs
 * (order-check.ts); PostgreSQL wakes the listening engines in the same transaction.
 */
import type { Database } from 'better-sqlite3';
import type { TeamDatabase } from '../team/pg-connection';
import { DB_NOW, notifyJobsDue } from '../team/pg-queue/queue-channel';
import { pgCancel } from './cancel-job';
import { checkOrderOf } from './order-check';
import { perDatabase } from './per-database';
import { PG_RETRY_SET } from './retry-job';

const SQLITE_RETRY_JOBS = `UPDATE sync_jobs
        SET attempts = CASE WHEN status = 'failed' THEN 0 ELSE attempts END,
            initial_failed = CASE WHEN status = 'failed' THEN 0 ELSE initial_failed END,
            manual_retries = manual_retries + (status = 'failed'),
            status = 'pending', run_after = ?, updated_at = ?
      WHERE id IN (SELECT value FROM json_each(?))
        AND (status = 'failed' OR (status = 'pending' AND run_after > ?))
      RETURNING application_id`;

export const PG_RETRY_JOBS = `
  UPDATE sync_jobs SET ${PG_RETRY_SET}
   WHERE id = ANY($1::bigint[])
     AND (status = 'failed' OR (status = 'pending' AND run_after > ${DB_NOW}))`;

const SQLITE_CANCEL_JOBS = `UPDATE sync_jobs SET status = 'cancelled', updated_at = ?, lease_owner = NULL, lease_expires_at = NULL
      WHERE id IN (SELECT value FROM json_each(?)) AND status IN ('pending', 'failed', 'held')
      RETURNING application_id`;

export const PG_CANCEL_JOBS = pgCancel('id = ANY($1::bigint[])');

const statements = perDatabase((db) => ({
  retry: db.prepare<[number, number, string, number], string>(SQLITE_RETRY_JOBS).pluck(),
  cancel: db.prepare<[number, string], string>(SQLITE_CANCEL_JOBS).pluck(),
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

export function pgRetryJobs(db: TeamDatabase, ids: readonly number[]): Promise<number> {
  if (ids.length === 0) return Promise.resolve(0);
  return db.transaction(async (client) => {
    const { rowCount } = await client.query(PG_RETRY_JOBS, [ids]);
    if (rowCount) await notifyJobsDue(client);
    return rowCount ?? 0;
  });
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

export function pgCancelJobs(db: TeamDatabase, ids: readonly number[]): Promise<number> {
  if (ids.length === 0) return Promise.resolve(0);
  return db.transaction(async (client) => {
    const { rows } = await client.query<{ was: string }>(PG_CANCEL_JOBS, [ids]);
    if (rows.some((row) => row.was === 'pending')) await notifyJobsDue(client);
    return rows.length;
  });
}
