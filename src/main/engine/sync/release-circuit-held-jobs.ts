/**
 * "Reset breaker", SQLite and PostgreSQL side by side: a job that met the open circuit was put back
 * with run_after = the breaker's next probe (up to ICIMS_CIRCUIT_COOLDOWN_MS away), and its last
 * attempt says `circuit_open`; such jobs become due at once. Jobs waiting for anything else (a
 * backoff delay, a 429) keep their time.
 *
 * What differs: SQLite takes `now` from the engine; PostgreSQL uses the database clock and wakes
 * every engine in the same transaction.
 */
import type { Database } from 'better-sqlite3';
import type { TeamDatabase } from '../team/pg-connection';
import { DB_NOW, notifyJobsDue } from '../team/pg-queue/queue-channel';
import { perDatabase } from './per-database';

const SQLITE_RELEASE_CIRCUIT_HELD = `UPDATE sync_jobs SET run_after = ?, updated_at = ?
      WHERE status = 'pending' AND run_after > ?
        AND (SELECT outcome FROM job_attempts a WHERE a.job_id = sync_jobs.id ORDER BY a.id DESC LIMIT 1) = 'circuit_open'`;

export const PG_RELEASE_CIRCUIT_HELD = `
  UPDATE sync_jobs j SET run_after = ${DB_NOW}, updated_at = ${DB_NOW}
   WHERE j.status = 'pending' AND j.run_after > ${DB_NOW}
     AND (SELECT a.outcome FROM job_attempts a WHERE a.job_id = j.id ORDER BY a.id DESC LIMIT 1) = 'circuit_open'`;

const statements = perDatabase((db) => db.prepare<[number, number, number]>(SQLITE_RELEASE_CIRCUIT_HELD));

/**
 * "Reset breaker": the admin says calls may flow now, so jobs held back only by the open circuit
 * become due at once instead of waiting out the cool-down. Returns how many were released.
 */
export function releaseCircuitHeldJobs(db: Database, now: number): number {
  return statements(db).run(now, now, now).changes;
}

/** releaseCircuitHeldJobs on the team database, for every engine (woken in the same transaction). */
export function pgReleaseCircuitHeldJobs(db: TeamDatabase): Promise<number> {
  return db.transaction(async (client) => {
    const { rowCount } = await client.query(PG_RELEASE_CIRCUIT_HELD);
    if (rowCount) await notifyJobsDue(client);
    return rowCount ?? 0;
  });
}
