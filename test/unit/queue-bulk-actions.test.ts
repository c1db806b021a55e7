import { describe, expect, it } from 'vitest';
import { cancelJobs, retryJobs } from '../../src/main/engine/sync/bulk-job-actions';
import { claimJobs } from '../../src/main/engine/sync/claim-jobs';
import { completeJob } from '../../src/main/engine/sync/complete-job';
import { pointQueueAt } from '../../src/main/engine/sync/destination';
import { enqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import { failJob } from '../../src/main/engine/sync/fail-job';
import { getJobDetail } from '../../src/main/engine/sync/job-detail';
import { newJob } from '../fixtures/new-job';
import { openTempDb } from '../helpers/temp-db';

const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);
const MIN = 60_000;

describe('actions on a selection of jobs', () => {
  it('retry moves failed and waiting jobs only; cancel skips what is done; both count what moved', () => {
    const { db } = openTempDb();
    const ids = enqueueJobs(
      db,
      [1, 2, 3, 4].map((i) => newJob(i, { runAfter: T0 + i, destination: 'here' })),
      T0,
    ).map((r) => r.jobId);
    const claim = () => claimJobs(db, { owner: 'w', leaseMs: MIN, now: T0 + 10, limit: 1, destination: 'here' })[0]!;
    const fail = (kind: 'permanent' | 'retryable') =>
      failJob(db, {
        jobId: claim().id,
        owner: 'w',
        now: T0 + 10,
        verdict: { kind },
        error: '503',
        backoffMs: [30 * MIN],
      });
    fail('permanent'); // 1: failed
    fail('retryable'); // 2: waiting 30 min
    completeJob(db, { jobId: claim().id, owner: 'w', now: T0 + 10 }); // 3: completed
    // 4 stays pending and due: nothing to retry.

    expect(retryJobs(db, ids, T0 + MIN)).toBe(2);
    expect([1, 2, 3, 4].map((n) => getJobDetail(db, ids[n - 1]!).status)).toEqual([
      'pending',
      'pending',
      'completed',
      'pending',
    ]);
    expect(getJobDetail(db, ids[1]!).runAfter).toBe(new Date(T0 + MIN).toISOString());

    pointQueueAt(db, 'elsewhere', T0 + 2 * MIN);
    // Held jobs are never retried here, but can be cancelled; the completed one is skipped.
    expect(retryJobs(db, ids, T0 + 3 * MIN)).toBe(0);
    expect(cancelJobs(db, ids, T0 + 3 * MIN)).toBe(3);
    expect(getJobDetail(db, ids[2]!).status).toBe('completed');
  });
});
