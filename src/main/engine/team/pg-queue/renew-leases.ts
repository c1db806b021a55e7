import type { TeamDatabase } from '../pg-connection';
import { DB_NOW } from './queue-channel';

/**
 * PostgreSQL side of sync/renew-leases.ts: the heartbeat of a live engine. Only a lease this
 * engine still holds is extended — owner and token, as complete and fail check — so an engine
 * whose job was released and claimed by another meanwhile extends nothing, even under the same
 * name after a restart. The new expiry is the database's now plus `leaseMs`. `updated_at` is left
 * alone: nothing a user sees has changed.
 */
export const PG_RENEW_LEASES = `
  UPDATE sync_jobs j SET lease_expires_at = ${DB_NOW} + $4::bigint
    FROM unnest($2::bigint[], $3::uuid[]) AS held(id, token)
   WHERE j.id = held.id AND j.lease_token = held.token AND j.status = 'processing' AND j.lease_owner = $1`;

/** A job this engine claimed, with the token of that claim (PgClaimedJob.leaseToken). */
export interface HeldLease {
  jobId: number;
  leaseToken: string;
}

/** Extends the given leases `owner` still holds by `leaseMs` from now. Returns how many were renewed. */
export async function renewLeases(
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
