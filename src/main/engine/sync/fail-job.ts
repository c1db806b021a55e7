/**
 * Fail (or snooze) a leased job's try, SQLite and PostgreSQL side by side: the try is recorded,
 * then the job is rescheduled or failed, guarded by its lease. The retry arithmetic is shared
 * (retry-schedule.ts).
 *
 * What differs: SQLite guards by the lease owner and takes `now` from the engine; PostgreSQL
 * guards by owner + token (as complete-job.ts does), locks the row (FOR UPDATE) and reads the
 * database's now in the same statement, so delays run from the database clock and a job one
 * engine reschedules is due at the same moment for all. Booleans are 0/1 in SQLite.
 */
import type { Database } from 'better-sqlite3';
import type { JobStatus } from '../../../shared/jobs';
import type { TeamDatabase } from '../team/pg-connection';
import { perDatabase } from './per-database';
import { pgRecordAttempt, recordAttempt, truncateError } from './record-attempt';
import type { AttemptRecord } from './record-attempt';
import { afterFailure } from './retry-schedule';

/**
 * What a failed try means for the job (docs/INTERFACES.md §6):
 * - `retryable`: 5xx, timeout, connection error — spends a retry (or, for the initial write,
 *   starts the schedule) and waits the next backoff delay;
 * - `permanent`: 400/401/403/404/other 4xx, bad config — failed at once;
 * - `wait`: 429, daily budget, open circuit — says nothing about this job: pending again after
 *   `waitMs`, no retry spent, attempts and the initial/retry state unchanged.
 */
export type FailureVerdict = { kind: 'retryable' } | { kind: 'permanent' } | { kind: 'wait'; waitMs: number };

export interface FailJobInput {
  jobId: number;
  owner: string;
  now: number;
  verdict: FailureVerdict;
  /** Redacted message for `last_error`; null keeps the one stored (e.g. a release at shutdown). */
  error: string | null;
  /** SYNC_BACKOFF_MS. */
  backoffMs: readonly number[];
  /** The failed try, recorded in the same transaction. */
  attempt?: AttemptRecord;
  /** The try may have written the note: the job owes a read-back before its next write. */
  inDoubt?: boolean;
}

export interface PgFailJobInput {
  jobId: number;
  owner: string;
  leaseToken: string;
  verdict: FailureVerdict;
  /** Redacted message for `last_error`; null keeps the one stored. */
  error: string | null;
  /** SYNC_BACKOFF_MS. */
  backoffMs: readonly number[];
  attempt?: AttemptRecord;
  /** The try may have written the note: the job owes a read-back before its next write. */
  inDoubt?: boolean;
}

export interface FailJobResult {
  /** False when `owner` no longer holds the job's lease: nothing was changed. */
  applied: boolean;
  status: JobStatus | null;
  attempts: number | null;
  /** Next run for a pending job, else null. */
  runAfter: number | null;
}

interface LeaseRow {
  attempts: number;
  initial_failed: number;
  max_attempts: number;
}

const NOT_APPLIED: FailJobResult = { applied: false, status: null, attempts: null, runAfter: null };
const PG_MAX_ERROR_CHARS = 2000;

const SQLITE_LEASED = `SELECT attempts, initial_failed, max_attempts FROM sync_jobs
      WHERE id = ? AND status = 'processing' AND lease_owner = ?`;

export const PG_LEASED_FOR_UPDATE = `
  SELECT attempts, initial_failed, max_attempts, team_now_ms() AS now FROM sync_jobs
   WHERE id = $1 AND status = 'processing' AND lease_owner = $2 AND lease_token = $3
   FOR UPDATE`;

const SQLITE_RESCHEDULE = `UPDATE sync_jobs
        SET status = ?, attempts = ?, initial_failed = ?, run_after = ?, last_error = coalesce(?, last_error), updated_at = ?,
            lease_owner = NULL, lease_expires_at = NULL, in_doubt = max(in_doubt, ?)
      WHERE id = ?`;

export const PG_RESCHEDULE = `
  UPDATE sync_jobs
     SET status = $2, attempts = $3, initial_failed = $4, run_after = $5, last_error = coalesce($6, last_error),
         updated_at = $7, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
         in_doubt = in_doubt OR $8::boolean
   WHERE id = $1`;

const statements = perDatabase((db) => {
  const leased = db.prepare<[number, string], LeaseRow>(SQLITE_LEASED);
  const update = db.prepare<[string, number, number, number, string | null, number, number, number]>(SQLITE_RESCHEDULE);
  const fail = db.transaction((input: FailJobInput): FailJobResult => {
    if (input.attempt) recordAttempt(db, input.jobId, input.attempt);
    const row = leased.get(input.jobId, input.owner);
    if (!row) return NOT_APPLIED;
    const error = truncateError(input.error);
    const { verdict, now } = input;
    const next = afterFailure(
      { attempts: row.attempts, initialFailed: row.initial_failed !== 0, maxAttempts: row.max_attempts },
      verdict,
      input.backoffMs,
      now,
    );
    const { status, attempts, runAfter } = next;
    const initialFailed = next.initialFailed ? 1 : 0;
    update.run(status, attempts, initialFailed, runAfter, error, now, input.inDoubt ? 1 : 0, input.jobId);
    return { applied: true, status, attempts, runAfter: status === 'pending' ? runAfter : null };
  });
  return { fail };
});

/** Records a failed try of a leased job and reschedules or fails it, guarded by the lease owner. */
export function failJob(db: Database, input: FailJobInput): FailJobResult {
  return statements(db).fail.immediate(input);
}

/** failJob on the team database: delays run from the database's now. */
export async function pgFailJob(db: TeamDatabase, input: PgFailJobInput): Promise<FailJobResult> {
  return db.transaction(async (client) => {
    if (input.attempt) await pgRecordAttempt(client, input.jobId, input.attempt);
    const { rows } = await client.query<{
      attempts: number;
      initial_failed: boolean;
      max_attempts: number;
      now: string;
    }>(PG_LEASED_FOR_UPDATE, [input.jobId, input.owner, input.leaseToken]);
    const row = rows[0];
    if (!row) return NOT_APPLIED;
    const now = Number(row.now);
    const { verdict } = input;
    const { status, attempts, initialFailed, runAfter } = afterFailure(
      { attempts: row.attempts, initialFailed: row.initial_failed, maxAttempts: row.max_attempts },
      verdict.kind === 'wait' ? { kind: 'wait', waitMs: Math.round(verdict.waitMs) } : verdict,
      input.backoffMs,
      now,
    );
    const error = input.error === null ? null : input.error.slice(0, PG_MAX_ERROR_CHARS);
    await client.query(PG_RESCHEDULE, [
      input.jobId,
      status,
      attempts,
      initialFailed,
      runAfter,
      error,
      now,
      input.inDoubt === true,
    ]);
    return { applied: true, status, attempts, runAfter: status === 'pending' ? runAfter : null };
  });
}

/**
 * A 429 or breaker hold on the team database (River's snooze): the job goes back untouched, due
 * again after `waitMs`, no retry spent, its initial/retry state unchanged.
 */
export function pgSnoozeJob(
  db: TeamDatabase,
  input: {
    jobId: number;
    owner: string;
    leaseToken: string;
    waitMs: number;
    error: string | null;
    attempt?: AttemptRecord;
  },
): Promise<FailJobResult> {
  return pgFailJob(db, { ...input, verdict: { kind: 'wait', waitMs: input.waitMs }, backoffMs: [] });
}
