import type { TeamDatabase } from '../pg-connection';
import { DB_NOW, notifyJobsDue } from './queue-channel';

/**
 * PostgreSQL side of sync/release-leases.ts. Expired leases are an engine that died (SIGKILL,
 * power, network): any engine may release them, and SKIP LOCKED keeps two engines' sweeps from
 * waiting on each other. The job is pending again, due now, no retry spent, with a `released`
 * line in its history; the label is attemptLabel (retry-schedule.ts) written in SQL. Whether
 * the interrupted call reached iCIMS is unknown: the in-doubt read-back (a column added by the
 * in-doubt work) decides before the next send.
 */
const RELEASED_HISTORY = (why: string): string => `
  INSERT INTO job_attempts (job_id, at, label, outcome, error)
  SELECT id, ${DB_NOW},
         CASE WHEN NOT initial_failed THEN CASE WHEN manual_retries > 0 THEN 'manual retry' ELSE 'initial' END
              ELSE 'retry ' || (attempts + 1) END,
         'released', '${why}'
    FROM released
  RETURNING job_id`;

export const PG_RELEASE_EXPIRED = `
  WITH expired AS (
    SELECT id FROM sync_jobs
     WHERE status = 'processing' AND lease_expires_at <= ${DB_NOW}
     FOR UPDATE SKIP LOCKED),
  released AS (
    UPDATE sync_jobs j
       SET status = 'pending', run_after = ${DB_NOW}, updated_at = ${DB_NOW},
           lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
           -- The call may have reached iCIMS: read the notes back before writing again.
           in_doubt = true
      FROM expired WHERE j.id = expired.id
    RETURNING j.id, j.attempts, j.initial_failed, j.manual_retries)
  ${RELEASED_HISTORY('Lease expired (the engine stopped, crashed or lost the database mid-call); taken up again without spending a retry.')}`;

export const PG_RELEASE_OWNED = `
  WITH released AS (
    UPDATE sync_jobs
       SET status = 'pending', run_after = ${DB_NOW}, updated_at = ${DB_NOW},
           lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
           -- The call may have reached iCIMS: read the notes back before writing again.
           in_doubt = true
     WHERE status = 'processing' AND lease_owner = $1
    RETURNING id, attempts, initial_failed, manual_retries)
  ${RELEASED_HISTORY('Released at shutdown before the call finished; taken up again without spending a retry.')}`;

async function release(db: TeamDatabase, sql: string, values: unknown[]): Promise<number[]> {
  return db.transaction(async (client) => {
    const { rows } = await client.query<{ job_id: string }>(sql, values);
    if (rows.length > 0) await notifyJobsDue(client);
    return rows.map((row) => Number(row.job_id)).sort((a, b) => a - b);
  });
}

/** Crash recovery for the whole team: jobs whose lease ran out become pending, due now. */
export function releaseExpiredLeases(db: TeamDatabase): Promise<number[]> {
  return release(db, PG_RELEASE_EXPIRED, []);
}

/** Graceful shutdown: every job `owner` still holds becomes pending, due now. */
export function releaseOwnedLeases(db: TeamDatabase, owner: string): Promise<number[]> {
  return release(db, PG_RELEASE_OWNED, [owner]);
}
