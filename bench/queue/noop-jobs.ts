import { randomUUID } from 'node:crypto';
import type { NewJob } from '../../src/main/engine/sync/enqueue-jobs';

/** What every contender's queue measurement returns. */
export interface QueueRun {
  jobs: number;
  /** Jobs / (enqueue + drain) seconds: the figure compared across contenders. */
  jobsPerSec: number;
  enqueueMs: number;
  drainMs: number;
  /** Anything contender-specific worth keeping (batch sizes, transactions, …). */
  extra?: Record<string, number | string>;
}

export function queueRun(jobs: number, enqueueMs: number, drainMs: number, extra?: QueueRun['extra']): QueueRun {
  return { jobs, jobsPerSec: jobs / ((enqueueMs + drainMs) / 1000), enqueueMs, drainMs, ...(extra ? { extra } : {}) };
}

/**
 * Rows shaped like the engine's real jobs (a ~300-byte payload, the note, the key), so the
 * engine's store pays for the data it really keeps; peers get the same payload as their job data.
 */
export function noopJobs(count: number, now: number, first = 0): NewJob[] {
  const entityId = randomUUID();
  return Array.from({ length: count }, (_, k) => {
    const i = first + k;
    const applicationId = `APP-${100000 + (i % 5000)}`;
    const eventId = `bench-${now}-${i}`;
    const noteText = `Interview scheduled: 2026-01-16 at 2:00 PM EST with interviewer${i % 50}@company.com`;
    return {
      eventId,
      type: 'booked',
      applicationId,
      entityType: 'booking',
      entityId,
      payload: JSON.stringify({
        eventId,
        type: 'booked',
        applicationId,
        entityType: 'booking',
        entityId,
        occurredAt: '2026-01-15T18:59:00Z',
        candidateName: 'John Doe',
        interviewerEmail: `interviewer${i % 50}@company.com`,
        startsAt: '2026-01-16T19:00:00Z',
        endsAt: '2026-01-16T19:45:00Z',
        timezone: 'America/New_York',
      }),
      noteText,
      idempotencyKey: `sched-${applicationId}-${(i % 0xffffffff).toString(16).padStart(8, '0')}-2026-01-15`,
      maxAttempts: 5,
      runAfter: now,
    };
  });
}

/**
 * The backlog in slices of `size`, built one slice at a time: timing covers only the enqueue
 * calls, and no contender's peak RSS carries a 100,000-row array it would never hold in use.
 */
export function* jobBatches(count: number, size: number, now: number): Generator<NewJob[]> {
  for (let first = 0; first < count; first += size) yield noopJobs(Math.min(size, count - first), now, first);
}

/** Sums the wall time of the calls `time` wraps. */
export function stopwatch(): {
  time<T>(work: () => T): T;
  timeAsync<T>(work: () => Promise<T>): Promise<T>;
  readonly ms: number;
} {
  let total = 0;
  return {
    time(work) {
      const start = performance.now();
      try {
        return work();
      } finally {
        total += performance.now() - start;
      }
    },
    async timeAsync(work) {
      const start = performance.now();
      try {
        return await work();
      } finally {
        total += performance.now() - start;
      }
    },
    get ms() {
      return total;
    },
  };
}
