import type { Database } from 'better-sqlite3';
import type { EventType } from '../../../shared/scheduling-event';
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

/** A RETURNING row in raw mode: the columns in the order RETURNING names them. */
type ClaimedRow = [
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
const NO_EARLIER_OPEN_JOB = `CASE WHEN j.order_check = 0
  THEN j.after_job_id IS NULL OR NOT EXISTS (
    SELECT 1 FROM sync_jobs AS a WHERE a.id = j.after_job_id AND (a.status = 'pending' OR a.status = 'processing'))
  ELSE NOT EXISTS (
    SELECT 1 FROM sync_jobs AS e INDEXED BY sync_jobs_application
     WHERE e.application_id = j.application_id
       AND (e.status = 'pending' OR e.status = 'processing')
       AND (e.occurred_at, e.id) < (j.occurred_at, j.id))
  END`;

const statements = perDatabase((db) => {
  // One statement picks and leases the batch, so two workers (or two processes) can never take
  // the same job: the immediate transaction holds the write lock from the SELECT to the UPDATE.
  // RETURNING names its columns: building objects for the payload and the other columns the
  // worker never reads would cost about as much as the update itself. Raw rows (arrays) skip
  // building a keyed object per row that would only be copied into a ClaimedJob.
  const claim = db
    .prepare<[string, number, number, number, number, string | null, number], ClaimedRow>(
      `UPDATE sync_jobs
          SET status = 'processing', lease_owner = ?, lease_expires_at = ?, updated_at = ?,
              first_write_at = coalesce(first_write_at, ?)
        WHERE id IN (SELECT j.id FROM sync_jobs AS j INDEXED BY sync_jobs_due
                      WHERE j.status = 'pending' AND j.run_after <= ? AND j.destination IS ? AND ${NO_EARLIER_OPEN_JOB}
                      ORDER BY j.run_after, j.id
                      LIMIT ?)
        RETURNING id, event_id, type, application_id, note_text, idempotency_key, attempts, max_attempts,
                  initial_failed, manual_retries, run_after, lease_expires_at, in_doubt, first_write_at, destination`,
    )
    .raw(true);
  // Only a job that may run when it is due counts: one waiting behind an earlier job of its
  // application is started when that job settles (which wakes the worker), not by the clock.
  const nextDue = db
    .prepare<[string | null], number | null>(
      `SELECT j.run_after FROM sync_jobs AS j INDEXED BY sync_jobs_due
        WHERE j.status = 'pending' AND j.destination IS ? AND ${NO_EARLIER_OPEN_JOB}
        ORDER BY j.run_after, j.id LIMIT 1`,
    )
    .pluck();
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
