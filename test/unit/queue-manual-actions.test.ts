import { describe, expect, it } from 'vitest';
import { ConsoleApiError } from '../../src/shared/console-api';
import { cancelJob } from '../../src/main/engine/sync/cancel-job';
import { claimJobs } from '../../src/main/engine/sync/claim-jobs';
import { completeJob } from '../../src/main/engine/sync/complete-job';
import { enqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import type { NewJob } from '../../src/main/engine/sync/enqueue-jobs';
import { failJob } from '../../src/main/engine/sync/fail-job';
import { readJob } from '../helpers/read-job';
import { JobConflictError, JobNotFoundError } from '../../src/main/engine/sync/queue-errors';
import { retryAllFailed, retryJob } from '../../src/main/engine/sync/retry-job';
import { attemptLabel, DEFAULT_BACKOFF_MS } from '../../src/main/engine/sync/retry-schedule';
import type { Database } from '../../src/main/engine/sync/database';
import { newJob } from '../fixtures/new-job';
import { openTempDb } from '../helpers/temp-db';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

function addJob(db: Database, i: number, overrides: Partial<NewJob> = {}): number {
  const [result] = enqueueJobs(db, [newJob(i, { type: 'cancelled', runAfter: T0, ...overrides })], T0);
  return result!.jobId;
}

/** Runs a job through its whole retry budget until it is failed. */
function exhaust(db: Database, id: number): number {
  let now = T0;
  for (;;) {
    const [job] = claimJobs(db, { owner: 'w', leaseMs: MIN, now, limit: 1 });
    if (!job) throw new Error('job was not due');
    const r = failJob(db, {
      jobId: id,
      owner: 'w',
      now,
      verdict: { kind: 'retryable' },
      error: 'HTTP 502',
      backoffMs: DEFAULT_BACKOFF_MS,
    });
    if (r.status === 'failed') return now;
    now = r.runAfter!;
  }
}

function errorOf(action: () => void): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('retry', () => {
  it('gives a failed job a fresh retry budget and runs it now', () => {
    const { db } = openTempDb();
    const id = addJob(db, 1);
    const failedAt = exhaust(db, id);
    expect(readJob(db, id)).toMatchObject({ status: 'failed', attempts: 5 });

    const now = failedAt + 3 * MIN;
    retryJob(db, id, now);
    const job = readJob(db, id)!;
    expect(job).toMatchObject({
      status: 'pending',
      attempts: 0,
      initialFailed: false,
      runAfter: now,
      manualRetries: 1,
    });
    expect(attemptLabel(job)).toBe('manual retry');
    // The whole schedule is available again: the first failure waits 1 minute, not "failed".
    const [claimed] = claimJobs(db, { owner: 'w', leaseMs: MIN, now, limit: 1 });
    expect(claimed?.id).toBe(id);
    const r = failJob(db, {
      jobId: id,
      owner: 'w',
      now,
      verdict: { kind: 'retryable' },
      error: 'x',
      backoffMs: DEFAULT_BACKOFF_MS,
    });
    expect(r).toMatchObject({ status: 'pending', attempts: 0, runAfter: now + MIN });
  });

  it('makes a waiting pending job due now, keeping its spent retries', () => {
    const { db } = openTempDb();
    const id = addJob(db, 1);
    claimJobs(db, { owner: 'w', leaseMs: MIN, now: T0, limit: 1 });
    failJob(db, {
      jobId: id,
      owner: 'w',
      now: T0,
      verdict: { kind: 'retryable' },
      error: 'x',
      backoffMs: DEFAULT_BACKOFF_MS,
    });
    claimJobs(db, { owner: 'w', leaseMs: MIN, now: T0 + MIN, limit: 1 });
    failJob(db, {
      jobId: id,
      owner: 'w',
      now: T0 + MIN,
      verdict: { kind: 'retryable' },
      error: 'x',
      backoffMs: DEFAULT_BACKOFF_MS,
    });
    expect(readJob(db, id)).toMatchObject({ status: 'pending', attempts: 1, runAfter: T0 + 6 * MIN });

    retryJob(db, id, T0 + 2 * MIN);
    expect(readJob(db, id)).toMatchObject({
      status: 'pending',
      attempts: 1,
      initialFailed: true,
      runAfter: T0 + 2 * MIN,
    });
    expect(claimJobs(db, { owner: 'w', leaseMs: MIN, now: T0 + 2 * MIN, limit: 1 })).toHaveLength(1);
  });

  it('refuses processing, completed and cancelled jobs with a conflict, and unknown ids with not found', () => {
    const { db } = openTempDb();
    const processing = addJob(db, 1);
    claimJobs(db, { owner: 'w', leaseMs: MIN, now: T0, limit: 1 });
    const completed = addJob(db, 2);
    claimJobs(db, { owner: 'w', leaseMs: MIN, now: T0, limit: 1 });
    completeJob(db, { jobId: completed, owner: 'w', now: T0 });
    const cancelled = addJob(db, 3);
    cancelJob(db, cancelled, T0);

    for (const [id, status] of [
      [processing, 'processing'],
      [completed, 'completed'],
      [cancelled, 'cancelled'],
    ] as const) {
      const error = errorOf(() => retryJob(db, id, T0 + 1));
      expect(error).toBeInstanceOf(JobConflictError);
      expect(error).toBeInstanceOf(ConsoleApiError);
      expect((error as JobConflictError).code).toBe('conflict');
      expect((error as JobConflictError).message).toContain(status);
      expect(readJob(db, id)?.status).toBe(status);
    }
    const missing = errorOf(() => retryJob(db, 999, T0));
    expect(missing).toBeInstanceOf(JobNotFoundError);
    expect((missing as JobNotFoundError).code).toBe('not_found');
  });

  it('retries every failed job at once and says how many', () => {
    const { db } = openTempDb();
    const a = addJob(db, 1);
    const b = addJob(db, 2);
    const untouched = addJob(db, 3, { runAfter: T0 + 10 * MIN });
    for (const id of [a, b]) {
      claimJobs(db, { owner: 'w', leaseMs: MIN, now: T0, limit: 1 });
      failJob(db, {
        jobId: id,
        owner: 'w',
        now: T0,
        verdict: { kind: 'permanent' },
        error: 'HTTP 400',
        backoffMs: DEFAULT_BACKOFF_MS,
      });
    }
    expect(retryAllFailed(db, T0 + MIN)).toBe(2);
    expect(readJob(db, a)).toMatchObject({ status: 'pending', runAfter: T0 + MIN, attempts: 0 });
    expect(readJob(db, untouched)).toMatchObject({ status: 'pending', runAfter: T0 + 10 * MIN });
    expect(retryAllFailed(db, T0 + MIN)).toBe(0);
  });
});

describe('cancel', () => {
  it('cancels pending and failed jobs, which are never claimed afterwards', () => {
    const { db } = openTempDb();
    const failed = addJob(db, 1);
    claimJobs(db, { owner: 'w', leaseMs: MIN, now: T0, limit: 1 });
    failJob(db, {
      jobId: failed,
      owner: 'w',
      now: T0,
      verdict: { kind: 'permanent' },
      error: 'HTTP 404',
      backoffMs: DEFAULT_BACKOFF_MS,
    });
    const pending = addJob(db, 2);

    cancelJob(db, pending, T0 + 1);
    cancelJob(db, failed, T0 + 1);
    expect(readJob(db, pending)?.status).toBe('cancelled');
    expect(readJob(db, failed)?.status).toBe('cancelled');
    expect(claimJobs(db, { owner: 'w', leaseMs: MIN, now: T0 + 365 * 24 * 60 * MIN, limit: 10 })).toEqual([]);
    expect(retryAllFailed(db, T0 + 2)).toBe(0);
  });

  it('refuses processing, completed and cancelled jobs', () => {
    const { db } = openTempDb();
    const processing = addJob(db, 1);
    claimJobs(db, { owner: 'w', leaseMs: MIN, now: T0, limit: 1 });
    const cancelled = addJob(db, 2);
    cancelJob(db, cancelled, T0);
    for (const id of [processing, cancelled])
      expect(errorOf(() => cancelJob(db, id, T0))).toBeInstanceOf(JobConflictError);
    expect(readJob(db, processing)?.status).toBe('processing');
    expect(errorOf(() => cancelJob(db, 12345, T0))).toBeInstanceOf(JobNotFoundError);
  });
});
