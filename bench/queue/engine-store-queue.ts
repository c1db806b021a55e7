import { join } from 'node:path';
import { claimJobs } from '../../src/main/engine/sync/claim-jobs';
import { completeJobs } from '../../src/main/engine/sync/complete-job';
import { openDatabase } from '../../src/main/engine/sync/database';
import { enqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import { benchDir } from '../temp-dir';
import { jobBatches, queueRun, stopwatch } from './noop-jobs';
import type { QueueRun } from './noop-jobs';

/**
 * The engine's store functions without the worker around them: enqueueJobs in batches, then
 * claimJobs(100) → completeJobs (with the successful try the worker records) until empty.
 * The gap between this and the worker run is what the worker loop itself costs.
 */
export function engineStoreQueue(options: { jobs: number; enqueueBatch: number; claimBatch: number }): QueueRun {
  const temp = benchDir('store-queue');
  const db = openDatabase(join(temp.dir, 'console.db'));
  const owner = `bench:${process.pid}`;
  try {
    const enqueue = stopwatch();
    for (const slice of jobBatches(options.jobs, options.enqueueBatch, Date.now()))
      enqueue.time(() => enqueueJobs(db, slice, Date.now()));
    const t1 = performance.now();
    let done = 0;
    for (;;) {
      const now = Date.now();
      const claimed = claimJobs(db, { owner, leaseMs: 120_000, now, limit: options.claimBatch });
      if (claimed.length === 0) break;
      const applied = completeJobs(
        db,
        claimed.map((job) => ({
          jobId: job.id,
          owner,
          now,
          attempt: {
            at: now,
            label: 'initial',
            outcome: 'success' as const,
            statusCode: 201,
            latencyMs: 0,
            error: null,
          },
        })),
      );
      done += applied.filter(Boolean).length;
    }
    const t2 = performance.now();
    if (done !== options.jobs) throw new Error(`expected ${options.jobs} completions, got ${done}`);
    return queueRun(options.jobs, enqueue.ms, t2 - t1, {
      claimBatch: options.claimBatch,
      enqueueBatch: options.enqueueBatch,
    });
  } finally {
    db.close();
    temp.remove();
  }
}
