import type { TeamDatabase } from '../pg-connection';
import { DB_NOW, notifyJobsDue } from './queue-channel';

/**
 * PostgreSQL side of sync/release-circuit-held-jobs.ts. A job that met the open circuit was put
 * back with run_after = the breaker's next probe; its last attempt says `circuit_open`. Jobs
 * waiting for anything else (a backoff delay, a 429) keep their time.
 */
export const PG_RELEASE_CIRCUIT_HELD = `
  UPDATE sync_jobs j SET run_after = ${DB_NOW}, updated_at = ${DB_NOW}
   WHERE j.status = 'pending' AND j.run_after > ${DB_NOW}
     AND (SELECT a.outcome FROM job_attempts a WHERE a.job_id = j.id ORDER BY a.id DESC LIMIT 1) = 'circuit_open'`;

/**
 * "Reset breaker": jobs held back only by the open circuit become due at once, for every engine
 * (woken in the same transaction). Returns how many were released.
 */
export function releaseCircuitHeldJobs(db: TeamDatabase): Promise<number> {
  return db.transaction(async (client) => {
    const { rowCount } = await client.query(PG_RELEASE_CIRCUIT_HELD);
    if (rowCount) await notifyJobsDue(client);
    return rowCount ?? 0;
  });
}
