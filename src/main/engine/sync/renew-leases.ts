/**
 * Renew leases, SQLite and PostgreSQL side by side: the heartbeat of a live worker. Only a lease
 * this worker still holds is extended, so one whose job was released and claimed by another
 * meanwhile extends nothing. `updated_at` is left alone: nothing a user sees has changed.
 *
 * What differs: SQLite checks the owner and sets the engine's `until`, one job per statement in
 * one transaction; PostgreSQL checks owner and token (as complete and fail do, so even a restart
 * under the same name extends nothing it lost), renews every lease in one statement, and sets the
 * database's now plus `leaseMs`.
 */
import type { Database } from 'better-sqlite3';
import type { TeamDatabase } from '../team/pg-connection';
import { DB_NOW } from '../team/pg-queue/queue-channel';
import { perDatabase } from './per-database';

const SQLITE_RENEW_LEASE = `UPDATE sync_jobs SET lease_expires_at = ?
      WHERE id = ? AND status = 'processing' AND lease_owner = ?`;

export const PG_RENEW_LEASES = `
  UPDATE sync_jobs j SET lease_expires_at = ${DB_NOW} + $4::bigint
    FROM unnest($2::bigint[], $3::uuid[]) AS held(id, token)
   WHERE j.id = held.id AND j.lease_token = held.token AND j.status = 'processing' AND j.lease_owner = $1`;

/** A job this engine claimed on the team database, with the token of that claim (PgClaimedJob.leaseToken). */
export interface HeldLease {
  jobId: number;
  leaseToken: string;
}

const statements = perDatabase((db) => {
  const renew = db.prepare<[number, number, string]>(SQLITE_RENEW_LEASE);
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
 * Returns how many were renewed.
 */
export function renewLeases(db: Database, owner: string, jobIds: readonly number[], until: number): number {
  if (jobIds.length === 0) return 0;
  return statements(db).renew.immediate(owner, jobIds, until);
}

/** renewLeases on the team database: extends by `leaseMs` from the database's now. Returns how many were renewed. */
export async function pgRenewLeases(
  db: TeamDatabase,
  owner: string,
  leases: readonly HeldLease[],
  leaseMs: number,
): Promise<number> {
  if (leases.length === 0) return 0;
  const rows = await db.query(`${PG_RENEW_LEASES} RETURNING j.id`, [
    owner,
    leases.map((lease) => lease.jobId),
    leases.map((lease) => lease.leaseToken),
    Math.max(0, Math.round(leaseMs)),
  ]);
  return rows.length;
}
