import { describe, expect, it } from 'vitest';
import { jobCountsSchema, jobDetailSchema, jobPageSchema } from '../../src/shared/jobs';
import { cancelJob } from '../../src/main/engine/sync/cancel-job';
import { claimJobs } from '../../src/main/engine/sync/claim-jobs';
import { completeJob, completeJobs } from '../../src/main/engine/sync/complete-job';
import { enqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import type { NewJob } from '../../src/main/engine/sync/enqueue-jobs';
import { failJob } from '../../src/main/engine/sync/fail-job';
import { countFinishedLast24h, countJobs, countJobsInStatus } from '../../src/main/engine/sync/job-counts';
import { getJobDetail } from '../../src/main/engine/sync/job-detail';
import { encodeCursor, listJobs } from '../../src/main/engine/sync/list-jobs';
import { InvalidCursorError, JobNotFoundError } from '../../src/main/engine/sync/queue-errors';
import { retryJob } from '../../src/main/engine/sync/retry-job';
import { DEFAULT_BACKOFF_MS } from '../../src/main/engine/sync/retry-schedule';
import type { Database } from '../../src/main/engine/sync/database';
import { newJob } from '../fixtures/new-job';
import { openTempDb } from '../helpers/temp-db';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

function job(i: number, applicationId: string, overrides: Partial<NewJob> = {}): NewJob {
  return newJob(i, {
    applicationId,
    payload: JSON.stringify({ eventId: `evt-${i}`, type: 'booked', applicationId }),
    runAfter: T0,
    ...overrides,
  });
}

function add(db: Database, from: number, count: number, applicationId = (i: number) => `APP-${i % 7}`): number[] {
  return enqueueJobs(
    db,
    Array.from({ length: count }, (_, k) => job(from + k, applicationId(from + k))),
    T0,
  ).map((r) => r.jobId);
}

/** Claims the next due job and fails it permanently at `now`. */
function failNext(db: Database, now: number): number {
  const [claimed] = claimJobs(db, { owner: 'w', leaseMs: MIN, now, limit: 1 });
  failJob(db, {
    jobId: claimed!.id,
    owner: 'w',
    now,
    verdict: { kind: 'permanent' },
    error: 'HTTP 400',
    backoffMs: DEFAULT_BACKOFF_MS,
  });
  return claimed!.id;
}

describe('job pages', () => {
  it('pages through a few thousand jobs newest first with no gaps and no repeats, even while jobs arrive', () => {
    const { db } = openTempDb();
    for (let i = 0; i < 3000; i += 500) add(db, i, 500);
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = jobPageSchema.parse(listJobs(db, { limit: 137, ...(cursor ? { cursor } : {}) }));
      seen.push(...page.jobs.map((j) => j.id));
      cursor = page.nextCursor ?? undefined;
      // Newer jobs stored mid-way must not shift later pages.
      if (pages++ === 3) add(db, 10_000, 50);
    } while (cursor);
    expect(seen).toHaveLength(3000);
    expect(new Set(seen).size).toBe(3000);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(seen[0]).toBe(3000);
    expect(pages).toBe(Math.ceil(3000 / 137));
  });

  it('filters by exact application id and by status, alone and together', () => {
    const { db } = openTempDb();
    add(db, 0, 70);
    const failedIds = [failNext(db, T0), failNext(db, T0)];
    const app3 = listJobs(db, { applicationId: 'APP-3', limit: 500 });
    expect(app3.jobs).toHaveLength(10);
    expect(app3.jobs.every((j) => j.applicationId === 'APP-3')).toBe(true);
    expect(app3.nextCursor).toBeNull();
    // Exact match, not prefix or pattern.
    expect(listJobs(db, { applicationId: 'APP-' }).jobs).toEqual([]);
    expect(listJobs(db, { applicationId: 'APP-%' }).jobs).toEqual([]);

    expect(listJobs(db, { status: 'failed' }).jobs.map((j) => j.id)).toEqual([...failedIds].reverse());
    // evt-0 (APP-0) and evt-1 (APP-1) were the ones failed.
    expect(listJobs(db, { status: 'failed', applicationId: 'APP-1' }).jobs.map((j) => j.eventId)).toEqual(['evt-1']);
    expect(listJobs(db, { status: 'completed' }).jobs).toEqual([]);
  });

  it('pages a filtered list with cursors too', () => {
    const { db } = openTempDb();
    add(db, 0, 700);
    const ids: number[] = [];
    let cursor: string | undefined;
    do {
      const page = listJobs(db, { applicationId: 'APP-5', limit: 9, ...(cursor ? { cursor } : {}) });
      ids.push(...page.jobs.map((j) => j.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(ids).toHaveLength(100);
    expect(new Set(ids).size).toBe(100);
  });

  it('shows the summary fields with ISO times and a run time only while pending', () => {
    const { db } = openTempDb();
    const [id] = add(db, 1, 1);
    const [summary] = listJobs(db).jobs;
    expect(summary).toEqual({
      id,
      eventId: 'evt-1',
      type: 'booked',
      applicationId: 'APP-1',
      status: 'pending',
      attempts: 0,
      maxAttempts: 5,
      lastError: null,
      inDoubt: false,
      runAfter: new Date(T0).toISOString(),
      createdAt: new Date(T0).toISOString(),
      updatedAt: new Date(T0).toISOString(),
      destination: null,
    });
    failNext(db, T0 + 5);
    expect(listJobs(db).jobs[0]).toMatchObject({
      status: 'failed',
      runAfter: null,
      lastError: 'HTTP 400',
      updatedAt: new Date(T0 + 5).toISOString(),
    });
  });

  it('rejects a cursor it did not hand out', () => {
    const { db } = openTempDb();
    add(db, 0, 3);
    for (const cursor of [
      'garbage',
      Buffer.from('j1:-4').toString('base64url'),
      Buffer.from('j1:1 OR 1=1').toString('base64url'),
    ]) {
      expect(() => listJobs(db, { cursor })).toThrow(InvalidCursorError);
    }
    expect(listJobs(db, { cursor: encodeCursor(2) }).jobs.map((j) => j.id)).toEqual([1]);
  });
});

describe('job counts', () => {
  it('counts every status, overall and for one application', () => {
    const { db } = openTempDb();
    add(db, 0, 14); // APP-0 … APP-6, twice each
    failNext(db, T0); // evt-0, APP-0
    const [c] = claimJobs(db, { owner: 'w', leaseMs: MIN, now: T0, limit: 1 }); // evt-1
    completeJob(db, { jobId: c!.id, owner: 'w', now: T0 });
    claimJobs(db, { owner: 'w', leaseMs: MIN, now: T0, limit: 2 }); // evt-2, evt-3 processing
    cancelJob(db, 14, T0); // evt-13, APP-6

    expect(jobCountsSchema.parse(countJobs(db))).toEqual({
      pending: 9,
      processing: 2,
      completed: 1,
      failed: 1,
      cancelled: 1,
      held: 0,
    });
    expect(countJobs(db, { applicationId: 'APP-0' })).toEqual({
      pending: 1,
      processing: 0,
      completed: 0,
      failed: 1,
      cancelled: 0,
      held: 0,
    });
    expect(countJobs(db, { applicationId: 'APP-6' })).toEqual({
      pending: 1,
      processing: 0,
      completed: 0,
      failed: 0,
      cancelled: 1,
      held: 0,
    });
    expect(countJobs(db, { applicationId: 'nobody' })).toEqual({
      pending: 0,
      processing: 0,
      completed: 0,
      failed: 0,
      cancelled: 0,
      held: 0,
    });
    expect(countJobsInStatus(db, 'processing')).toBe(2);
  });

  it('counts jobs completed and failed in the last 24 hours, exactly at the boundary', () => {
    const { db } = openTempDb();
    add(db, 0, 10);
    const complete = (count: number, at: number) => {
      const jobs = claimJobs(db, { owner: 'w', leaseMs: MIN, now: at, limit: count });
      completeJobs(
        db,
        jobs.map((j) => ({ jobId: j.id, owner: 'w', now: at })),
      );
    };
    complete(2, T0 + 30_500); // mid-minute: at the 24 h boundary below
    complete(1, T0 + 30_499); // just before it
    complete(3, T0 + 5 * HOUR);
    failNext(db, T0 + 30_499);
    const laterFailed = failNext(db, T0 + 6 * HOUR);
    const now = T0 + 30_500 + 24 * HOUR;
    expect(countFinishedLast24h(db, now)).toEqual({ completedLast24h: 5, failedLast24h: 1 });
    expect(countFinishedLast24h(db, now + 1)).toEqual({ completedLast24h: 3, failedLast24h: 1 });
    // A failed job that was retried is no longer failed.
    retryJob(db, laterFailed, T0 + 7 * HOUR);
    expect(countFinishedLast24h(db, now).failedLast24h).toBe(0);
  });
});

describe('job detail', () => {
  it('shows the note, the key, the stored event and every try, and parses against the contract schema', () => {
    const { db } = openTempDb();
    const [id] = add(db, 1, 1);
    claimJobs(db, { owner: 'w', leaseMs: MIN, now: T0, limit: 1 });
    failJob(db, {
      jobId: id!,
      owner: 'w',
      now: T0 + 100,
      verdict: { kind: 'retryable' },
      error: 'HTTP 503: Service Unavailable',
      backoffMs: DEFAULT_BACKOFF_MS,
      attempt: {
        at: T0,
        label: 'initial',
        outcome: 'retryable_failure',
        statusCode: 503,
        latencyMs: 100.4,
        error: 'HTTP 503: Service Unavailable',
      },
    });
    const detail = jobDetailSchema.parse(getJobDetail(db, id!));
    expect(detail).toMatchObject({
      id,
      status: 'pending',
      noteText: 'note 1',
      idempotencyKey: 'key-1',
      entityType: 'booking',
      entityId: '0b6f3c7e-6c1e-4f3b-9a59-5a1f7f2b8c11',
      event: { eventId: 'evt-1', type: 'booked', applicationId: 'APP-1' },
      lastError: 'HTTP 503: Service Unavailable',
      runAfter: new Date(T0 + 100 + MIN).toISOString(),
      leaseExpiresAt: null,
      completedAt: null,
    });
    expect(detail.history).toEqual([
      {
        at: new Date(T0).toISOString(),
        label: 'initial',
        outcome: 'retryable_failure',
        statusCode: 503,
        latencyMs: 100,
        error: 'HTTP 503: Service Unavailable',
      },
    ]);
    expect(() => getJobDetail(db, 4242)).toThrow(JobNotFoundError);
  });
});
