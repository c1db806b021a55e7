import { describe, expect, it } from 'vitest';
import {
  afterRetryableFailure,
  attemptLabel,
  backoffDelay,
  DEFAULT_BACKOFF_MS,
} from '../../src/main/engine/sync/retry-schedule';
import type { RetryState } from '../../src/main/engine/sync/retry-schedule';

const MIN = 60_000;

describe('retry schedule (docs/INTERFACES.md §6)', () => {
  it('waits 1, 5, 15, 30, 60 minutes and fails after the fifth failed retry', () => {
    // Each row: the state before a retryable failure → what happens.
    const table: { before: RetryState; label: string; status: string; attempts: number; waitMin: number | null }[] = [
      {
        before: { attempts: 0, initialFailed: false, maxAttempts: 5 },
        label: 'initial',
        status: 'pending',
        attempts: 0,
        waitMin: 1,
      },
      {
        before: { attempts: 0, initialFailed: true, maxAttempts: 5 },
        label: 'retry 1',
        status: 'pending',
        attempts: 1,
        waitMin: 5,
      },
      {
        before: { attempts: 1, initialFailed: true, maxAttempts: 5 },
        label: 'retry 2',
        status: 'pending',
        attempts: 2,
        waitMin: 15,
      },
      {
        before: { attempts: 2, initialFailed: true, maxAttempts: 5 },
        label: 'retry 3',
        status: 'pending',
        attempts: 3,
        waitMin: 30,
      },
      {
        before: { attempts: 3, initialFailed: true, maxAttempts: 5 },
        label: 'retry 4',
        status: 'pending',
        attempts: 4,
        waitMin: 60,
      },
      {
        before: { attempts: 4, initialFailed: true, maxAttempts: 5 },
        label: 'retry 5',
        status: 'failed',
        attempts: 5,
        waitMin: null,
      },
    ];
    const now = 1_000_000;
    for (const row of table) {
      expect(attemptLabel({ ...row.before, manualRetries: 0 })).toBe(row.label);
      const next = afterRetryableFailure(row.before, DEFAULT_BACKOFF_MS, now);
      expect({ status: next.status, attempts: next.attempts, initialFailed: next.initialFailed }).toEqual({
        status: row.status,
        attempts: row.attempts,
        initialFailed: true,
      });
      if (row.waitMin !== null) expect(next.runAfter - now).toBe(row.waitMin * MIN);
    }
  });

  it('walks the whole sequence from a fresh job to failed', () => {
    let state: RetryState = { attempts: 0, initialFailed: false, maxAttempts: 5 };
    let now = 0;
    const waits: number[] = [];
    for (;;) {
      const next = afterRetryableFailure(state, DEFAULT_BACKOFF_MS, now);
      if (next.status === 'failed') break;
      waits.push((next.runAfter - now) / MIN);
      now = next.runAfter;
      state = { ...state, attempts: next.attempts, initialFailed: next.initialFailed };
    }
    expect(waits).toEqual([1, 5, 15, 30, 60]);
  });

  it('repeats the last delay when the list is shorter than the retry budget', () => {
    expect(backoffDelay([1000, 2000], 0)).toBe(1000);
    expect(backoffDelay([1000, 2000], 1)).toBe(2000);
    expect(backoffDelay([1000, 2000], 7)).toBe(2000);
    const next = afterRetryableFailure({ attempts: 3, initialFailed: true, maxAttempts: 10 }, [1000, 2000], 0);
    expect(next).toMatchObject({ status: 'pending', attempts: 4, runAfter: 2000 });
  });

  it('honours other budgets: 2 retries fail on the second failed retry, 0 retries fail on the initial write', () => {
    expect(
      afterRetryableFailure({ attempts: 1, initialFailed: true, maxAttempts: 2 }, DEFAULT_BACKOFF_MS, 0).status,
    ).toBe('failed');
    expect(
      afterRetryableFailure({ attempts: 0, initialFailed: true, maxAttempts: 2 }, DEFAULT_BACKOFF_MS, 0).status,
    ).toBe('pending');
    expect(
      afterRetryableFailure({ attempts: 0, initialFailed: false, maxAttempts: 0 }, DEFAULT_BACKOFF_MS, 0).status,
    ).toBe('failed');
  });

  it('labels the first try after a manual retry', () => {
    expect(attemptLabel({ attempts: 0, initialFailed: false, manualRetries: 1 })).toBe('manual retry');
    expect(attemptLabel({ attempts: 0, initialFailed: true, manualRetries: 1 })).toBe('retry 1');
  });
});
