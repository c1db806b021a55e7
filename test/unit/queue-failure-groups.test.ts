import { describe, expect, it } from 'vitest';
import { failureGroupListSchema } from '../../src/shared/failure-groups';
import { claimJobs } from '../../src/main/engine/sync/claim-jobs';
import { pointQueueAt } from '../../src/main/engine/sync/destination';
import { enqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import { failJob } from '../../src/main/engine/sync/fail-job';
import type { FailureVerdict } from '../../src/main/engine/sync/fail-job';
import { cancelFailureGroup, listFailureGroups, retryFailureGroup } from '../../src/main/engine/sync/failure-groups';
import { countJobs } from '../../src/main/engine/sync/job-counts';
import type { Database } from '../../src/main/engine/sync/database';
import { newJob } from '../fixtures/new-job';
import { openTempDb } from '../helpers/temp-db';

const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);
const MIN = 60_000;

/** Stores a job for `applicationId` and fails its first try with `error` at `at`. */
function failed(db: Database, i: number, applicationId: string, error: string, verdict: FailureVerdict, at: number) {
  enqueueJobs(db, [newJob(i, { applicationId, runAfter: at })], at);
  const [job] = claimJobs(db, { owner: 'w', leaseMs: MIN, now: at, limit: 1 });
  failJob(db, { jobId: job!.id, owner: 'w', now: at, verdict, error, backoffMs: [30 * MIN] });
  return job!.id;
}

describe('failure groups', () => {
  it('groups jobs by cause with count, first and last seen, an example and advice; group actions touch exactly the group', () => {
    const { db } = openTempDb();
    const notFound = (app: string) => `404 Not Found: Application ${app} does not exist (errorCode 7)`;
    const missing = [1, 2, 3].map((i) =>
      failed(db, i, `MISSING-10${i}0`, notFound(`MISSING-10${i}0`), { kind: 'permanent' }, T0 + i * MIN),
    );
    const outage = [4, 5].map((i) =>
      failed(db, i, `APP-${i}`, '503 Service Unavailable: request 123456 failed', { kind: 'retryable' }, T0 + i * MIN),
    );

    const list = failureGroupListSchema.parse(listFailureGroups(db));
    expect(list.groups.map((g) => [g.kind, g.statusCode, g.errorCode, g.count])).toEqual([
      ['failed', 404, '7', 3],
      ['waiting', 503, null, 2],
    ]);
    const [notFoundGroup, outageGroup] = list.groups;
    expect(notFoundGroup).toMatchObject({
      cause: '404 Not Found: Application <application> does not exist (errorCode 7)',
      firstSeen: new Date(T0 + MIN).toISOString(),
      lastSeen: new Date(T0 + 3 * MIN).toISOString(),
      example: { jobId: missing[2], applicationId: 'MISSING-1030' },
      permanent: true,
    });
    expect(notFoundGroup!.meaning).toMatch(/no such application/);
    expect(outageGroup!.cause).toBe('503 Service Unavailable: request # failed');
    expect(list.failedPermanently).toBe(3);

    // Retry group sends the waiting jobs now; the 404s are untouched.
    expect(retryFailureGroup(db, outageGroup!.key, T0 + 10 * MIN)).toBe(2);
    expect(claimJobs(db, { owner: 'w', leaseMs: MIN, now: T0 + 10 * MIN, limit: 10 }).map((j) => j.id)).toEqual(outage);
    expect(cancelFailureGroup(db, notFoundGroup!.key, T0 + 11 * MIN)).toBe(3);
    expect(countJobs(db)).toMatchObject({ failed: 0, cancelled: 3, processing: 2 });
    expect(() => cancelFailureGroup(db, notFoundGroup!.key, T0 + 12 * MIN)).toThrow(/No job has this cause/);
  });

  it('held jobs form one group per destination that can be cancelled but not retried', () => {
    const { db } = openTempDb();
    pointQueueAt(db, 'mock (simulated iCIMS)', T0);
    enqueueJobs(
      db,
      [1, 2].map((i) => newJob(i, { runAfter: T0, destination: 'mock (simulated iCIMS)' })),
      T0,
    );
    pointQueueAt(db, 'https://api.icims.com', T0 + MIN);
    const [group] = listFailureGroups(db).groups;
    expect(group).toMatchObject({ kind: 'held', count: 2, destination: 'mock (simulated iCIMS)', retryable: false });
    expect(() => retryFailureGroup(db, group!.key, T0 + 2 * MIN)).toThrow(/made for another iCIMS/);
    expect(cancelFailureGroup(db, group!.key, T0 + 2 * MIN)).toBe(2);
  });
});
