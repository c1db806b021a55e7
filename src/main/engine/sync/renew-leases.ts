import type { Database } from 'better-sqlite3';
import { perDatabase } from './per-database';

const statements = perDatabase((db) => {
  const renew = db.prepare<[number, number, string]>(
    `UPDATE sync_jobs SET lease_expires_at = ?
      WHERE id = ? AND status = 'processing' AND lease_owner = ?`,
  );
  return {
    renew: db.transaction((owner: string, jobIds: readonly number[], until: number) =>
      jobIds.reduce((renewed, id) => renewed + renew.run(until, id, owner).changes, 0),
    ),
  };
});

/**
 * The heartbeat of a live worker: extends the leases `owner` still holds on the given jobs (the
 * ones its calls are in flight for) to `until`. A try may outlast SYNC_LEASE_MS — in-request
 * retries with timeouts plus waited-out 429s can take minutes — and without this the worker's
 * own lease sweep would hand the job out again while its first call is still on the wire. Only a
 * worker that stopped renewing (crashed, or stalled past its lease) loses its jobs.
 * `updated_at` is left alone: nothing a user sees has changed. Returns how many were renewed.
 */
export function renewLeases(db: Database, owner: string, jobIds: readonly number[], until: number): number {
  if (jobIds.length === 0) return 0;
  return statements(db).renew.immediate(owner, jobIds, until);
}
