import { describe, expect, it } from 'vitest';
import type { RecentFailure } from '../../src/shared/ops-snapshot';
import { groupRecentFailures } from '../../src/renderer/src/pages/dashboard/failure-groups';

/** The dashboard's Recent failures: one line per failing job attempt, not one per HTTP retry. */

const failure = (overrides: Partial<RecentFailure> = {}): RecentFailure => ({
  at: '2026-01-15T10:00:03Z',
  operation: 'addApplicationNote',
  statusCode: 503,
  error: '503 Service Unavailable',
  jobId: 7,
  applicationId: 'APP-1',
  ...overrides,
});

describe('recent failure groups', () => {
  it('folds neighbouring identical failures of one job into one entry with a count, keeping the newest time', () => {
    const groups = groupRecentFailures([
      failure(),
      failure({ at: '2026-01-15T10:00:02Z' }),
      failure({ at: '2026-01-15T10:00:01Z' }),
    ]);
    expect(groups).toEqual([{ ...failure(), count: 3 }]);
  });

  it('keeps failures of other jobs, statuses or errors apart, and the order newest first', () => {
    const list = [
      failure({ statusCode: 429, error: '429 Too Many Requests', jobId: 9 }),
      failure(),
      failure({ error: '502 Bad Gateway', statusCode: 502 }),
      failure({ jobId: 8, applicationId: 'APP-2' }),
      failure(),
    ];
    expect(groupRecentFailures(list).map((g) => [g.jobId, g.statusCode, g.count])).toEqual([
      [9, 429, 1],
      [7, 503, 1],
      [7, 502, 1],
      [8, 503, 1],
      [7, 503, 1],
    ]);
  });

  it('calls with no job (a token request) group by what failed', () => {
    const token = failure({
      operation: 'token',
      jobId: null,
      applicationId: null,
      statusCode: null,
      error: 'connection refused',
    });
    expect(groupRecentFailures([token, token]).map((g) => g.count)).toEqual([2]);
    expect(groupRecentFailures([])).toEqual([]);
  });
});
