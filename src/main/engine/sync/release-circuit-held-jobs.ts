import type { Database } from 'better-sqlite3';
import { perDatabase } from './per-database';

const statements = perDatabase((db) =>
  // A job that met the open circuit was put back with run_after = the breaker's next probe (up to
  // ICIMS_CIRCUIT_COOLDOWN_MS away). Its last attempt says so. Jobs waiting for anything else
  // (a backoff delay, a 429) keep their time.
  db.prepare<[number, number, number]>(
    `UPDATE sync_jobs SET run_after = ?, updated_at = ?
      WHERE status = 'pending' AND run_after > ?
        AND (SELECT outcome FROM job_attempts a WHERE a.job_id = sync_jobs.id ORDER BY a.id DESC LIMIT 1) = 'circuit_open'`,
  ),
);

/**
 * "Reset breaker": the admin says calls may flow now, so jobs held back only by the open circuit
 * become due at once instead of waiting out the cool-down. Returns how many were released.
 */
export function releaseCircuitHeldJobs(db: Database, now: number): number {
  return statements(db).run(now, now, now).changes;
}
