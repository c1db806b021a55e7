import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { buildDBClient, Runner, SqliteQueue } from 'liteque';
import { benchDir } from '../temp-dir';
import { jobBatches, queueRun, stopwatch } from './noop-jobs';
import type { QueueRun } from './noop-jobs';

type LitequeDb = ReturnType<typeof buildDBClient>;
type TaskRow = Awaited<ReturnType<SqliteQueue<unknown>['attemptDequeue']>>;

/*
 * liteque 0.8.0 as published passes an async function to a better-sqlite3 transaction, which
 * better-sqlite3 ≥ 11.10 refuses ("Transaction function cannot return a promise"): nothing is
 * ever dequeued. Its later source runs the same two statements synchronously in one
 * transaction; this subclass does exactly that, with the SQL drizzle generates for 0.8.0
 * (captured from the published build), so the rest of liteque — enqueue, Runner, finalize — runs
 * unchanged. node_modules is not touched.
 */
const SELECT_NEXT = `select "id", "queue", "payload", "createdAt", "availableAt", "status", "expireAt", "allocationId", "numRunsLeft", "maxNumRuns", "idempotencyKey", "priority" from "tasks" where ("tasks"."queue" = ? and ("tasks"."availableAt" <= ? or "tasks"."availableAt" is null) and ("tasks"."status" = ? or "tasks"."status" = ? or ("tasks"."status" = ? and "tasks"."expireAt" < ?))) order by "tasks"."priority" asc, "tasks"."createdAt" asc limit ?`;
const MARK_RUNNING = `update "tasks" set "status" = ?, "expireAt" = ?, "allocationId" = ?, "numRunsLeft" = ? where ("tasks"."id" = ? and "tasks"."allocationId" = ?) returning "id", "queue", "payload", "createdAt", "availableAt", "status", "expireAt", "allocationId", "numRunsLeft", "maxNumRuns", "idempotencyKey", "priority"`;
const DELETE_TASK = `delete from "tasks" where ("tasks"."id" = ? and "tasks"."allocationId" = ?)`;

interface RawTask {
  id: number;
  allocationId: string;
  numRunsLeft: number;
}

function sqliteOf(db: LitequeDb): Database {
  // drizzle 0.33 keeps the better-sqlite3 handle on its session.
  return (db as unknown as { session: { client: Database } }).session.client;
}

class SyncDequeueQueue<T> extends SqliteQueue<T> {
  private readonly dequeue: (timeoutSecs: number) => TaskRow;

  constructor(name: string, db: LitequeDb) {
    super(name, db, { defaultJobArgs: { numRetries: 0 }, keepFailedJobs: false });
    const sqlite = sqliteOf(db);
    const selectNext = sqlite.prepare<unknown[], RawTask>(SELECT_NEXT);
    const markRunning = sqlite.prepare<unknown[], RawTask>(MARK_RUNNING);
    const deleteTask = sqlite.prepare(DELETE_TASK);
    this.dequeue = sqlite.transaction((timeoutSecs: number): TaskRow => {
      const now = Date.now();
      const job = selectNext.get(name, now, 'pending', 'pending_retry', 'running', Math.floor(now / 1000), 1);
      if (!job) return null;
      if (job.numRunsLeft === 0) {
        deleteTask.run(job.id, job.allocationId);
        return null;
      }
      const next = randomBytes(6).toString('base64url');
      const updated = markRunning.get(
        'running',
        Math.floor((now + timeoutSecs * 1000) / 1000),
        next,
        job.numRunsLeft - 1,
        job.id,
        job.allocationId,
      );
      return (updated ?? null) as unknown as TaskRow;
    });
  }

  override attemptDequeue(options: { timeoutSecs: number }): Promise<TaskRow> {
    return Promise.resolve(this.dequeue(options.timeoutSecs));
  }
}

export interface LitequeOptions {
  jobs: number;
  concurrency: number;
  /** Adds an index on liteque's dequeue columns (a reference row; liteque ships without it). */
  dequeueIndex: boolean;
}

/** liteque's SqliteQueue + Runner(concurrency) with a no-op job, `runUntilEmpty`. */
export async function litequeQueue(options: LitequeOptions): Promise<QueueRun> {
  const temp = benchDir('liteque');
  const db = buildDBClient(join(temp.dir, 'liteque.db'), { runMigrations: true });
  try {
    if (options.dequeueIndex) sqliteOf(db).exec('CREATE INDEX bench_dequeue ON tasks (queue, priority, createdAt)');
    const queue = new SyncDequeueQueue<unknown>('bench', db);
    let processed = 0;
    const enqueue = stopwatch();
    for (const slice of jobBatches(options.jobs, 1000, Date.now())) {
      const payloads = slice.map((job) => JSON.parse(job.payload) as unknown);
      // liteque has no batch enqueue: one insert (one transaction) per job.
      await enqueue.timeAsync(async () => {
        for (const payload of payloads) await queue.enqueue(payload);
      });
    }
    const t1 = performance.now();
    const runner = new Runner<unknown>(
      queue,
      {
        run: () => {
          processed += 1;
          return Promise.resolve();
        },
      },
      { concurrency: options.concurrency, pollIntervalMs: 1, timeoutSecs: 60 },
    );
    await runner.runUntilEmpty();
    const t2 = performance.now();
    if (processed !== options.jobs) throw new Error(`liteque ran ${processed} of ${options.jobs} jobs`);
    const left = await queue.stats();
    if (left.pending + left.running + left.pending_retry !== 0)
      throw new Error(`liteque left jobs behind: ${JSON.stringify(left)}`);
    return queueRun(options.jobs, enqueue.ms, t2 - t1, {
      concurrency: options.concurrency,
      dequeueIndex: options.dequeueIndex ? 'yes' : 'no',
    });
  } finally {
    sqliteOf(db).close();
    temp.remove();
  }
}
