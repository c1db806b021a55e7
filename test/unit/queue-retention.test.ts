import { describe, expect, it } from 'vitest';
import { cancelJob } from '../../src/main/engine/sync/cancel-job';
import { claimJobs } from '../../src/main/engine/sync/claim-jobs';
import { completeJob } from '../../src/main/engine/sync/complete-job';
import { pointQueueAt } from '../../src/main/engine/sync/destination';
import { enqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import { failJob } from '../../src/main/engine/sync/fail-job';
import { countJobs } from '../../src/main/engine/sync/job-counts';
import { getJobDetail } from '../../src/main/engine/sync/job-detail';
import { listJobs } from '../../src/main/engine/sync/list-jobs';
import { applicationTimeline } from '../../src/main/engine/sync/application-timeline';
import { pruneJobs } from '../../src/main/engine/sync/prune-jobs';
import { JobNotFoundError } from '../../src/main/engine/sync/queue-errors';
import { releaseExpiredLeases } from '../../src/main/engine/sync/release-leases';
import { newJob } from '../fixtures/new-job';
import { openTempDb } from '../helpers/temp-db';

const T0 = Date.parse('2026-01-15T12:00:00Z');
const DAY = 86_400_000;
const LEASE = 60_000;
const PAYLOAD = '{"candidateName":"John Doe","interviewerEmail":"interviewer@company.com"}';

type Db = ReturnType<typeof openTempDb>['db'];

/** Stores one job per key at `now`; returns their ids in order. */
function store(db: Db, keys: readonly string[], now: number, payload = PAYLOAD): number[] {
  return enqueueJobs(
    db,
    keys.map((key) => newJob(key, { runAfter: now, payload })),
    now,
  ).map((job) => job.jobId);
}

/** Claims every due job and completes each at `now`. */
function completeAll(db: Db, now: number): void {
  for (const job of claimJobs(db, { owner: 'w', leaseMs: LEASE, now, limit: 1000 }))
    completeJob(db, { jobId: job.id, owner: 'w', now });
}

const tombstones = (db: Db) =>
  db.prepare('SELECT event_id, job_id, status, pruned_at FROM event_tombstones ORDER BY job_id').all();
const attemptRows = (db: Db, jobId: number) =>
  db.prepare('SELECT count(*) FROM job_attempts WHERE job_id = ?').pluck().get(jobId);

describe('queue retention (SQLite)', () => {
  it('prunes completed and cancelled jobs past 30 days with their tries, payload and note; leaves tombstones; keeps open, failed and held jobs', () => {
    const { db } = openTempDb();
    // Made for this iCIMS ('A'), except `held`: switching to A sets it aside.
    const [done, retried, cancelled, failed, held, pending] = enqueueJobs(
      db,
      ['done', 'retried', 'cancelled', 'failed', 'held', 'pending'].map((key) =>
        newJob(key, { runAfter: T0, payload: PAYLOAD, destination: key === 'held' ? 'B' : 'A' }),
      ),
      T0,
    ).map((job) => job.jobId);
    pointQueueAt(db, 'A', T0);
    cancelJob(db, cancelled!, T0);
    const claimed = claimJobs(db, { owner: 'w', leaseMs: LEASE, now: T0, limit: 10, destination: 'A' });
    expect(claimed.map((job) => job.id)).toEqual([done, retried, failed, pending]);
    completeJob(db, { jobId: done!, owner: 'w', now: T0 });
    // `retried` failed once before it was written: a job_attempts row of its own.
    failJob(db, {
      jobId: retried!,
      owner: 'w',
      now: T0,
      verdict: { kind: 'retryable' },
      error: 'HTTP 503',
      backoffMs: [0],
      attempt: {
        at: T0,
        label: 'initial',
        outcome: 'retryable_failure',
        statusCode: 503,
        latencyMs: 20,
        error: 'HTTP 503',
      },
    });
    failJob(db, {
      jobId: failed!,
      owner: 'w',
      now: T0,
      verdict: { kind: 'permanent' },
      error: 'HTTP 404',
      backoffMs: [0],
      attempt: {
        at: T0,
        label: 'initial',
        outcome: 'permanent_failure',
        statusCode: 404,
        latencyMs: 20,
        error: 'HTTP 404',
      },
    });
    // `pending` stays processing until its lease runs out: back to pending.
    releaseExpiredLeases(db, T0 + LEASE + 1);
    expect(
      claimJobs(db, { owner: 'w', leaseMs: LEASE, now: T0 + LEASE + 1, limit: 1, destination: 'A' }).map((j) => j.id),
    ).toEqual([retried]);
    completeJob(db, { jobId: retried!, owner: 'w', now: T0 + LEASE + 1 });
    expect(attemptRows(db, retried!)).toBe(1);
    expect(countJobs(db)).toMatchObject({ completed: 2, cancelled: 1, failed: 1, held: 1, pending: 1 });

    // 30 days is not past the horizon yet.
    expect(pruneJobs(db, T0 + 30 * DAY - 1)).toEqual({ jobs: 0, tombstones: 0 });

    const pruneAt = T0 + 31 * DAY;
    expect(pruneJobs(db, pruneAt)).toEqual({ jobs: 3, tombstones: 0 });
    expect(listJobs(db).jobs.map((job) => job.id)).toEqual([pending, held, failed]);
    expect(countJobs(db)).toMatchObject({ completed: 0, cancelled: 0, failed: 1, held: 1, pending: 1 });
    expect(tombstones(db)).toEqual([
      { event_id: 'evt-done', job_id: done, status: 'completed', pruned_at: pruneAt },
      { event_id: 'evt-retried', job_id: retried, status: 'completed', pruned_at: pruneAt },
      { event_id: 'evt-cancelled', job_id: cancelled, status: 'cancelled', pruned_at: pruneAt },
    ]);
    // The candidate's name (in the payload) and the note text went with the row; so did the tries.
    expect(
      db.prepare('SELECT count(*) FROM sync_jobs WHERE id IN (?, ?, ?)').pluck().get(done, retried, cancelled),
    ).toBe(0);
    expect(attemptRows(db, retried!)).toBe(0);
    expect(attemptRows(db, failed!)).toBe(1);
    const stored = JSON.stringify(db.prepare('SELECT * FROM event_tombstones').all());
    expect(stored).not.toContain('John Doe');
    expect(stored).not.toContain('note done');

    // Nothing else goes however long it waits.
    expect(pruneJobs(db, T0 + 399 * DAY)).toEqual({ jobs: 0, tombstones: 0 });
    expect(countJobs(db)).toMatchObject({ failed: 1, held: 1, pending: 1 });

    // A job pruned is gone for the job detail, list and timeline alike, and nothing else breaks.
    expect(() => getJobDetail(db, done!)).toThrow(JobNotFoundError);
    expect(applicationTimeline(db, 'APP-done').events).toEqual([]);
    expect(applicationTimeline(db, 'APP-failed').events.map((e) => e.jobId)).toEqual([failed]);
  });

  it('a cancelled job counts from its cancellation, a completed one from its completion', () => {
    const { db } = openTempDb();
    const [late, cancelledLate] = store(db, ['late', 'cancelled-late'], T0);
    cancelJob(db, cancelledLate!, T0 + 10 * DAY);
    completeAll(db, T0 + 10 * DAY);
    expect(pruneJobs(db, T0 + 31 * DAY)).toEqual({ jobs: 0, tombstones: 0 });
    expect(pruneJobs(db, T0 + 41 * DAY)).toEqual({ jobs: 2, tombstones: 0 });
    expect(tombstones(db).map((t) => (t as { job_id: number }).job_id)).toEqual([late, cancelledLate]);
  });

  it('a re-sent event id after pruning is a duplicate of the old job and creates nothing, alone or in a batch', () => {
    const { db } = openTempDb();
    const [old] = store(db, ['old'], T0);
    completeAll(db, T0);
    pruneJobs(db, T0 + 31 * DAY);
    const later = T0 + 32 * DAY;

    expect(enqueueJobs(db, [newJob('old', { runAfter: later })], later)).toEqual([
      { eventId: 'evt-old', jobId: old, duplicate: true },
    ]);
    const batch = enqueueJobs(
      db,
      [newJob('new', { runAfter: later }), newJob('old', { runAfter: later }), newJob('old', { runAfter: later })],
      later,
    );
    expect(batch[0]).toMatchObject({ eventId: 'evt-new', duplicate: false });
    expect(batch.slice(1)).toEqual([
      { eventId: 'evt-old', jobId: old, duplicate: true },
      { eventId: 'evt-old', jobId: old, duplicate: true },
    ]);
    // Only the new event is a job, and the worker finds nothing else to write.
    expect(listJobs(db).jobs.map((job) => job.eventId)).toEqual(['evt-new']);
    expect(claimJobs(db, { owner: 'w', leaseMs: LEASE, now: later, limit: 10 }).map((j) => j.eventId)).toEqual([
      'evt-new',
    ]);
  });

  it('prunes tombstones after 400 days; the event id is then new again', () => {
    const { db } = openTempDb();
    store(db, ['old'], T0);
    completeAll(db, T0);
    const prunedAt = T0 + 31 * DAY;
    pruneJobs(db, prunedAt);
    expect(pruneJobs(db, prunedAt + 400 * DAY)).toEqual({ jobs: 0, tombstones: 0 });
    expect(enqueueJobs(db, [newJob('old', { runAfter: prunedAt })], prunedAt + 400 * DAY)[0]?.duplicate).toBe(true);
    expect(pruneJobs(db, prunedAt + 400 * DAY + 1)).toEqual({ jobs: 0, tombstones: 1 });
    expect(tombstones(db)).toEqual([]);
    expect(enqueueJobs(db, [newJob('old', { runAfter: T0 })], prunedAt + 401 * DAY)[0]?.duplicate).toBe(false);
  });

  it('works in batches until nothing past the horizon is left', () => {
    const { db } = openTempDb();
    const keys = Array.from({ length: 25 }, (_, i) => `k${i}`);
    store(db, keys, T0);
    completeAll(db, T0);
    expect(pruneJobs(db, T0 + 31 * DAY, 10)).toEqual({ jobs: 25, tombstones: 0 });
    expect(countJobs(db).completed).toBe(0);
    expect(tombstones(db)).toHaveLength(25);
    expect(pruneJobs(db, T0 + 432 * DAY, 10)).toEqual({ jobs: 0, tombstones: 25 });
  });
});
