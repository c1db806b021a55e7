import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/main/engine/clock';
import type { IcimsClient } from '../../src/main/engine/icims/icims-client';
import { silentLogger } from '../../src/main/engine/logger';
import { ClaimSizer, MAX_CLAIM } from '../../src/main/engine/sync/claim-sizer';
import { claimJobs } from '../../src/main/engine/sync/claim-jobs';
import { CompletionBatcher } from '../../src/main/engine/sync/completion-batcher';
import type { Database } from '../../src/main/engine/sync/database';
import { enqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import { countJobsInStatus } from '../../src/main/engine/sync/job-counts';
import { getJobDetail } from '../../src/main/engine/sync/job-detail';
import { SyncWorker } from '../../src/main/engine/sync/sync-worker';
import { sqliteWorkerQueue } from '../../src/main/engine/sync/worker-queue';
import type { ClaimedJob, WorkerQueue } from '../../src/main/engine/sync/worker-queue';
import { newJob } from '../fixtures/new-job';
import { openTempDb } from '../helpers/temp-db';

/*
 * The worker's batching for fast clients (ClaimSizer + CompletionBatcher): a client that answers
 * at once gets claims beyond ICIMS_MAX_CONCURRENCY and one completing transaction per batch; a
 * client with real latency never has more jobs leased or calls open than the limit; and a
 * batched completion stays guarded by each job's own lease.
 */

const SUCCESS = { at: 0, label: 'initial', outcome: 'success' as const, statusCode: 201, latencyMs: 0, error: null };

function addJobs(db: Database, count: number, now = Date.now()): void {
  enqueueJobs(
    db,
    Array.from({ length: count }, (_, i) => newJob(i, { applicationId: `APP-${i}`, runAfter: now })),
    now,
  );
}

/** The real queue, watched: how much each claim asked for and how many completions each transaction held. */
function watchedQueue(db: Database) {
  const queue = sqliteWorkerQueue(db, () => [60_000]);
  const claimLimits: number[] = [];
  const completionBatches: number[] = [];
  let maxProcessing = 0;
  const watched: WorkerQueue = {
    ...queue,
    claim: (owner, leaseMs, now, limit) => {
      claimLimits.push(limit);
      const jobs = queue.claim(owner, leaseMs, now, limit);
      maxProcessing = Math.max(maxProcessing, countJobsInStatus(db, 'processing'));
      return jobs;
    },
    completeMany: (items) => {
      completionBatches.push(items.length);
      return queue.completeMany(items);
    },
  };
  return { queue: watched, claimLimits, completionBatches, maxProcessing: () => maxProcessing };
}

function worker(queue: WorkerQueue, client: IcimsClient, concurrency: number): SyncWorker {
  return new SyncWorker({
    queue,
    client: () => client,
    clock: systemClock,
    logger: silentLogger,
    owner: 'test-worker',
    leaseMs: 120_000,
    pollIntervalMs: 60_000,
    concurrency: () => concurrency,
    pauseStore: { load: () => null, save: () => {} },
    onChange: () => {},
  });
}

async function drained(db: Database, total: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (countJobsInStatus(db, 'completed') < total) {
    if (Date.now() > deadline) throw new Error(`only ${countJobsInStatus(db, 'completed')} of ${total} completed`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('worker batching for a fast client', () => {
  it('claims beyond the concurrency limit, completes a batch per transaction, and writes every note once', async () => {
    const { db } = openTempDb();
    addJobs(db, 2000);
    const watched = watchedQueue(db);
    const sent = new Map<string, number>();
    const instant: IcimsClient = {
      getApplication: () => Promise.reject(new Error('not used')),
      readNotes: () => Promise.resolve([]),
      addApplicationNote: (_id, _note, key) => {
        sent.set(key, (sent.get(key) ?? 0) + 1);
        return Promise.resolve({ statusCode: 201, latencyMs: 0, noteId: null });
      },
      close: () => Promise.resolve(),
    };
    const w = worker(watched.queue, instant, 5);
    w.start();
    await drained(db, 2000);
    await w.stop();

    expect(sent.size).toBe(2000);
    expect([...sent.values()].every((n) => n === 1)).toBe(true);
    expect(Math.max(...watched.claimLimits)).toBe(MAX_CLAIM);
    // Far fewer transactions than jobs: most completions shared one.
    expect(watched.completionBatches.length).toBeLessThan(2000 / 10);
    expect(getJobDetail(db, 1).history).toMatchObject([{ outcome: 'success', statusCode: 201 }]);
  });

  it('keeps a client with real latency at one job per free slot: never more leased or in flight than the limit', async () => {
    const { db } = openTempDb();
    addJobs(db, 40);
    const watched = watchedQueue(db);
    let open = 0;
    let maxOpen = 0;
    const slow: IcimsClient = {
      getApplication: () => Promise.reject(new Error('not used')),
      readNotes: () => Promise.resolve([]),
      addApplicationNote: async () => {
        open += 1;
        maxOpen = Math.max(maxOpen, open);
        await new Promise((resolve) => setTimeout(resolve, 15));
        open -= 1;
        return { statusCode: 201, latencyMs: 15, noteId: null };
      },
      close: () => Promise.resolve(),
    };
    const w = worker(watched.queue, slow, 3);
    w.start();
    await drained(db, 40);
    await w.stop();

    expect(Math.max(...watched.claimLimits)).toBeLessThanOrEqual(3);
    expect(watched.maxProcessing()).toBeLessThanOrEqual(3);
    expect(maxOpen).toBeLessThanOrEqual(3);
  });
});

describe('ClaimSizer', () => {
  it('grows only for a pace of at least twice the slots per window, and never while the circuit is not closed', () => {
    const sizer = new ClaimSizer();
    expect(sizer.limit(5, 5, 1000, true)).toBe(5);
    for (let i = 0; i < 100; i += 1) sizer.finished();
    // 100 jobs within a millisecond: a fast client…
    expect(sizer.limit(5, 5, 1001, false)).toBe(5);
    expect(sizer.limit(5, 5, 1001, true)).toBe(MAX_CLAIM);
  });

  it('does not mistake two jobs finishing in the same millisecond for a fast client', () => {
    const sizer = new ClaimSizer();
    let now = 1000;
    sizer.limit(3, 3, now, true);
    // Three calls of 15 ms each, finishing together, then passes in the same millisecond.
    for (let round = 0; round < 5; round += 1) {
      now += 15;
      for (let i = 0; i < 3; i += 1) {
        sizer.finished();
        expect(sizer.limit(1, 3, now, true)).toBe(1);
      }
    }
  });

  it('starts small again after an idle spell', () => {
    const sizer = new ClaimSizer();
    sizer.limit(5, 5, 0, true);
    for (let i = 0; i < 500; i += 1) sizer.finished();
    expect(sizer.limit(5, 5, 25, true)).toBe(MAX_CLAIM);
    sizer.finished();
    expect(sizer.limit(5, 5, 60_025, true)).toBe(5);
  });
});

/** Completes `job` for w1 the way the worker does: add it to this turn's batch, await the batch. */
async function completeThrough(batcher: CompletionBatcher, job: ClaimedJob, now: number): Promise<boolean> {
  const { batch, index } = batcher.add(job, 'w1', now, { ...SUCCESS, at: now });
  await batch.written;
  return batch.appliedAt(index);
}

describe('CompletionBatcher', () => {
  it('writes one turn of completions in one transaction, each still guarded by its own lease', async () => {
    const { db } = openTempDb();
    const now = Date.now();
    addJobs(db, 3, now);
    const jobs = claimJobs(db, { owner: 'w1', leaseMs: 120_000, now, limit: 3 });
    // Another worker took job 2 over after w1's lease ran out.
    db.prepare("UPDATE sync_jobs SET lease_owner = 'w2' WHERE id = ?").run(jobs[1]!.id);
    const queue = sqliteWorkerQueue(db, () => [60_000]);
    let transactions = 0;
    const batcher = new CompletionBatcher({
      ...queue,
      completeMany: (items) => {
        transactions += 1;
        return queue.completeMany(items);
      },
    });

    const applied = await Promise.all(jobs.map((job) => completeThrough(batcher, job, now)));

    expect(applied).toEqual([true, false, true]);
    expect(transactions).toBe(1);
    expect(countJobsInStatus(db, 'completed')).toBe(2);
    expect(countJobsInStatus(db, 'processing')).toBe(1);
  });

  it('hands a failed transaction to every caller in it, so no job is reported completed that was not', async () => {
    const { db } = openTempDb();
    const now = Date.now();
    addJobs(db, 2, now);
    const jobs = claimJobs(db, { owner: 'w1', leaseMs: 120_000, now, limit: 2 });
    const batcher = new CompletionBatcher({
      ...sqliteWorkerQueue(db, () => [60_000]),
      completeMany: () => {
        throw new Error('disk full');
      },
    });
    const results = await Promise.allSettled(jobs.map((job) => completeThrough(batcher, job, now)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(countJobsInStatus(db, 'processing')).toBe(2);
  });
});

describe('a try that ends at once', () => {
  it('a client that throws instead of returning a promise: the job is rescheduled and nothing stays in flight', async () => {
    const { db } = openTempDb();
    addJobs(db, 3);
    let calls = 0;
    const throwing: IcimsClient = {
      getApplication: () => Promise.reject(new Error('not used')),
      readNotes: () => Promise.resolve([]),
      addApplicationNote: () => {
        calls += 1;
        throw new Error('client not ready');
      },
      close: () => Promise.resolve(),
    };
    const w = worker(
      sqliteWorkerQueue(db, () => [60_000]),
      throwing,
      5,
    );
    w.start();
    const deadline = Date.now() + 10_000;
    // The claim is awaited: the jobs are still pending, untried, when start() returns.
    while (calls < 3 || countJobsInStatus(db, 'pending') < 3 || countJobsInStatus(db, 'processing') > 0) {
      if (Date.now() > deadline) throw new Error('the jobs were not rescheduled');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(w.snapshot().inFlight).toBe(0);
    await w.stop();
    const detail = getJobDetail(db, 1);
    expect(detail).toMatchObject({ status: 'pending', lastError: 'Unexpected error: client not ready' });
    // An error that is not iCIMS' answer may have come after the note was sent: in doubt.
    expect(detail.history).toMatchObject([
      { label: 'initial', outcome: 'in_doubt', error: 'Unexpected error: client not ready' },
    ]);
    expect(detail.inDoubt).toBe(true);
  });
});
