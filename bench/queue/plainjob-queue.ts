import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { better, defineQueue, defineWorker, JobStatus } from 'plainjob';
import { benchDir, until } from '../temp-dir';
import { jobBatches, queueRun, stopwatch } from './noop-jobs';
import type { QueueRun } from './noop-jobs';

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/**
 * plainjob 0.0.14 as its README runs it on better-sqlite3 (it switches the file to WAL and
 * synchronous=NORMAL itself): `addMany` in batches, one `defineWorker` with a no-op processor.
 * Its payloads are the engine's payload strings, stored as given (identity serializer).
 */
export async function plainjobQueue(options: { jobs: number; enqueueBatch: number }): Promise<QueueRun> {
  const temp = benchDir('plainjob');
  const db = new BetterSqlite3(join(temp.dir, 'plainjob.db'));
  const queue = defineQueue({ connection: better(db), logger: quiet, serializer: (data) => data as string });
  let processed = 0;
  const worker = defineWorker(
    'noop',
    () => {
      processed += 1;
    },
    { queue, logger: quiet, pollIntervall: 1 },
  );
  try {
    const enqueue = stopwatch();
    for (const slice of jobBatches(options.jobs, options.enqueueBatch, Date.now())) {
      const payloads = slice.map((job) => job.payload);
      enqueue.time(() => queue.addMany('noop', payloads));
    }
    const t1 = performance.now();
    const running = worker.start();
    await until(() => processed >= options.jobs, 'plainjob to process every job', 900_000, 1);
    await until(
      () => queue.countJobs({ status: JobStatus.Pending }) + queue.countJobs({ status: JobStatus.Processing }) === 0,
      'plainjob to mark the last job done',
      60_000,
      1,
    );
    const t2 = performance.now();
    await worker.stop();
    await running;
    const done = queue.countJobs({ status: JobStatus.Done });
    if (done !== options.jobs) throw new Error(`plainjob marked ${done} of ${options.jobs} jobs done`);
    return queueRun(options.jobs, enqueue.ms, t2 - t1, { enqueueBatch: options.enqueueBatch, concurrency: 1 });
  } finally {
    queue.close();
    if (db.open) db.close();
    temp.remove();
  }
}
