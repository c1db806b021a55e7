/**
 * Claim due jobs under a lease, SQLite and PostgreSQL side by side. One statement picks and leases
 * the batch, oldest due first, only jobs made for this engine's destination, none behind an
 * earlier open job of its application (an application's notes go out in event order).
 *
 * What differs: SQLite holds the write lock for the whole statement (an immediate transaction), so
 * two workers never take one job; the lease is the owner and an expiry from the engine's `now`.
 * PostgreSQL serves many engines at once: `FOR UPDATE SKIP LOCKED` lets each take the due rows
 * nobody else is taking, without waiting on each other; the lease is owner + a token new for every
 * claim (a restarted engine under the same name cannot complete a job it lost meanwhile), and the
 * expiry is database time (an engine converts it into a duration before comparing it with its own
 * clock). The order check differs too: SQLite follows the predecessor pointer (`after_job_id`) and
 * checks the whole application only where `order_check` says so; PostgreSQL asks the application's
 * earlier jobs directly.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { EventType } from '../../../shared/scheduling-event';
import type { TeamDatabase } from '../team/pg-connection';
import { DB_NOW } from '../team/pg-queue/queue-channel';
import { perDatabase } from './per-database';

export interface ClaimJobsInput {
  /** Identifies this worker run; must be unique per process run (e.g. host:pid:random). */
  owner: string;
  leaseMs: number;
  now: number;
  limit: number;
  /**
   * Only jobs made for this destination are claimed: the guarantee that a note never goes to an
   * iCIMS it was not made for does not rest on the switch having held the others in time.
   */
  destination?: string | null;
}

export interface PgClaimJobsInput {
  owner: string;
  leaseMs: number;
  limit: number;
  /** Only jobs made for this iCIMS (destination.ts) are claimed; null: jobs made for none. */
  destination?: string | null;
}

/** What a worker needs to write a claimed job (findJob gives the whole row). Times are epoch ms. */
export interface ClaimedJob {
  id: number;
  eventId: string;
  type: EventType;
  applicationId: string;
  noteText: string;
  idempotencyKey: string;
  /** Retries already spent (the initial write is not one). */
  attempts: number;
  maxAttempts: number;
  /** True once the initial write has failed: the next try is a retry. */
  initialFailed: boolean;
  manualRetries: number;
  runAfter: number;
  leaseExpiresAt: number;
  /** The last write may have reached iCIMS unanswered: read the notes back before writing. */
  inDoubt: boolean;
  /** When the job was first taken up to write (epoch ms). */
  firstWriteAt: number;
  /** The iCIMS the job was made for (destination.ts). */
  destination: string | null;
}

export interface PgClaimedJob extends ClaimedJob {
  /** With `owner`, the lease: complete and fail need both. */
  leaseToken: string;
}

