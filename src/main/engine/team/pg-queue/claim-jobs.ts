import { randomUUID } from 'node:crypto';
import type { EventType } from '../../../../shared/scheduling-event';
import type { ClaimedJob } from '../../sync/claim-jobs';
import type { TeamDatabase } from '../pg-connection';
import { DB_NOW } from './queue-channel';

/**
 * PostgreSQL side of sync/claim-jobs.ts. Many engines claim at once: `FOR UPDATE SKIP LOCKED`
 * lets each take the due rows nobody else is taking, without waiting on each other and without
 * two ever holding one job. The lease is owner + token: the token is new for every claim, so a
 * restarted engine under the same name (same owner) still cannot complete a job it claimed in
 * its previous life and lost to another engine meanwhile.
 *
 * Lease expiry is database time; an engine converts the returned `leaseExpiresAt` into a duration
 * before comparing it with its own clock.
 */
/**
 * An application's notes go out in event order: a job waits while an earlier job of its
 * application (by the event's time, then id) is still pending or in flight, as in SQLite. Under
 * SKIP LOCKED this holds too: an earlier job another engine is claiming right now is still
 * `pending` in this statement's snapshot, so the later one waits for it either way.
 */
const NO_EARLIER_OPEN_JOB = `NOT EXISTS (
    SELECT 1 FROM sync_jobs e
     WHERE e.application_id = j.application_id
       AND (e.status = 'pending' OR e.status = 'processing')
       AND (e.occurred_at, e.id) < (j.occurred_at, j.id))`;

/**
 * `j.destination IS NOT DISTINCT FROM $n`, spelled as the two cases it is. The planner cannot
 * estimate IS NOT DISTINCT FROM (it guesses a handful of rows), so with it the claim read every
 * pending job, checked each for an earlier open job, sorted them all and then kept `limit`: 80 ms
 * for a claim of 100 from 20,000 pending. Spelled as IS NULL / `=`, it is estimated from the
 * column's statistics and the claim walks the due index in order and stops after `limit` (3 ms).
 */
const sameDestination = (destination: string | null, param: string): string =>
  destination === null ? `j.destination IS NULL AND ${param}::text IS NULL` : `j.destination = ${param}`;

/** The claim for jobs made for `destination` (null: for none); $5 is the destination either way. */
export const pgClaimJobsSql = (destination: string | null): string => `
  WITH due AS (
    SELECT id FROM sync_jobs j
     WHERE j.status = 'pending' AND j.run_after <= ${DB_NOW} AND ${sameDestination(destination, '$5')}
       AND ${NO_EARLIER_OPEN_JOB}
     ORDER BY j.run_after, j.id
     LIMIT $3
     FOR UPDATE SKIP LOCKED)
  UPDATE sync_jobs j
     SET status = 'processing', lease_owner = $1, lease_token = $2,
         lease_expires_at = ${DB_NOW} + $4::bigint, updated_at = ${DB_NOW},
         first_write_at = coalesce(j.first_write_at, ${DB_NOW})
    FROM due
   WHERE j.id = due.id
  RETURNING j.id, j.event_id, j.type, j.application_id, j.idempotency_key, j.attempts, j.max_attempts,
            j.initial_failed, j.manual_retries, j.run_after, j.lease_expires_at, j.in_doubt, j.first_write_at, j.destination,
            (SELECT b.note_text FROM sync_job_bodies b WHERE b.job_id = j.id) AS note_text`;

const CLAIM_FOR_NONE = pgClaimJobsSql(null);
const CLAIM_FOR_ONE = pgClaimJobsSql('');

export interface PgClaimJobsInput {
  owner: string;
  leaseMs: number;
  limit: number;
  /** Only jobs made for this iCIMS (sync/destination.ts) are claimed; null: jobs made for none. */
  destination?: string | null;
}

export interface PgClaimedJob extends ClaimedJob {
  /** With `owner`, the lease: complete and fail need both. */
  leaseToken: string;
}

interface ClaimedRow {
  id: string;
  event_id: string;
  type: string;
  application_id: string;
  idempotency_key: string;
  attempts: number;
  max_attempts: number;
  initial_failed: boolean;
  manual_retries: number;
  run_after: string;
  lease_expires_at: string;
  in_doubt: boolean;
  first_write_at: string;
  destination: string | null;
  note_text: string;
}

/** Leases up to `limit` due pending jobs to `owner`, oldest due first. */
export async function claimJobs(db: TeamDatabase, input: PgClaimJobsInput): Promise<PgClaimedJob[]> {
  if (input.limit <= 0) return [];
  const token = randomUUID();
  const destination = input.destination ?? null;
  const rows = await db.query<ClaimedRow>(destination === null ? CLAIM_FOR_NONE : CLAIM_FOR_ONE, [
    input.owner,
    token,
    input.limit,
    input.leaseMs,
    destination,
  ]);
  return rows
    .map((row): PgClaimedJob => ({
      id: Number(row.id),
      eventId: row.event_id,
      type: row.type as EventType,
      applicationId: row.application_id,
      noteText: row.note_text,
      idempotencyKey: row.idempotency_key,
      attempts: row.attempts,
      maxAttempts: row.max_attempts,
      initialFailed: row.initial_failed,
      manualRetries: row.manual_retries,
      runAfter: Number(row.run_after),
      leaseExpiresAt: Number(row.lease_expires_at),
      inDoubt: row.in_doubt,
      firstWriteAt: Number(row.first_write_at),
      destination: row.destination,
      leaseToken: token,
    }))
    .sort((a, b) => a.runAfter - b.runAfter || a.id - b.id);
}

/**
 * When the next job this engine may claim is due (database epoch ms), or null when none is. A
 * job behind an earlier open job of its application does not count: it starts when that one
 * settles (which notifies), not by the clock.
 */
export async function nextDueAt(db: TeamDatabase, destination: string | null = null): Promise<number | null> {
  const rows = await db.query<{ due: string | null }>(
    `SELECT min(j.run_after) AS due FROM sync_jobs j
      WHERE j.status = 'pending' AND ${sameDestination(destination, '$1')} AND ${NO_EARLIER_OPEN_JOB}`,
    [destination],
  );
  return rows[0]?.due == null ? null : Number(rows[0].due);
}

/**
 * How long until the next job this engine may claim is due, in ms by the database clock (0 when one
 * is due already), or null when none is. An engine adds it to its own clock's now: comparing
 * database epoch ms with the engine's clock would be off by the clocks' skew.
 */
export async function msUntilNextDue(db: TeamDatabase, destination: string | null = null): Promise<number | null> {
  const rows = await db.query<{ wait: number | null }>(
    `SELECT (min(j.run_after) - team_now_ms())::float8 AS wait FROM sync_jobs j
      WHERE j.status = 'pending' AND j.destination IS NOT DISTINCT FROM $1 AND ${NO_EARLIER_OPEN_JOB}`,
    [destination],
  );
  const wait = rows[0]?.wait;
  return wait == null ? null : Math.max(0, wait);
}
