import type { PoolClient } from 'pg';
import { ATTEMPT_HISTORY_LIMIT } from '../../sync/record-attempt';
import type { AttemptRecord } from '../../sync/record-attempt';

/**
 * PostgreSQL side of sync/record-attempt.ts: one history row per try, newest ATTEMPT_HISTORY_LIMIT
 * kept (429 waits could otherwise grow a job's history without end). The try's time is the
 * engine's (it is what the operator reads in the history); queue decisions never use it.
 */
export const PG_INSERT_ATTEMPT = `
  INSERT INTO job_attempts (job_id, at, label, outcome, status_code, latency_ms, error)
  VALUES ($1, $2, $3, $4, $5, $6, $7)`;

export const PG_TRIM_ATTEMPTS = `
  DELETE FROM job_attempts WHERE job_id = $1 AND id <= (
    SELECT id FROM job_attempts WHERE job_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)`;

const MAX_ERROR_CHARS = 2000;

export async function recordAttempt(client: PoolClient, jobId: number, attempt: AttemptRecord): Promise<void> {
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
