import { describe, expect, it } from 'vitest';
import { cancelJob } from '../../src/main/engine/sync/cancel-job';
import { claimJobs, nextDueAt } from '../../src/main/engine/sync/claim-jobs';
import { completeJob } from '../../src/main/engine/sync/complete-job';
import { enqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import { cancelJobs, retryJobs } from '../../src/main/engine/sync/bulk-job-actions';
import { pointQueueAt } from '../../src/main/engine/sync/destination';
import { failJob } from '../../src/main/engine/sync/fail-job';
import { listFailureGroups, retryFailureGroup } from '../../src/main/engine/sync/failure-groups';
import { releaseExpiredLeases } from '../../src/main/engine/sync/release-leases';
import { retryAllFailed, retryJob } from '../../src/main/engine/sync/retry-job';
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

  // Each of these changes an application's open jobs other than at the end of its order; the
  // store must still hold every later job back until all earlier open ones are done.
  const app = (keys: string[], first = 0) =>
    keys.map((k, i) => newJob(k, { applicationId: 'APP-O', occurredAt: T0 + (first + i) * 1_000, runAfter: T0 }));
  const fail = (db: ReturnType<typeof openTempDb>['db'], jobId: number) =>
    failJob(db, { jobId, owner: 'w', now: T0, verdict: { kind: 'permanent' }, error: '400', backoffMs: [] });
  const complete = (db: ReturnType<typeof openTempDb>['db'], jobId: number) =>
    expect(completeJob(db, { jobId, owner: 'w', now: T0 })).toBe(true);

  it('an older event posted after newer ones, in a later batch, goes before those not yet taken', () => {
    const { db } = openTempDb();
    enqueueJobs(db, app(['late-1', 'late-2'], 5), T0);
    expect(claimIds(db)).toEqual(['evt-late-1']);
    // late-2 waits; now two older events arrive, one at a time, after late-1 was taken.
    enqueueJobs(db, app(['early-2'], 2), T0);
    enqueueJobs(db, app(['early-1'], 1), T0);
    // late-1 was already being written, so it holds nothing back that happened before it.
    expect(claimIds(db)).toEqual(['evt-early-1']);
    complete(db, 3 + 1);
    expect(claimIds(db)).toEqual(['evt-early-2']);
    complete(db, 3);
    expect(claimIds(db)).toEqual([]);
    complete(db, 1);
    expect(claimIds(db)).toEqual(['evt-late-2']);
    // A newer event after all that still waits its turn.
    enqueueJobs(db, app(['later'], 9), T0);
    expect(claimIds(db)).toEqual([]);
    complete(db, 2);
    expect(claimIds(db)).toEqual(['evt-later']);
  });

  it('an older event posted after a newer one that is not taken yet goes first', () => {
    const { db } = openTempDb();
    enqueueJobs(db, app(['newer'], 5), T0);
    enqueueJobs(db, app(['older'], 1), T0);
    expect(claimIds(db)).toEqual(['evt-older']);
    expect(claimIds(db)).toEqual([]);
    complete(db, 2);
    expect(claimIds(db)).toEqual(['evt-newer']);
  });

  it('a retried earlier job goes before later jobs that were waiting, and they wait for it again', () => {
    for (const retry of [
      (db: ReturnType<typeof openTempDb>['db']) => retryJob(db, 1, T0),
      (db: ReturnType<typeof openTempDb>['db']) => expect(retryJobs(db, [1], T0)).toBe(1),
      (db: ReturnType<typeof openTempDb>['db']) => expect(retryAllFailed(db, T0)).toBe(1),
      (db: ReturnType<typeof openTempDb>['db']) =>
        expect(retryFailureGroup(db, listFailureGroups(db).groups[0]!.key, T0)).toBe(1),
    ]) {
      const { db } = openTempDb();
      enqueueJobs(db, app(['a', 'b', 'c', 'd']), T0);
      expect(claimIds(db)).toEqual(['evt-a']);
      fail(db, 1);
      // b goes; c and d wait behind it.
      expect(claimIds(db)).toEqual(['evt-b']);
      retry(db);
      // a happened before b, which was already being written: a goes; c and d wait for both.
      expect(claimIds(db)).toEqual(['evt-a']);
      complete(db, 2);
      expect(claimIds(db)).toEqual([]);
      complete(db, 1);
      expect(claimIds(db)).toEqual(['evt-c']);
    }
  });

  it('a job retried before the later ones are taken goes first', () => {
    const { db } = openTempDb();
    enqueueJobs(db, app(['a', 'b']), T0);
    expect(claimIds(db)).toEqual(['evt-a']);
    fail(db, 1);
    retryJob(db, 1, T0);
    expect(claimIds(db)).toEqual(['evt-a']);
    expect(claimIds(db)).toEqual([]);
    complete(db, 1);
    expect(claimIds(db)).toEqual(['evt-b']);
  });

  it('cancelling a waiting job in the middle does not let the ones after it jump ahead', () => {
    const { db } = openTempDb();
    enqueueJobs(db, app(['a', 'b', 'c']), T0);
    expect(claimIds(db)).toEqual(['evt-a']);
    expect(cancelJobs(db, [2], T0)).toBe(1);
    expect(claimIds(db)).toEqual([]);
    complete(db, 1);
    expect(claimIds(db)).toEqual(['evt-c']);
  });

  it('a lease that expires puts the job back first in line', () => {
    const { db } = openTempDb();
    enqueueJobs(db, app(['a', 'b']), T0);
    expect(claimIds(db)).toEqual(['evt-a']);
    expect(releaseExpiredLeases(db, T0 + LEASE)).toEqual([1]);
    expect(claimIds(db, T0 + LEASE)).toEqual(['evt-a']);
    expect(claimIds(db, T0 + LEASE)).toEqual([]);
  });

  it('a job held for another iCIMS between two of this one holds nothing back, and the later one still waits for the first', () => {
    const { db } = openTempDb();
    enqueueJobs(
      db,
      app(['a', 'b', 'c']).map((job) => ({ ...job, destination: job.eventId === 'evt-b' ? 'elsewhere' : 'mock' })),
      T0,
    );
    const take = () =>
      claimJobs(db, { owner: 'w', leaseMs: LEASE, now: T0, limit: 50, destination: 'mock' }).map((job) => job.eventId);
    expect(take()).toEqual(['evt-a']);
    expect(pointQueueAt(db, 'mock', T0)).toEqual({ held: 1, released: 0 });
    expect(take()).toEqual([]);
    complete(db, 1);
    expect(take()).toEqual(['evt-c']);
  });

  it('held jobs released on a destination switch go out in event order behind the one being written', () => {
    const { db } = openTempDb();
    const here = 'mock';
    enqueueJobs(
      db,
      app(['a', 'b', 'c']).map((job) => ({ ...job, destination: here })),
      T0,
    );
    const take = () =>
      claimJobs(db, { owner: 'w', leaseMs: LEASE, now: T0, limit: 50, destination: here }).map((job) => job.eventId);
    expect(take()).toEqual(['evt-a']);
    expect(pointQueueAt(db, 'elsewhere', T0)).toEqual({ held: 2, released: 0 });
    expect(pointQueueAt(db, here, T0)).toEqual({ held: 0, released: 2 });
    expect(take()).toEqual([]);
    complete(db, 1);
    expect(take()).toEqual(['evt-b']);
    expect(take()).toEqual([]);
    complete(db, 2);
    expect(take()).toEqual(['evt-c']);
  });
});
