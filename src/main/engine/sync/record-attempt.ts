import type { Database } from 'better-sqlite3';
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

const statements = perDatabase((db) => ({
  insert: db.prepare<[number, number, string, string, number | null, number | null, string | null]>(
    'INSERT INTO job_attempts (job_id, at, label, outcome, status_code, latency_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ),
  trim: db.prepare<[number, number, number]>(
    `DELETE FROM job_attempts WHERE job_id = ? AND id <= (
       SELECT id FROM job_attempts WHERE job_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
  ),
  // A primary-key lookup; the row is only written when it holds a success (see recordAttempt).
  rowSuccess: db
    .prepare<[number], SuccessRow>(
      'SELECT success_at, success_label, success_status_code, success_latency_ms FROM sync_jobs WHERE id = ? AND success_at IS NOT NULL',
    )
    .raw(true),
  clearRowSuccess: db.prepare<[number]>(
    'UPDATE sync_jobs SET success_at = NULL, success_label = NULL, success_status_code = NULL, success_latency_ms = NULL WHERE id = ?',
  ),
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

export function truncateError(error: string | null): string | null {
  if (error === null) return null;
  return error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS - 1)}…` : error;
}