/** A PostgreSQL RETURNING row: bigint columns come back as strings. */
interface PgClaimedRow {
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

/** A RETURNING row in raw mode: the columns in the order RETURNING names them. */
type SqliteClaimedRow = [
  id: number,
  eventId: string,
  type: string,
  applicationId: string,
  noteText: string,
  idempotencyKey: string,
  attempts: number,
  maxAttempts: number,
  initialFailed: number,
  manualRetries: number,
  runAfter: number,
  leaseExpiresAt: number,
  inDoubt: number,
  firstWriteAt: number,
  destination: string | null,
];

/**
 * A pending job waits while an earlier job of its application (by the event's time, then
 * arrival) is pending or processing, so an application's notes land in event order
 * (docs/INTERFACES.md §6). A failed, cancelled or held earlier job is not open, so it holds
 * nothing back.
 *
 * Asked cheaply first: a job stored behind the last open job of its application waits while that
 * one (`after_job_id`) is open, one rowid read. That is the whole answer unless something since
 * changed the application's open jobs other than at the end (`order_check`, set through
 * order-check.ts); such a job is checked against every job of its application.
 * An index of open jobs per application answered in one seek but cost a quarter of the queue's
 * time to keep up on every enqueue, claim and completion (migration 8).
 */
const SQLITE_NO_EARLIER_OPEN_JOB = `CASE WHEN j.order_check = 0
  THEN j.after_job_id IS NULL OR NOT EXISTS (
    SELECT 1 FROM sync_jobs AS a WHERE a.id = j.after_job_id AND (a.status = 'pending' OR a.status = 'processing'))
  ELSE NOT EXISTS (
    SELECT 1 FROM sync_jobs AS e INDEXED BY sync_jobs_application
     WHERE e.application_id = j.application_id
       AND (e.status = 'pending' OR e.status = 'processing')
       AND (e.occurred_at, e.id) < (j.occurred_at, j.id))
  END`;

/**
 * PostgreSQL: a job waits while an earlier job of its application (by the event's time, then id)
 * is still pending or in flight, as in SQLite. Under SKIP LOCKED this holds too: an earlier job
 * another engine is claiming right now is still `pending` in this statement's snapshot, so the
 * later one waits for it either way.
 */
const PG_NO_EARLIER_OPEN_JOB = `NOT EXISTS (
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
const pgSameDestination = (destination: string | null, param: string): string =>
  destination === null ? `j.destination IS NULL AND ${param}::text IS NULL` : `j.destination = ${param}`;

// RETURNING names its columns: building objects for the payload and the other columns the
// worker never reads would cost about as much as the update itself.
const SQLITE_CLAIM_JOBS = `UPDATE sync_jobs
          SET status = 'processing', lease_owner = ?, lease_expires_at = ?, updated_at = ?,
              first_write_at = coalesce(first_write_at, ?)
        WHERE id IN (SELECT j.id FROM sync_jobs AS j INDEXED BY sync_jobs_due
                      WHERE j.status = 'pending' AND j.run_after <= ? AND j.destination IS ? AND ${SQLITE_NO_EARLIER_OPEN_JOB}
                      ORDER BY j.run_after, j.id
                      LIMIT ?)
        RETURNING id, event_id, type, application_id, note_text, idempotency_key, attempts, max_attempts,
                  initial_failed, manual_retries, run_after, lease_expires_at, in_doubt, first_write_at, destination`;

/** The claim for jobs made for `destination` (null: for none); $5 is the destination either way. */
export const pgClaimJobsSql = (destination: string | null): string => `
  WITH due AS (
    SELECT id FROM sync_jobs j
     WHERE j.status = 'pending' AND j.run_after <= ${DB_NOW} AND ${pgSameDestination(destination, '$5')}
       AND ${PG_NO_EARLIER_OPEN_JOB}
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

const PG_CLAIM_FOR_NONE = pgClaimJobsSql(null);
const PG_CLAIM_FOR_ONE = pgClaimJobsSql('');

// Only a job that may run when it is due counts: one waiting behind an earlier job of its
// application is started when that job settles (which wakes the worker or notifies), not by the clock.
const SQLITE_NEXT_DUE = `SELECT j.run_after FROM sync_jobs AS j INDEXED BY sync_jobs_due
        WHERE j.status = 'pending' AND j.destination IS ? AND ${SQLITE_NO_EARLIER_OPEN_JOB}
        ORDER BY j.run_after, j.id LIMIT 1`;

const pgNextDueSql = (destination: string | null): string =>
  `SELECT min(j.run_after) AS due FROM sync_jobs j
      WHERE j.status = 'pending' AND ${pgSameDestination(destination, '$1')} AND ${PG_NO_EARLIER_OPEN_JOB}`;

const PG_MS_UNTIL_NEXT_DUE = `SELECT (min(j.run_after) - team_now_ms())::float8 AS wait FROM sync_jobs j
      WHERE j.status = 'pending' AND j.destination IS NOT DISTINCT FROM $1 AND ${PG_NO_EARLIER_OPEN_JOB}`;

const statements = perDatabase((db) => {
  // One statement picks and leases the batch, so two workers (or two processes) can never take
  // the same job: the immediate transaction holds the write lock from the SELECT to the UPDATE.
  // Raw rows (arrays) skip building a keyed object per row that would only be copied into a ClaimedJob.
  const claim = db
    .prepare<[string, number, number, number, number, string | null, number], SqliteClaimedRow>(SQLITE_CLAIM_JOBS)
    .raw(true);
  const nextDue = db.prepare<[string | null], number | null>(SQLITE_NEXT_DUE).pluck();
  return {
    claim: db.transaction((input: ClaimJobsInput) =>
      claim.all(
        input.owner,
        input.now + input.leaseMs,
        input.now,
        input.now,
        input.now,
        input.destination ?? null,
        input.limit,
      ),
    ),
    nextDue,
  };
});

/** Leases up to `limit` due pending jobs to `owner`, oldest due first, none behind an earlier open job of its application. */
export function claimJobs(db: Database, input: ClaimJobsInput): ClaimedJob[] {
  if (input.limit <= 0) return [];
  const rows = statements(db).claim.immediate(input);
  // RETURNING gives no order guarantee; the worker expects due order.
  return rows
    .map(
      ([
        id,
        eventId,
        type,
        applicationId,
        noteText,
        idempotencyKey,
        attempts,
        maxAttempts,
        initialFailed,
        manualRetries,
        runAfter,
        leaseExpiresAt,
        inDoubt,
        firstWriteAt,
        destination,
      ]): ClaimedJob => ({
        id,
        eventId,
        type: type as EventType,
        applicationId,
        noteText,
        idempotencyKey,
        attempts,
        maxAttempts,
        initialFailed: initialFailed !== 0,
        manualRetries,
        runAfter,
        leaseExpiresAt,
        inDoubt: inDoubt !== 0,
        firstWriteAt,
        destination,
      }),
    )
    .sort((a, b) => a.runAfter - b.runAfter || a.id - b.id);
}

/** When the next pending job is due (epoch ms; may be in the past), or null when none is pending. */
export function nextDueAt(db: Database, destination: string | null = null): number | null {
  return statements(db).nextDue.get(destination) ?? null;
}

/** claimJobs on the team database: `leaseMs` from the database's now, a new lease token per claim. */
export async function pgClaimJobs(db: TeamDatabase, input: PgClaimJobsInput): Promise<PgClaimedJob[]> {
  if (input.limit <= 0) return [];
  const token = randomUUID();
  const destination = input.destination ?? null;
  const rows = await db.query<PgClaimedRow>(destination === null ? PG_CLAIM_FOR_NONE : PG_CLAIM_FOR_ONE, [
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
 * nextDueAt on the team database: when the next job this engine may claim is due (database epoch
 * ms), or null when none is.
 */
export async function pgNextDueAt(db: TeamDatabase, destination: string | null = null): Promise<number | null> {
  const rows = await db.query<{ due: string | null }>(pgNextDueSql(destination), [destination]);
  return rows[0]?.due == null ? null : Number(rows[0].due);
}

/**
 * How long until the next job this engine may claim is due, in ms by the database clock (0 when one
 * is due already), or null when none is. An engine adds it to its own clock's now: comparing
 * database epoch ms with the engine's clock would be off by the clocks' skew.
 */
export async function pgMsUntilNextDue(db: TeamDatabase, destination: string | null = null): Promise<number | null> {
  const rows = await db.query<{ wait: number | null }>(PG_MS_UNTIL_NEXT_DUE, [destination]);
  const wait = rows[0]?.wait;
  return wait == null ? null : Math.max(0, wait);
}
