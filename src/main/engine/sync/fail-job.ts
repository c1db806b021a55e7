import type { Database } from 'better-sqlite3';
import type { JobStatus } from '../../../shared/jobs';
import { perDatabase } from './per-database';
import { recordAttempt, truncateError } from './record-attempt';
import type { AttemptRecord } from './record-attempt';
import { afterRetryableFailure } from './retry-schedule';

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

const statements = perDatabase((db) => {
  const leased = db.prepare<[number, string], LeaseRow>(
    `SELECT attempts, initial_failed, max_attempts FROM sync_jobs
      WHERE id = ? AND status = 'processing' AND lease_owner = ?`,
  );
  const update = db.prepare<[string, number, number, number, string | null, number, number, number]>(
    `UPDATE sync_jobs
        SET status = ?, attempts = ?, initial_failed = ?, run_after = ?, last_error = coalesce(?, last_error), updated_at = ?,
            lease_owner = NULL, lease_expires_at = NULL, in_doubt = max(in_doubt, ?)
      WHERE id = ?`,
  );
  const fail = db.transaction((input: FailJobInput): FailJobResult => {
    if (input.attempt) recordAttempt(db, input.jobId, input.attempt);
    const row = leased.get(input.jobId, input.owner);
    if (!row) return NOT_APPLIED;
    const error = truncateError(input.error);
    const { verdict, now } = input;
    let status: 'pending' | 'failed';
    let attempts = row.attempts;
    let initialFailed = row.initial_failed;
    let runAfter = now;
    if (verdict.kind === 'permanent') {
      status = 'failed';
    } else if (verdict.kind === 'wait') {
      status = 'pending';
      runAfter = now + Math.max(0, verdict.waitMs);
    } else {
      const next = afterRetryableFailure(
        { attempts: row.attempts, initialFailed: row.initial_failed !== 0, maxAttempts: row.max_attempts },
        input.backoffMs,
        now,
      );
      status = next.status;
      attempts = next.attempts;
      initialFailed = next.initialFailed ? 1 : 0;
      runAfter = next.runAfter;
    }
    update.run(status, attempts, initialFailed, runAfter, error, now, input.inDoubt ? 1 : 0, input.jobId);
    return { applied: true, status, attempts, runAfter: status === 'pending' ? runAfter : null };
  });
  return { fail };
});

/** Records a failed try of a leased job and reschedules or fails it, guarded by the lease owner. */
export function failJob(db: Database, input: FailJobInput): FailJobResult {
  return statements(db).fail.immediate(input);
}
