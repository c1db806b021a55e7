import type { JobAttempt } from '../../../shared/jobs';

/** A job as the worker holds it between claim and its outcome. */
export interface ClaimedJob {
  id: number;
  applicationId: string;
  noteText: string;
  idempotencyKey: string;
  /** Retries already spent (CONTRACT: `attempts` counts retries). */
  attempts: number;
  maxAttempts: number;
  /** True once the initial write has failed: the next try is a retry. */
  initialFailed: boolean;
}

/** What the worker records about one try, for the job's history. `at` is epoch ms. */
export type AttemptRecord = Omit<JobAttempt, 'at'> & { at: number };

export type FailureOutcome = 'rescheduled' | 'failed' | 'lease_lost';

/**
 * The queue operations the worker needs, each guarded by the lease owner: a worker whose lease
 * was taken over (it stalled past SYNC_LEASE_MS and another took the job) changes nothing.
 * The engine adapts the store's one-file-per-operation functions to this port.
 */
export interface WorkerQueue {
  claim(owner: string, leaseMs: number, now: number, limit: number): ClaimedJob[];
  complete(job: ClaimedJob, owner: string, now: number, attempt: AttemptRecord): boolean;
  /** Retryable failure: spends a retry (or uses up the initial write) and reschedules or fails. */
  failRetryable(job: ClaimedJob, owner: string, now: number, error: string, attempt: AttemptRecord): FailureOutcome;
  /** Non-retryable failure: the job is failed at once. */
  failPermanent(job: ClaimedJob, owner: string, now: number, error: string, attempt: AttemptRecord): FailureOutcome;
  /** Back to pending after `waitMs` without spending a retry (429, daily budget, open circuit, shutdown). */
  postpone(job: ClaimedJob, owner: string, now: number, waitMs: number, error: string | null, attempt: AttemptRecord): boolean;
  /** Jobs left `processing` past their lease (a crashed or stalled worker) become pending again. */
  releaseExpired(now: number): number;
  /** When the next pending job becomes due, or null when none is pending. */
  nextDueAt(): number | null;
}
