import type { AttemptRecord } from '../../src/main/engine/sync/record-attempt';
import { TeamDatabase } from '../../src/main/engine/team/pg-connection';
import { pgClaimJobs } from '../../src/main/engine/sync/claim-jobs';
import { pgCompleteJobs } from '../../src/main/engine/sync/complete-job';
import type { ChildChannel } from '../child-channel';
import { sleep } from '../temp-dir';
import { cpuMsSince, readyThenGo } from './team-run';
import type { TeamWorkerRun } from './team-run';

export interface EnginePgWorkerParams {
  url: string;
  claimBatch: number;
}

/**
 * One engine process on the team database: its own TeamDatabase (pool + listener, as an engine
 * opens it), then pgClaimJobs(batch) → a no-op handler → pgCompleteJobs under each job's lease, until
 * nothing is pending. An empty claim while pending jobs remain (they wait behind an earlier job of
 * their application that another process holds) is retried shortly, as the engine's wake-up would.
 */
export async function enginePgWorker(params: EnginePgWorkerParams, channel: ChildChannel): Promise<TeamWorkerRun> {
  const db = new TeamDatabase({ connectionString: params.url, max: 2, applicationName: 'bench-engine' });
  const owner = `bench-${process.pid}`;
  try {
    await db.open();
    await db.query('SELECT 1');
    await readyThenGo(channel);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let jobs = 0;
    let batches = 0;
    let claimMs = 0;
    let completeMs = 0;
    for (;;) {
      const c0 = performance.now();
      const claimed = await pgClaimJobs(db, { owner, leaseMs: 120_000, limit: params.claimBatch });
      const c1 = performance.now();
      claimMs += c1 - c0;
      if (claimed.length === 0) {
        const pending = await db.query("SELECT 1 FROM sync_jobs WHERE status = 'pending' LIMIT 1");
        if (pending.length === 0) break;
        await sleep(1);
        continue;
      }
      batches += 1;
      const at = Date.now();
      const attempt: AttemptRecord = {
        at,
        label: 'initial',
        outcome: 'success',
        statusCode: 201,
        latencyMs: 0,
        error: null,
      };
      const applied = await pgCompleteJobs(
        db,
        claimed.map((job) => ({ jobId: job.id, owner, leaseToken: job.leaseToken, attempt })),
      );
      completeMs += performance.now() - c1;
      jobs += applied.filter(Boolean).length;
    }
    return { jobs, batches, drainMs: performance.now() - t0, cpuMs: cpuMsSince(cpu0), claimMs, completeMs };
  } finally {
    await db.close();
  }
}
