import { describe, expect, it } from 'vitest';
import { cancelJob } from '../../src/main/engine/sync/cancel-job';
import { claimJobs, nextDueAt } from '../../src/main/engine/sync/claim-jobs';
import { completeJob } from '../../src/main/engine/sync/complete-job';
import { enqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import { failJob } from '../../src/main/engine/sync/fail-job';
import { newJob } from '../fixtures/new-job';
import { openTempDb } from '../helpers/temp-db';

const T0 = Date.parse('2026-01-15T12:00:00Z');
const LEASE = 60_000;

const claimIds = (db: ReturnType<typeof openTempDb>['db'], now = T0) =>
  claimJobs(db, { owner: 'w', leaseMs: LEASE, now, limit: 50 }).map((job) => job.eventId);

describe('notes of one application are written in event order', () => {
  it('a job waits while an earlier event of its application is pending or processing; other applications do not wait', () => {
    const { db } = openTempDb();
    enqueueJobs(
      db,
      [
        // Arrived first, happened last.
        newJob('cancel', { applicationId: 'APP-A', occurredAt: T0 - 1_000, runAfter: T0 }),
        newJob('book', { applicationId: 'APP-A', occurredAt: T0 - 3_000, runAfter: T0 }),
        newJob('resched', { applicationId: 'APP-A', occurredAt: T0 - 2_000, runAfter: T0 }),
        newJob('other', { applicationId: 'APP-B', occurredAt: T0 - 500, runAfter: T0 }),
      ],
      T0,
    );
    expect(claimIds(db)).toEqual(['evt-book', 'evt-other']);
    // Processing holds the rest back too.
    expect(claimIds(db)).toEqual([]);
    expect(nextDueAt(db)).toBeNull();
    completeJob(db, { jobId: 2, owner: 'w', now: T0 });
    expect(claimIds(db)).toEqual(['evt-resched']);
  });

  it('the same time breaks ties by arrival', () => {
    const { db } = openTempDb();
    enqueueJobs(
      db,
      ['first', 'second', 'third'].map((k) => newJob(k, { applicationId: 'APP-T', occurredAt: T0, runAfter: T0 })),
      T0,
    );
    expect(claimIds(db)).toEqual(['evt-first']);
    completeJob(db, { jobId: 1, owner: 'w', now: T0 });
    expect(claimIds(db)).toEqual(['evt-second']);
  });

  it('an earlier job waiting for its retry holds later ones until it is due; failed or cancelled ones hold nothing', () => {
    const { db } = openTempDb();
    enqueueJobs(
      db,
      ['a', 'b', 'c'].map((k, i) => newJob(k, { applicationId: 'APP-R', occurredAt: T0 + i, runAfter: T0 })),
      T0,
    );
    expect(claimIds(db)).toEqual(['evt-a']);
    failJob(db, { jobId: 1, owner: 'w', now: T0, verdict: { kind: 'retryable' }, error: '503', backoffMs: [60_000] });
    // The retry is not due yet, and b waits behind it: nothing to do until then.
    expect(claimIds(db)).toEqual([]);
    expect(nextDueAt(db)).toBe(T0 + 60_000);
    expect(claimIds(db, T0 + 60_000)).toEqual(['evt-a']);
    failJob(db, {
      jobId: 1,
      owner: 'w',
      now: T0 + 60_000,
      verdict: { kind: 'permanent' },
      error: '400',
      backoffMs: [],
    });
    expect(claimIds(db, T0 + 60_000)).toEqual(['evt-b']);
    cancelJob(db, 3, T0 + 60_000);
    completeJob(db, { jobId: 2, owner: 'w', now: T0 + 60_000 });
    expect(claimIds(db, T0 + 60_000)).toEqual([]);
  });
});
