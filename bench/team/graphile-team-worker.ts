import { Logger, runOnce } from 'graphile-worker';
import pg from 'pg';
import type { ChildChannel } from '../child-channel';
import { cpuMsSince, readyThenGo } from './team-run';
import type { TeamWorkerRun } from './team-run';

export const GRAPHILE_TASK = 'bench';

export interface GraphileWorkerParams {
  url: string;
  /** Jobs in flight at once in this process (graphile-worker's `concurrency`). */
  concurrency: number;
  /** Jobs locked per fetch (`localQueue.size`): the same batch the others claim. */
  localQueue: number;
}

export const quietLogger = new Logger(() => () => {});

/**
 * One graphile-worker process: `runOnce` (works until no job is left, then resolves) with the
 * batching graphile-worker documents for throughput — a local queue fetching `localQueue` jobs per
 * round trip and completions batched (`completeJobBatchDelay: 0`) — and a no-op task. Success
 * lines are off (NO_LOG_SUCCESS, set before the module loads) and the logger is silent.
 */
export async function graphileTeamWorker(params: GraphileWorkerParams, channel: ChildChannel): Promise<TeamWorkerRun> {
  const pgPool = new pg.Pool({ connectionString: params.url, max: 4 });
  pgPool.on('error', (error) => process.stderr.write(`graphile-worker pool: ${error.message}\n`));
  pgPool.on('connect', (client) =>
    client.on('error', (error) => process.stderr.write(`graphile-worker client: ${error.message}\n`)),
  );
  try {
    await Promise.all([1, 2].map(() => pgPool.query('SELECT 1')));
    await readyThenGo(channel);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let jobs = 0;
    await runOnce({
      pgPool,
      concurrency: params.concurrency,
      noHandleSignals: true,
      logger: quietLogger,
      taskList: {
        [GRAPHILE_TASK]: () => {
          jobs += 1;
        },
      },
      preset: { worker: { localQueue: { size: params.localQueue }, completeJobBatchDelay: 0 } },
    });
    return { jobs, drainMs: performance.now() - t0, cpuMs: cpuMsSince(cpu0) };
  } finally {
    await pgPool.end();
  }
}
