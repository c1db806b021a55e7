import { join } from 'node:path';
import { systemClock } from '../../src/main/engine/clock';
import type { IcimsClient } from '../../src/main/engine/icims/icims-client';
import { JsonLogger } from '../../src/main/engine/json-logger';
import { openDatabase } from '../../src/main/engine/sync/database';
import { enqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import { countJobsInStatus } from '../../src/main/engine/sync/job-counts';
import { SyncWorker } from '../../src/main/engine/sync/sync-worker';
import { sqliteWorkerQueue } from '../../src/main/engine/sync/worker-queue';
import { benchDir, until } from '../temp-dir';
import { jobBatches, queueRun, stopwatch } from './noop-jobs';
import type { QueueRun } from './noop-jobs';

export interface EngineQueueOptions {
  jobs: number;
  enqueueBatch: number;
  /** ICIMS_MAX_CONCURRENCY as the engine would pass it. */
  concurrency: number;
}

/**
 * The engine's own path: the real SyncWorker over the real sqliteWorkerQueue on a file database
 * opened by openDatabase (WAL, synchronous=NORMAL), with the engine's JSON file logger, and an
 * iCIMS client that answers every note at once. Jobs are stored with the real enqueueJobs in
 * batches first; the worker then drains the backlog.
 */
export async function engineWorkerQueue(options: EngineQueueOptions): Promise<QueueRun> {
  const temp = benchDir('engine-queue');
  const db = openDatabase(join(temp.dir, 'console.db'));
  const logger = new JsonLogger({ file: join(temp.dir, 'console.log') });
  let calls = 0;
  const client: IcimsClient = {
    getApplication: () => Promise.reject(new Error('not used')),
    readNotes: () => Promise.resolve([]),
    addApplicationNote: () => {
      calls += 1;
      return Promise.resolve({ statusCode: 201, latencyMs: 0, noteId: null });
    },
    close: () => Promise.resolve(),
  };
  const worker = new SyncWorker({
    queue: sqliteWorkerQueue(db, () => [60_000, 300_000, 900_000, 1_800_000, 3_600_000]),
    client: () => client,
    clock: systemClock,
    logger,
    owner: `bench:${process.pid}`,
    leaseMs: 120_000,
    pollIntervalMs: 30_000,
    concurrency: () => options.concurrency,
    pauseStore: { load: () => null, save: () => {} },
    onChange: () => {},
  });
  try {
    const enqueue = stopwatch();
    for (const slice of jobBatches(options.jobs, options.enqueueBatch, Date.now()))
      enqueue.time(() => enqueueJobs(db, slice, Date.now()));
    const t1 = performance.now();
    worker.start();
    await until(() => calls >= options.jobs, 'every job to reach the client', 600_000, 1);
    // The last completions are written after the calls return.
    await until(
      () => countJobsInStatus(db, 'processing') === 0 && countJobsInStatus(db, 'pending') === 0,
      'the last completions',
      60_000,
      1,
    );
    const t2 = performance.now();
    const completed = countJobsInStatus(db, 'completed');
    if (completed !== options.jobs) throw new Error(`expected ${options.jobs} completed jobs, found ${completed}`);
    return queueRun(options.jobs, enqueue.ms, t2 - t1, {
      concurrency: options.concurrency,
      enqueueBatch: options.enqueueBatch,
    });
  } finally {
    await worker.stop();
    await logger.close();
    db.close();
    temp.remove();
  }
}
