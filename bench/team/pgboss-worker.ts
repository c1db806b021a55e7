import PgBoss from 'pg-boss';
import type { ChildChannel } from '../child-channel';
import { cpuMsSince, readyThenGo } from './team-run';
import type { TeamWorkerRun } from './team-run';

export const PGBOSS_QUEUE = 'bench';

export interface PgBossWorkerParams {
  url: string;
  batchSize: number;
}

/** pg-boss with its maintenance, scheduling and migration off: only the queue statements run. */
export function benchBoss(url: string, max: number, migrate = false): PgBoss {
  const boss = new PgBoss({ connectionString: url, max, supervise: false, schedule: false, migrate });
  boss.on('error', (error) => process.stderr.write(`pg-boss: ${error.message}\n`));
  return boss;
}

/**
 * One pg-boss worker process: `fetch(queue, { batchSize })` → no-op → `complete(queue, ids)`
 * until a fetch comes back empty (pg-boss has no per-key ordering to wait on, so empty is done).
 */
export async function pgBossWorker(params: PgBossWorkerParams, channel: ChildChannel): Promise<TeamWorkerRun> {
  const boss = benchBoss(params.url, 2);
  await boss.start();
  try {
    await boss.getQueue(PGBOSS_QUEUE);
    await readyThenGo(channel);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let jobs = 0;
    let batches = 0;
    let claimMs = 0;
    let completeMs = 0;
    for (;;) {
      const c0 = performance.now();
      const fetched = await boss.fetch(PGBOSS_QUEUE, { batchSize: params.batchSize });
      const c1 = performance.now();
      claimMs += c1 - c0;
      if (fetched.length === 0) break;
      batches += 1;
      await boss.complete(
        PGBOSS_QUEUE,
        fetched.map((job) => job.id),
      );
      completeMs += performance.now() - c1;
      jobs += fetched.length;
    }
    return { jobs, batches, drainMs: performance.now() - t0, cpuMs: cpuMsSince(cpu0), claimMs, completeMs };
  } finally {
    await boss.stop({ graceful: false, wait: true, close: true });
  }
}
