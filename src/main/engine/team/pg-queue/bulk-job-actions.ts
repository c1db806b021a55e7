import type { TeamDatabase } from '../pg-connection';
import { pgCancel } from './cancel-job';
import { DB_NOW, notifyJobsDue } from './queue-channel';
import { PG_RETRY_SET } from './retry-job';

/**
 * PostgreSQL side of sync/bulk-job-actions.ts: Retry / Cancel on a selection of jobs. Each job
 * follows the single-job rules; a job whose state no longer allows the action (it completed
 * meanwhile, is processing, or is held for another iCIMS) is skipped, and the count says how many
 * moved. A pending job is retried only while it waits (run_after after the database's now).
 */
export const PG_RETRY_JOBS = `
  UPDATE sync_jobs SET ${PG_RETRY_SET}
   WHERE id = ANY($1::bigint[])
     AND (status = 'failed' OR (status = 'pending' AND run_after > ${DB_NOW}))`;

export const PG_CANCEL_JOBS = pgCancel('id = ANY($1::bigint[])');

export function retryJobs(db: TeamDatabase, ids: readonly number[]): Promise<number> {
  if (ids.length === 0) return Promise.resolve(0);
  return db.transaction(async (client) => {
    const { rowCount } = await client.query(PG_RETRY_JOBS, [ids]);
    if (rowCount) await notifyJobsDue(client);
    return rowCount ?? 0;
  });
}

export function cancelJobs(db: TeamDatabase, ids: readonly number[]): Promise<number> {
  if (ids.length === 0) return Promise.resolve(0);
  return db.transaction(async (client) => {
    const { rows } = await client.query<{ was: string }>(PG_CANCEL_JOBS, [ids]);
    if (rows.some((row) => row.was === 'pending')) await notifyJobsDue(client);
    return rows.length;
  });
}
