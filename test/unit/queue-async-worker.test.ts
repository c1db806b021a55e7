import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/main/engine/clock';
import type { IcimsClient } from '../../src/main/engine/icims/icims-client';
import { claimJobs } from '../../src/main/engine/sync/claim-jobs';
import { CompletionBatcher } from '../../src/main/engine/sync/completion-batcher';
import type { Database } from '../../src/main/engine/sync/database';
import { enqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import { countJobsInStatus } from '../../src/main/engine/sync/job-counts';
import { getJobDetail } from '../../src/main/engine/sync/job-detail';
import { SyncWorker } from '../../src/main/engine/sync/sync-worker';
import { sqliteWorkerQueue } from '../../src/main/engine/sync/worker-queue';
import type { WorkerQueue } from '../../src/main/engine/sync/worker-queue';
import { CapturingLogger } from '../fakes/recording-sink';
import { newJob } from '../fixtures/new-job';
import { openTempDb } from '../helpers/temp-db';

/*
 * The worker over an asynchronous queue: the real SQLite queue, with one operation made to fail or
 * to wait the way a PostgreSQL call can (database away, a slow round trip). What must hold: the
 * loop survives a failing queue, stop() during an awaited claim starts nothing, and a completion
 * that cannot be recorded is left to the lease and comes back by read-back — never written twice.
 */

const UNREACHABLE = Object.assign(new Error('database unreachable: connect ECONNREFUSED'), { retryable: true });

function addJobs(db: Database, count: number, now = Date.now()): void {
  enqueueJobs(
    db,
    Array.from({ length: count }, (_, i) => newJob(i, { applicationId: `APP-${i}`, runAfter: now })),
    now,
  );
}

/** An iCIMS that stores each note it is sent and hands them back on read. */
function storingClient() {
  const notes: { applicationId: string; text: string; key: string; id: string }[] = [];
  const client: IcimsClient = {
    getApplication: () => Promise.reject(new Error('not used')),
    readNotes: (applicationId) =>
      Promise.resolve(
        notes
          .filter((note) => note.applicationId === applicationId)
          .map((note) => ({ id: note.id, text: note.text, idempotencyKey: null, createdAt: null })),
      ),
    addApplicationNote: (applicationId, text, key) => {
      const id = String(notes.length + 1);
      notes.push({ applicationId, text, key, id });
      return Promise.resolve({ statusCode: 201, latencyMs: 0, noteId: id });
    },
    close: () => Promise.resolve(),
  };
  return { client, notes };
}

function worker(
  queue: WorkerQueue,
  client: IcimsClient,
  options: { logger?: CapturingLogger; leaseMs?: number; pollIntervalMs?: number } = {},
): SyncWorker {
  return new SyncWorker({
    queue,
    client: () => client,
    clock: systemClock,
    logger: options.logger ?? new CapturingLogger(),
    owner: 'test-worker',
    leaseMs: options.leaseMs ?? 120_000,
    pollIntervalMs: options.pollIntervalMs ?? 50,
    concurrency: () => 3,
    pauseStore: { load: () => null, save: () => {} },
    onChange: () => {},
  });
}

async function until(what: string, probe: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const events = (logger: CapturingLogger) => logger.lines.map((line) => (JSON.parse(line) as { event: string }).event);

describe('the worker over an asynchronous queue', () => {
  it('a queue that rejects does not end the loop: logged once, retried after the poll interval, then every job done', async () => {
    const { db } = openTempDb();
    addJobs(db, 5);
    const queue = sqliteWorkerQueue(db, () => [60_000]);
    let failures = 3;
    const flaky: WorkerQueue = {
      ...queue,
      claim: (...args) => (failures-- > 0 ? Promise.reject(UNREACHABLE) : queue.claim(...args)),
    };
    const { client, notes } = storingClient();
    const logger = new CapturingLogger();
    const w = worker(flaky, client, { logger });
    w.start();
    await until('every job completed', () => countJobsInStatus(db, 'completed') === 5);
    await w.stop();

    expect(notes).toHaveLength(5);
    expect(events(logger).filter((event) => event === 'worker.queue_failed')).toHaveLength(1);
    expect(events(logger)).toContain('worker.queue_recovered');
    expect(events(logger)).not.toContain('worker.crashed');
  });

  it('stop() while a claim is awaited: the claimed jobs go back pending, untried, and no call is made', async () => {
    const { db } = openTempDb();
    addJobs(db, 3);
    const queue = sqliteWorkerQueue(db, () => [60_000]);
    let letClaimAnswer!: () => void;
    const answer = new Promise<void>((resolve) => {
      letClaimAnswer = resolve;
    });
    let claimed = 0;
    const slow: WorkerQueue = {
      ...queue,
      claim: async (...args) => {
        const jobs = await queue.claim(...args);
        claimed += jobs.length;
        await answer;
        return jobs;
      },
    };
    const { client, notes } = storingClient();
    const w = worker(slow, client);
    w.start();
    await until('the claim', () => claimed === 3);
    expect(countJobsInStatus(db, 'processing')).toBe(3);
    const stopped = w.stop();
    letClaimAnswer();
    await stopped;

    expect(notes).toHaveLength(0);
    expect(countJobsInStatus(db, 'pending')).toBe(3);
    const detail = getJobDetail(db, 1);
    expect(detail).toMatchObject({ status: 'pending', inDoubt: false, lastError: null, leaseExpiresAt: null });
    expect(detail.history).toEqual([]);
  });

  it('a completion that cannot be recorded: logged, left to its lease, then read back and found — one note', async () => {
    const { db } = openTempDb();
    addJobs(db, 1);
    const queue = sqliteWorkerQueue(db, () => [60_000]);
    let down = true;
    const away: WorkerQueue = {
      ...queue,
      completeMany: (items) => (down ? Promise.reject(UNREACHABLE) : queue.completeMany(items)),
    };
    const { client, notes } = storingClient();
    const logger = new CapturingLogger();
    const w = worker(away, client, { logger, leaseMs: 300, pollIntervalMs: 50 });
    w.start();
    await until('the lost completion', () => events(logger).includes('job.outcome_unrecorded'));
    expect(notes).toHaveLength(1);
    expect(w.snapshot().inFlight).toBe(0);
    down = false;

    await until('the job completed', () => countJobsInStatus(db, 'completed') === 1);
    await w.stop();
    expect(notes).toHaveLength(1);
    const detail = getJobDetail(db, 1);
    expect(detail.history.map((attempt) => attempt.outcome)).toEqual(['in_doubt', 'found_in_icims']);
    expect(detail).toMatchObject({ inDoubt: false, icimsNoteId: '1' });
  });
});

describe('CompletionBatcher over a slow store', () => {
  it('writes one batch at a time: completions that come back meanwhile wait and go together in the next', async () => {
    const { db } = openTempDb();
    const now = Date.now();
    addJobs(db, 6, now);
    const jobs = claimJobs(db, { owner: 'w1', leaseMs: 120_000, now, limit: 6 });
    const queue = sqliteWorkerQueue(db, () => [60_000]);
    let open = 0;
    let maxOpen = 0;
    const batches: number[] = [];
    const batcher = new CompletionBatcher({
      ...queue,
      completeMany: async (items) => {
        open += 1;
        maxOpen = Math.max(maxOpen, open);
        batches.push(items.length);
        await new Promise((resolve) => setTimeout(resolve, 30));
        open -= 1;
        return queue.completeMany(items);
      },
    });
    const success = {
      at: now,
      label: 'initial',
      outcome: 'success' as const,
      statusCode: 201,
      latencyMs: 0,
      error: null,
    };
    const first = batcher.complete(jobs[0]!, 'w1', now, success);
    await new Promise((resolve) => setTimeout(resolve, 5));
    // The first batch is being written: these five gather behind it.
    const rest = jobs.slice(1).map(async (job, i) => {
      await new Promise((resolve) => setTimeout(resolve, i));
      return batcher.complete(job, 'w1', now, success);
    });
    const applied = await Promise.all([first, ...rest]);

    expect(applied).toEqual([true, true, true, true, true, true]);
    expect(maxOpen).toBe(1);
    expect(batches).toEqual([1, 5]);
    expect(countJobsInStatus(db, 'completed')).toBe(6);
  });
});
