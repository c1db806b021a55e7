/**
 * A job's history of tries, SQLite and PostgreSQL side by side: one history row per try, the
 * newest ATTEMPT_HISTORY_LIMIT kept (429 waits could otherwise grow a job's history without end).
 * The try's time is the engine's in both (it is what the operator reads in the history); queue
 * decisions never use it.
 *
 * What differs: SQLite first moves a completed job's on-row success into the history (see
 * recordAttempt) and trims only after a non-success; the PostgreSQL side inserts and trims on
 * every try, inside the caller's transaction (a pg PoolClient). PostgreSQL cuts a long error at
 * MAX_ERROR_CHARS without the ellipsis.
 */
import type { Database } from 'better-sqlite3';
import type { PoolClient } from 'pg';
import type { JobAttempt } from '../../../shared/jobs';
import { perDatabase } from './per-database';

/** One try of a job, as the worker reports it. */
export interface AttemptRecord {
  /** Epoch ms. */
  at: number;
  /** `initial`, `retry 2`, `manual retry` (see attemptLabel). */
  label: string;
  outcome: JobAttempt['outcome'];
  statusCode: number | null;
  latencyMs: number | null;
  /** Redacted already. */
  error: string | null;
}

/** A job's history keeps its newest tries only: 429 waits could otherwise grow it without end. */
export const ATTEMPT_HISTORY_LIMIT = 50;
const MAX_ERROR_CHARS = 2000;

type SuccessRow = [at: number, label: string, statusCode: number | null, latencyMs: number | null];

const SQLITE_INSERT_ATTEMPT =
  'INSERT INTO job_attempts (job_id, at, label, outcome, status_code, latency_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?)';

export const PG_INSERT_ATTEMPT = `
  INSERT INTO job_attempts (job_id, at, label, outcome, status_code, latency_ms, error)
  VALUES ($1, $2, $3, $4, $5, $6, $7)`;

const SQLITE_TRIM_ATTEMPTS = `DELETE FROM job_attempts WHERE job_id = ? AND id <= (
       SELECT id FROM job_attempts WHERE job_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`;

export const PG_TRIM_ATTEMPTS = `
  DELETE FROM job_attempts WHERE job_id = $1 AND id <= (
    SELECT id FROM job_attempts WHERE job_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)`;

// SQLite only: a try recorded after the job's on-row success moves that success into the history
// first (recordAttempt); the PostgreSQL side does not.
const SQLITE_ROW_SUCCESS =
  'SELECT success_at, success_label, success_status_code, success_latency_ms FROM sync_jobs WHERE id = ? AND success_at IS NOT NULL';

const SQLITE_CLEAR_ROW_SUCCESS =
  'UPDATE sync_jobs SET success_at = NULL, success_label = NULL, success_status_code = NULL, success_latency_ms = NULL WHERE id = ?';

const statements = perDatabase((db) => ({
  insert:
    db.prepare<[number, number, string, string, number | null, number | null, string | null]>(SQLITE_INSERT_ATTEMPT),
  trim: db.prepare<[number, number, number]>(SQLITE_TRIM_ATTEMPTS),
  // A primary-key lookup; the row is only written when it holds a success (see recordAttempt).
  rowSuccess: db.prepare<[number], SuccessRow>(SQLITE_ROW_SUCCESS).raw(true),
  clearRowSuccess: db.prepare<[number]>(SQLITE_CLEAR_ROW_SUCCESS),
}));

/** The stored form of a try's time and latency (whole, non-negative milliseconds). */
export function storedAt(attempt: AttemptRecord): number {
  return Math.trunc(attempt.at);
}

export function storedLatency(attempt: AttemptRecord): number | null {
  return attempt.latencyMs === null ? null : Math.max(0, Math.round(attempt.latencyMs));
}

/**
 * Appends a try to the job's history. Call inside the transaction that changes the job, if any.
 *
 * Only non-successful tries trim the history: a success is the last try a job ever gets, so the
 * history stays within ATTEMPT_HISTORY_LIMIT + 1 rows while the hot path (complete) saves a query.
 *
 * A completed job normally keeps its successful try on its own row (completeJobs), shown after
 * these rows. A try recorded after that — from a worker whose lease had run out and whose call
 * came back after another worker completed the job — must show after the success, as it did when
 * every success was a row here: so the row's success is first moved here, in its place.
 */
export function recordAttempt(db: Database, jobId: number, attempt: AttemptRecord): void {
  const s = statements(db);
  const success = s.rowSuccess.get(jobId);
  if (success) {
    s.insert.run(jobId, success[0], success[1], 'success', success[2], success[3], null);
    s.clearRowSuccess.run(jobId);
  }
  s.insert.run(
    jobId,
    storedAt(attempt),
    attempt.label,
    attempt.outcome,
    attempt.statusCode,
    storedLatency(attempt),
    truncateError(attempt.error),
  );
  if (attempt.outcome !== 'success') s.trim.run(jobId, jobId, ATTEMPT_HISTORY_LIMIT);
}

/** recordAttempt on the team database, inside the caller's transaction. */
export async function pgRecordAttempt(client: PoolClient, jobId: number, attempt: AttemptRecord): Promise<void> {
  await client.query(PG_INSERT_ATTEMPT, [
    jobId,
    Math.trunc(attempt.at),
    attempt.label,
    attempt.outcome,
    attempt.statusCode,
    attempt.latencyMs === null ? null : Math.max(0, Math.round(attempt.latencyMs)),
    attempt.error === null ? null : attempt.error.slice(0, MAX_ERROR_CHARS),
  ]);
  await client.query(PG_TRIM_ATTEMPTS, [jobId, ATTEMPT_HISTORY_LIMIT]);
}

export function truncateError(error: string | null): string | null {
  if (error === null) return null;
  return error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS - 1)}…` : error;
}
