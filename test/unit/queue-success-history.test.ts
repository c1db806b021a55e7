import { describe, expect, it } from 'vitest';
import { jobDetailSchema } from '../../src/shared/jobs';
import type { JobAttempt } from '../../src/shared/jobs';
import { claimJobs } from '../../src/main/engine/sync/claim-jobs';
import type { ClaimedJob } from '../../src/main/engine/sync/claim-jobs';
import { completeJob, completeJobs } from '../../src/main/engine/sync/complete-job';
import type { Database } from '../../src/main/engine/sync/database';
import { enqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import { failJob } from '../../src/main/engine/sync/fail-job';
import { getJobDetail } from '../../src/main/engine/sync/job-detail';
import type { AttemptRecord } from '../../src/main/engine/sync/record-attempt';
import { releaseExpiredLeases } from '../../src/main/engine/sync/release-leases';
import { retryJob } from '../../src/main/engine/sync/retry-job';
import { attemptLabel, DEFAULT_BACKOFF_MS } from '../../src/main/engine/sync/retry-schedule';
import { newJob } from '../fixtures/new-job';
import { openTempDb } from '../helpers/temp-db';

/*
 * A successful try is kept on the completed job's row instead of in job_attempts (migration 2).
 * Whatever happened before or after it, the Jobs screen's history must read exactly as it did
 * when every try was a job_attempts row: oldest first, the success where it happened.
 */

const MIN = 60_000;
const LEASE = 2 * MIN;
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

function addJob(db: Database): number {
  const [result] = enqueueJobs(
    db,
    [
      {
        eventId: 'evt-1',
        type: 'booked',
        applicationId: 'APP-1',
        entityType: 'booking',
        entityId: '0b6f3c7e-6c1e-4f3b-9a59-5a1f7f2b8c11',
        payload: '{"eventId":"evt-1"}',
        noteText: 'Interview scheduled',
        idempotencyKey: 'sched-APP-1-00000000-2026-01-15',
        maxAttempts: 5,
        runAfter: T0,
      },
    ],
    T0,
  );
  return result!.jobId;
}

function claim(db: Database, owner: string, now: number): ClaimedJob {
  const [job] = claimJobs(db, { owner, leaseMs: LEASE, now, limit: 1 });
  if (!job) throw new Error('nothing was due');
  return job;
}

/** The try as the worker reports it: labelled from the claimed job, timed from its start. */
function tried(
  job: ClaimedJob,
  at: number,
  outcome: AttemptRecord['outcome'],
  statusCode: number | null,
  latencyMs: number,
  error: string | null = null,
): AttemptRecord {
  return { at, label: attemptLabel(job), outcome, statusCode, latencyMs, error };
}

function entry(
  at: number,
  label: string,
  outcome: JobAttempt['outcome'],
  statusCode: number | null,
  latencyMs: number | null,
  error: string | null = null,
): JobAttempt {
  return { at: new Date(at).toISOString(), label, outcome, statusCode, latencyMs, error };
}

const historyOf = (db: Database, id: number) => jobDetailSchema.parse(getJobDetail(db, id)).history;
const attemptRows = (db: Database) => db.prepare<[], number>('SELECT count(*) FROM job_attempts').pluck().get();

describe('a successful try in the job history', () => {
  it('a note written at the first try shows as the initial success, with its status code and latency, and writes no history row', () => {
    const { db } = openTempDb();
    const id = addJob(db);
    const job = claim(db, 'w1', T0);
    expect(
      completeJob(db, { jobId: id, owner: 'w1', now: T0 + 481, attempt: tried(job, T0, 'success', 201, 480.6) }),
    ).toBe(true);

    expect(historyOf(db, id)).toEqual([entry(T0, 'initial', 'success', 201, 481)]);
    expect(getJobDetail(db, id)).toMatchObject({
      status: 'completed',
      completedAt: new Date(T0 + 481).toISOString(),
      lastError: null,
    });
    expect(attemptRows(db)).toBe(0);
  });

  it('after failed tries the success follows them, labelled as the retry it was', () => {
    const { db } = openTempDb();
    const id = addJob(db);
    const first = claim(db, 'w1', T0);
    failJob(db, {
      jobId: id,
      owner: 'w1',
      now: T0 + 30,
      verdict: { kind: 'retryable' },
      error: 'HTTP 503',
      backoffMs: DEFAULT_BACKOFF_MS,
      attempt: tried(first, T0, 'retryable_failure', 503, 30, 'HTTP 503'),
    });
    // The first retry is due a minute after the failure.
    const due = T0 + 30 + MIN;
    const retry = claim(db, 'w1', due);
    completeJob(db, { jobId: id, owner: 'w1', now: due + 90, attempt: tried(retry, due, 'success', 201, 90) });

    expect(historyOf(db, id)).toEqual([
      entry(T0, 'initial', 'retryable_failure', 503, 30, 'HTTP 503'),
      entry(due, 'retry 1', 'success', 201, 90),
    ]);
  });

  it('a failed job put back with Retry shows its success as the manual retry', () => {
    const { db } = openTempDb();
    const id = addJob(db);
    const first = claim(db, 'w1', T0);
    failJob(db, {
      jobId: id,
      owner: 'w1',
      now: T0 + 5,
      verdict: { kind: 'permanent' },
      error: 'HTTP 404',
      backoffMs: DEFAULT_BACKOFF_MS,
      attempt: tried(first, T0, 'permanent_failure', 404, 5, 'HTTP 404'),
    });
    retryJob(db, id, T0 + 10 * MIN);
    const manual = claim(db, 'w1', T0 + 10 * MIN);
    completeJob(db, {
      jobId: id,
      owner: 'w1',
      now: T0 + 10 * MIN + 7,
      attempt: tried(manual, T0 + 10 * MIN, 'success', 201, 7),
    });

    expect(historyOf(db, id).map((h) => [h.label, h.outcome, h.statusCode])).toEqual([
      ['initial', 'permanent_failure', 404],
      ['manual retry', 'success', 201],
    ]);
  });

  it('a completion without a recorded try shows no history, as before', () => {
    const { db } = openTempDb();
    const id = addJob(db);
    claim(db, 'w1', T0);
    completeJob(db, { jobId: id, owner: 'w1', now: T0 + 1 });
    expect(historyOf(db, id)).toEqual([]);
  });

  it('tries that come back after another worker completed the job show after its success, in the order they arrived', () => {
    const { db } = openTempDb();
    const id = addJob(db);
    const stale = claim(db, 'stale', T0);
    // The stale worker's call hangs past its lease; the sweep frees the job and another worker writes it.
    releaseExpiredLeases(db, T0 + LEASE);
    const fresh = claim(db, 'fresh', T0 + LEASE);
    expect(
      completeJob(db, {
        jobId: id,
        owner: 'fresh',
        now: T0 + LEASE + 40,
        attempt: tried(fresh, T0 + LEASE, 'success', 201, 40),
      }),
    ).toBe(true);
    // Then the stale calls return: one success (same idempotency key, so still one note), one failure.
    expect(
      completeJob(db, {
        jobId: id,
        owner: 'stale',
        now: T0 + LEASE + 50,
        attempt: tried(stale, T0, 'success', 200, LEASE + 50),
      }),
    ).toBe(false);
    const late = failJob(db, {
      jobId: id,
      owner: 'stale',
      now: T0 + LEASE + 60,
      verdict: { kind: 'retryable' },
      error: 'timeout',
      backoffMs: DEFAULT_BACKOFF_MS,
      attempt: tried(stale, T0 + 1, 'retryable_failure', null, LEASE + 59, 'timeout'),
    });
    expect(late.applied).toBe(false);

    expect(historyOf(db, id)).toEqual([
      entry(
        T0 + LEASE,
        'initial',
        'in_doubt',
        null,
        null,
        'Lease expired (the worker stopped or crashed mid-call): whether iCIMS got the note is unknown; taken up again without spending a retry.',
      ),
      entry(T0 + LEASE, 'initial', 'success', 201, 40),
      entry(T0, 'initial', 'success', 200, LEASE + 50),
      entry(T0 + 1, 'initial', 'retryable_failure', null, LEASE + 59, 'timeout'),
    ]);
    expect(getJobDetail(db, id).status).toBe('completed');
  });

  it('in a batch, a job whose lease was lost keeps its try in the history and the others show theirs', () => {
    const { db } = openTempDb();
    enqueueJobs(
      db,
      ['a', 'b'].map((k) => newJob(k, { runAfter: T0 })),
      T0,
    );
    const [a, b] = claimJobs(db, { owner: 'w1', leaseMs: LEASE, now: T0, limit: 2 });
    const applied = completeJobs(db, [
      { jobId: a!.id, owner: 'w1', now: T0 + 3, attempt: tried(a!, T0, 'success', 201, 3) },
      { jobId: b!.id, owner: 'someone-else', now: T0 + 4, attempt: tried(b!, T0, 'success', 201, 4) },
    ]);
    expect(applied).toEqual([true, false]);
    expect(historyOf(db, a!.id)).toEqual([entry(T0, 'initial', 'success', 201, 3)]);
    expect(historyOf(db, b!.id)).toEqual([entry(T0, 'initial', 'success', 201, 4)]);
    expect(getJobDetail(db, b!.id).status).toBe('processing');
  });
});
