import { describe, expect, it } from 'vitest';
import { JOB_STATUSES } from '../../src/shared/jobs';
import { canCancel, canRetry } from '../../src/renderer/src/pages/jobs/job-eligibility';

/** Which buttons a job row offers (docs/INTERFACES.md §6); the server re-checks with a 409. */

const NOW = Date.parse('2026-01-15T10:00:00Z');
const later = new Date(NOW + 60_000).toISOString();
const earlier = new Date(NOW - 1).toISOString();

describe('job eligibility', () => {
  it('Retry: a failed job, or a pending one still waiting for its backoff', () => {
    expect(canRetry({ status: 'failed', runAfter: null }, NOW)).toBe(true);
    expect(canRetry({ status: 'pending', runAfter: later }, NOW)).toBe(true);
    // Due now or queued without a wait: the worker takes it anyway.
    expect(canRetry({ status: 'pending', runAfter: earlier }, NOW)).toBe(false);
    expect(canRetry({ status: 'pending', runAfter: new Date(NOW).toISOString() }, NOW)).toBe(false);
    expect(canRetry({ status: 'pending', runAfter: null }, NOW)).toBe(false);
    for (const status of ['processing', 'completed', 'cancelled'] as const)
      expect(canRetry({ status, runAfter: later }, NOW)).toBe(false);
  });

  it('Cancel: pending, failed or held only — never a job whose call may be on the wire', () => {
    expect(JOB_STATUSES.filter((status) => canCancel({ status }))).toEqual(['pending', 'failed', 'held']);
  });

  it('a waiting job stops being retryable the moment its time comes', () => {
    const job = { status: 'pending' as const, runAfter: later };
    expect(canRetry(job, NOW + 59_999)).toBe(true);
    expect(canRetry(job, NOW + 60_000)).toBe(false);
  });
});
