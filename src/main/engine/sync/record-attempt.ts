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

const statements = perDatabase((db) => ({
  insert: db.prepare<[number, number, string, string, number | null, number | null, string | null]>(
    'INSERT INTO job_attempts (job_id, at, label, outcome, status_code, latency_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ),
  trim: db.prepare<[number, number, number]>(
    `DELETE FROM job_attempts WHERE job_id = ? AND id <= (
       SELECT id FROM job_attempts WHERE job_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
  ),
}));

/**
 * Appends a try to the job's history. Call inside the transaction that changes the job, if any.
 *
 * Only non-successful tries trim the history: a success is the last try a job ever gets, so the
 * history stays within ATTEMPT_HISTORY_LIMIT + 1 rows while the hot path (complete) saves a query.
 */
export function recordAttempt(db: Database, jobId: number, attempt: AttemptRecord): void {
  const s = statements(db);
  s.insert.run(
    jobId,
    Math.trunc(attempt.at),
    attempt.label,
    attempt.outcome,
    attempt.statusCode,
    attempt.latencyMs === null ? null : Math.max(0, Math.round(attempt.latencyMs)),
    truncateError(attempt.error),
  );
  if (attempt.outcome !== 'success') s.trim.run(jobId, jobId, ATTEMPT_HISTORY_LIMIT);
}

export function truncateError(error: string | null): string | null {
  if (error === null) return null;
  return error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS - 1)}…` : error;
}
