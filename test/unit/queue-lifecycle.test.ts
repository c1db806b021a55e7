import { describe, expect, it } from 'vitest';
import { jobDetailSchema } from '../../src/shared/jobs';
import { claimJobs, nextDueAt } from '../../src/main/engine/sync/claim-jobs';
import { completeJob, completeJobs } from '../../src/main/engine/sync/complete-job';
import { enqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import type { NewJob } from '../../src/main/engine/sync/enqueue-jobs';
import { failJob } from '../../src/main/engine/sync/fail-job';
import type { FailureVerdict } from '../../src/main/engine/sync/fail-job';
import { getJobDetail } from '../../src/main/engine/sync/job-detail';
import { readJob } from '../helpers/read-job';
import { ATTEMPT_HISTORY_LIMIT } from '../../src/main/engine/sync/record-attempt';
import { releaseExpiredLeases, releaseOwnedLeases } from '../../src/main/engine/sync/release-leases';
import { DEFAULT_BACKOFF_MS } from '../../src/main/engine/sync/retry-schedule';
import type { Database } from '../../src/main/engine/sync/database';
import { openTempDb } from '../helpers/temp-db';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const LEASE = 2 * MIN;

function newJob(i: number, overrides: Partial<NewJob> = {}): NewJob {
  return {
    eventId: `evt-${i}`,
    type: 'booked',
    applicationId: `APP-${i}`,
    entityType: 'booking',
    entityId: '0b6f3c7e-6c1e-4f3b-9a59-5a1f7f2b8c11',
    payload: JSON.stringify({ eventId: `evt-${i}` }),
    noteText: `Interview scheduled: note ${i}`,
    idempotencyKey: `sched-APP-${i}-00000000-2026-01-15`,
    maxAttempts: 5,
    runAfter: T0,
    ...overrides,
  };
}

function addJobs(db: Database, count: number, overrides: Partial<NewJob> = {}): number[] {
  return enqueueJobs(
    db,
    Array.from({ length: count }, (_, i) => newJob(i + 1, overrides)),
    T0,
  ).map((r) => r.jobId);
}

function claimOne(db: Database, owner: string, now: number) {
  const [job] = claimJobs(db, { owner, leaseMs: LEASE, now, limit: 1 });
  return job;
}

function fail(
  db: Database,
  jobId: number,
  owner: string,
  now: number,
  verdict: FailureVerdict,
  error: string | null = 'HTTP 503',
) {
  return failJob(db, { jobId, owner, now, verdict, error, backoffMs: DEFAULT_BACKOFF_MS });
}

describe('claim', () => {
  it('leases due jobs oldest-due first, up to the limit, and never the same job twice', () => {
    const { db } = openTempDb();
    enqueueJobs(
      db,
      [newJob(1, { runAfter: T0 + 3 }), newJob(2, { runAfter: T0 + 1 }), newJob(3, { runAfter: T0 + 2 })],
      T0,
    );
    const first = claimJobs(db, { owner: 'w1', leaseMs: LEASE, now: T0 + 10, limit: 2 });
    expect(first.map((j) => j.eventId)).toEqual(['evt-2', 'evt-3']);
    expect(first[0]).toMatchObject({
      applicationId: 'APP-2',
      noteText: 'Interview scheduled: note 2',
      attempts: 0,
      initialFailed: false,
      leaseExpiresAt: T0 + 10 + LEASE,
    });
    const second = claimJobs(db, { owner: 'w2', leaseMs: LEASE, now: T0 + 10, limit: 10 });
    expect(second.map((j) => j.eventId)).toEqual(['evt-1']);
    expect(claimJobs(db, { owner: 'w3', leaseMs: LEASE, now: T0 + 10, limit: 10 })).toEqual([]);
    expect(readJob(db, first[0]!.id)).toMatchObject({ status: 'processing', leaseOwner: 'w1' });
  });

  it('does not take a job before its run_after and reports when the next one is due', () => {
    const { db } = openTempDb();
    expect(nextDueAt(db)).toBeNull();
    addJobs(db, 1, { runAfter: T0 + 5 * MIN });
    expect(claimJobs(db, { owner: 'w1', leaseMs: LEASE, now: T0 + 5 * MIN - 1, limit: 5 })).toEqual([]);
    expect(nextDueAt(db)).toBe(T0 + 5 * MIN);
    expect(claimJobs(db, { owner: 'w1', leaseMs: LEASE, now: T0 + 5 * MIN, limit: 5 })).toHaveLength(1);
    expect(nextDueAt(db)).toBeNull();
  });
});

describe('complete', () => {
  it('completes a leased job and records the try', () => {
    const { db } = openTempDb();
    const [id] = addJobs(db, 1);
    claimOne(db, 'w1', T0);
    const applied = completeJob(db, {
      jobId: id!,
      owner: 'w1',
      now: T0 + 500,
      attempt: { at: T0, label: 'initial', outcome: 'success', statusCode: 201, latencyMs: 480, error: null },
    });
    expect(applied).toBe(true);
    const detail = jobDetailSchema.parse(getJobDetail(db, id!));
    expect(detail).toMatchObject({
      status: 'completed',
      completedAt: new Date(T0 + 500).toISOString(),
      leaseExpiresAt: null,
      runAfter: null,
    });
    expect(detail.history).toEqual([
      {
        at: new Date(T0).toISOString(),
        label: 'initial',
        outcome: 'success',
        statusCode: 201,
        latencyMs: 480,
        error: null,
      },
    ]);
  });

  it('a stale worker cannot complete or fail a job another worker has re-claimed', () => {
    const { db } = openTempDb();
    const [id] = addJobs(db, 1);
    claimOne(db, 'stale', T0);
    // The stale worker hangs past its lease; the sweep frees the job and another worker takes it.
    expect(releaseExpiredLeases(db, T0 + LEASE)).toEqual([id]);
    expect(claimOne(db, 'fresh', T0 + LEASE)?.id).toBe(id);

    expect(completeJob(db, { jobId: id!, owner: 'stale', now: T0 + LEASE + 1 })).toBe(false);
    expect(fail(db, id!, 'stale', T0 + LEASE + 1, { kind: 'permanent' }).applied).toBe(false);
    expect(readJob(db, id!)).toMatchObject({ status: 'processing', leaseOwner: 'fresh', attempts: 0, lastError: null });

    expect(completeJob(db, { jobId: id!, owner: 'fresh', now: T0 + LEASE + 2 })).toBe(true);
    expect(readJob(db, id!)?.status).toBe('completed');
    // Completing twice changes nothing.
    expect(completeJob(db, { jobId: id!, owner: 'fresh', now: T0 + LEASE + 3 })).toBe(false);
  });

  it('completes a batch in one call and reports which still held their lease', () => {
    const { db } = openTempDb();
    const ids = addJobs(db, 3);
    claimJobs(db, { owner: 'w1', leaseMs: LEASE, now: T0, limit: 3 });
    expect(
      completeJobs(
        db,
        ids.map((jobId, i) => ({ jobId, owner: i === 1 ? 'other' : 'w1', now: T0 + 1 })),
      ),
    ).toEqual([true, false, true]);
  });
});

describe('failed tries', () => {
  it('follows 1, 5, 15, 30, 60 minutes and fails after 5 failed retries; attempts counts retries', () => {
    const { db } = openTempDb();
    const [id] = addJobs(db, 1);
    let now = T0;
    const seen: { attempts: number; waitMin: number | null; status: string | null }[] = [];
    for (;;) {
      const job = claimOne(db, 'w1', now);
      expect(job?.id).toBe(id);
      const result = fail(db, id!, 'w1', now, { kind: 'retryable' }, `HTTP 503 at ${now}`);
      seen.push({
        attempts: result.attempts!,
        waitMin: result.runAfter === null ? null : (result.runAfter - now) / MIN,
        status: result.status,
      });
      if (result.status === 'failed') break;
      // Not a millisecond early.
      expect(claimJobs(db, { owner: 'w1', leaseMs: LEASE, now: result.runAfter! - 1, limit: 1 })).toEqual([]);
      now = result.runAfter!;
    }
    expect(seen).toEqual([
      { attempts: 0, waitMin: 1, status: 'pending' },
      { attempts: 1, waitMin: 5, status: 'pending' },
      { attempts: 2, waitMin: 15, status: 'pending' },
      { attempts: 3, waitMin: 30, status: 'pending' },
      { attempts: 4, waitMin: 60, status: 'pending' },
      { attempts: 5, waitMin: null, status: 'failed' },
    ]);
    expect(readJob(db, id!)).toMatchObject({
      status: 'failed',
      attempts: 5,
      lastError: `HTTP 503 at ${now}`,
      leaseOwner: null,
    });
  });

  it('fails at once on a non-retryable error', () => {
    const { db } = openTempDb();
    const [id] = addJobs(db, 1);
    claimOne(db, 'w1', T0);
    expect(fail(db, id!, 'w1', T0, { kind: 'permanent' }, 'HTTP 404: application not found')).toEqual({
      applied: true,
      status: 'failed',
      attempts: 0,
      runAfter: null,
    });
    expect(readJob(db, id!)).toMatchObject({ status: 'failed', lastError: 'HTTP 404: application not found' });
  });

  it('a 429 (or open circuit) waits without spending a retry or touching the initial/retry state', () => {
    const { db } = openTempDb();
    const [id] = addJobs(db, 1);
    // Initial write is rate limited, several times: still the initial write afterwards.
    let now = T0;
    for (let i = 0; i < 3; i++) {
      claimOne(db, 'w1', now);
      const r = fail(db, id!, 'w1', now, { kind: 'wait', waitMs: 30_000 }, 'HTTP 429');
      expect(r).toEqual({ applied: true, status: 'pending', attempts: 0, runAfter: now + 30_000 });
      now += 30_000;
    }
    expect(readJob(db, id!)).toMatchObject({ attempts: 0, initialFailed: false });

    // After one real failure and one retry failure, a 429 keeps attempts at 1.
    claimOne(db, 'w1', now);
    fail(db, id!, 'w1', now, { kind: 'retryable' });
    now += MIN;
    claimOne(db, 'w1', now);
    fail(db, id!, 'w1', now, { kind: 'retryable' });
    now += 5 * MIN;
    claimOne(db, 'w1', now);
    fail(db, id!, 'w1', now, { kind: 'wait', waitMs: 1000 }, 'circuit open');
    expect(readJob(db, id!)).toMatchObject({
      status: 'pending',
      attempts: 1,
      initialFailed: true,
      runAfter: now + 1000,
      lastError: 'circuit open',
    });
    // A release without a message (shutdown) keeps the last error on show.
    claimOne(db, 'w1', now + 1000);
    fail(db, id!, 'w1', now + 1000, { kind: 'wait', waitMs: 0 }, null);
    expect(readJob(db, id!)).toMatchObject({
      status: 'pending',
      attempts: 1,
      runAfter: now + 1000,
      lastError: 'circuit open',
    });
    // The next retryable failure is retry 2: it waits 15 minutes.
    claimOne(db, 'w1', now + 1000);
    expect(fail(db, id!, 'w1', now + 1000, { kind: 'retryable' })).toMatchObject({
      attempts: 2,
      runAfter: now + 1000 + 15 * MIN,
    });
  });

  it('keeps only the newest tries in a job history', () => {
    const { db } = openTempDb();
    const [id] = addJobs(db, 1);
    let now = T0;
    for (let i = 0; i < ATTEMPT_HISTORY_LIMIT + 10; i++) {
      claimOne(db, 'w1', now);
      failJob(db, {
        jobId: id!,
        owner: 'w1',
        now,
        verdict: { kind: 'wait', waitMs: 1 },
        error: `429 #${i}`,
        backoffMs: DEFAULT_BACKOFF_MS,
        attempt: {
          at: now,
          label: 'initial',
          outcome: 'rate_limited',
          statusCode: 429,
          latencyMs: 3,
          error: `429 #${i}`,
        },
      });
      now += 1;
    }
    const history = getJobDetail(db, id!).history;
    expect(history).toHaveLength(ATTEMPT_HISTORY_LIMIT);
    expect(history[0]?.error).toBe('429 #10');
    expect(history.at(-1)?.error).toBe(`429 #${ATTEMPT_HISTORY_LIMIT + 9}`);
  });
});

describe('leases', () => {
  it('crash recovery: an expired lease makes the job pending and due again, without spending a retry', () => {
    const { db } = openTempDb();
    const [a, b] = addJobs(db, 2);
    claimJobs(db, { owner: 'crashed', leaseMs: LEASE, now: T0, limit: 2 });
    expect(releaseExpiredLeases(db, T0 + LEASE - 1)).toEqual([]);
    expect(claimJobs(db, { owner: 'w2', leaseMs: LEASE, now: T0 + LEASE - 1, limit: 5 })).toEqual([]);

    expect(releaseExpiredLeases(db, T0 + LEASE)).toEqual([a, b]);
    expect(readJob(db, a!)).toMatchObject({
      status: 'pending',
      runAfter: T0 + LEASE,
      attempts: 0,
      initialFailed: false,
      leaseOwner: null,
    });
    // Nobody knows whether the crashed call reached iCIMS: the job is in doubt.
    expect(getJobDetail(db, a!).history.map((h) => h.outcome)).toEqual(['in_doubt']);
    expect(getJobDetail(db, a!).inDoubt).toBe(true);
    const again = claimJobs(db, { owner: 'w2', leaseMs: LEASE, now: T0 + LEASE, limit: 5 });
    expect(again.map((j) => j.id)).toEqual([a, b]);
    expect(again[0]?.idempotencyKey).toBe('sched-APP-1-00000000-2026-01-15');
  });

  it('graceful shutdown releases only the jobs this owner holds', () => {
    const { db } = openTempDb();
    const [a, b] = addJobs(db, 2);
    claimOne(db, 'me', T0);
    claimOne(db, 'someone-else', T0);
    expect(releaseOwnedLeases(db, 'me', T0 + 10)).toEqual([a]);
    expect(readJob(db, a!)).toMatchObject({ status: 'pending', runAfter: T0 + 10 });
    expect(readJob(db, b!)).toMatchObject({ status: 'processing', leaseOwner: 'someone-else' });
  });
});
