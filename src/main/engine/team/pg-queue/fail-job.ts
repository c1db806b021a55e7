import type { FailJobResult, FailureVerdict } from '../../sync/fail-job';
import type { AttemptRecord } from '../../sync/record-attempt';
import { afterRetryableFailure } from '../../sync/retry-schedule';
import type { TeamDatabase } from '../pg-connection';
import { recordAttempt } from './record-attempt';

/**
 * PostgreSQL side of sync/fail-job.ts, guarded by owner + token like complete-job.ts. The retry
 * arithmetic is the SQLite store's own (retry-schedule.ts); only the clock differs: delays run
 * from the database's now, so a job one engine reschedules is due at the same moment for all.
 *
 * A `wait` verdict (429, daily budget, open breaker) is River's snooze: the job goes back to
 * pending after `waitMs` with no retry spent and its initial/retry state untouched, because the
 * hold says nothing about this job.
 */
export const PG_LEASED_FOR_UPDATE = `
  SELECT attempts, initial_failed, max_attempts, team_now_ms() AS now FROM sync_jobs
   WHERE id = $1 AND status = 'processing' AND lease_owner = $2 AND lease_token = $3
   FOR UPDATE`;

export const PG_RESCHEDULE = `
  UPDATE sync_jobs
     SET status = $2, attempts = $3, initial_failed = $4, run_after = $5, last_error = coalesce($6, last_error),
         updated_at = $7, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
         in_doubt = in_doubt OR $8::boolean
   WHERE id = $1`;

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

const NOT_APPLIED: FailJobResult = { applied: false, status: null, attempts: null, runAfter: null };
const MAX_ERROR_CHARS = 2000;

export async function failJob(db: TeamDatabase, input: PgFailJobInput): Promise<FailJobResult> {
  return db.transaction(async (client) => {
    if (input.attempt) await recordAttempt(client, input.jobId, input.attempt);
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
    let status: 'pending' | 'failed';
    let attempts = row.attempts;
    let initialFailed = row.initial_failed;
    let runAfter = now;
    if (verdict.kind === 'permanent') {
      status = 'failed';
    } else if (verdict.kind === 'wait') {
      status = 'pending';
      runAfter = now + Math.max(0, Math.round(verdict.waitMs));
    } else {
      const next = afterRetryableFailure(
        { attempts: row.attempts, initialFailed: row.initial_failed, maxAttempts: row.max_attempts },
        input.backoffMs,
        now,
      );
      ({ status, attempts, initialFailed, runAfter } = next);
    }
    const error = input.error === null ? null : input.error.slice(0, MAX_ERROR_CHARS);
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

/** A 429 or breaker hold: the job goes back untouched, due again after `waitMs`. */
export function snoozeJob(
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
  return failJob(db, { ...input, verdict: { kind: 'wait', waitMs: input.waitMs }, backoffMs: [] });
}
