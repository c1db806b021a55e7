import { makeWorkerUtils } from 'graphile-worker';
import type { NewJob } from '../../src/main/engine/sync/enqueue-jobs';
import { TeamDatabase } from '../../src/main/engine/team/pg-connection';
import { migrateTeamDatabase } from '../../src/main/engine/team/pg-migrate';
import { pgEnqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import { jobBatches } from '../queue/noop-jobs';
import { GRAPHILE_TASK, quietLogger } from './graphile-team-worker';
import { PGBOSS_QUEUE, benchBoss } from './pgboss-worker';
import type { TeamFill } from './team-run';

export type TeamContenderKind = 'engine' | 'pgboss' | 'graphile';

export interface TeamFillParams {
  kind: TeamContenderKind;
  url: string;
  jobs: number;
  batch: number;
}

/** What a peer's job carries: the same event payload, note and key as the engine's row. */
const peerData = (job: NewJob) => ({
  eventId: job.eventId,
  applicationId: job.applicationId,
  payload: job.payload,
  noteText: job.noteText,
  idempotencyKey: job.idempotencyKey,
});

/**
 * Sets up a contender's empty database (its own schema, by its own migration) and stores the
 * backlog through its own bulk API, before any clock starts: the engine's pgEnqueueJobs (one
 * statement per batch), pg-boss `insert`, graphile-worker `addJobs`.
 */
export async function teamFill(params: TeamFillParams): Promise<TeamFill> {
  const t0 = performance.now();
  const batches = jobBatches(params.jobs, params.batch, Date.now());
  if (params.kind === 'engine') {
    const db = new TeamDatabase({ connectionString: params.url, max: 1 });
    try {
      await migrateTeamDatabase(db.pool);
      for (const slice of batches) await pgEnqueueJobs(db, slice);
    } finally {
      await db.close();
    }
  } else if (params.kind === 'pgboss') {
    // This start creates pg-boss's schema; its workers then start with migrate: false.
    const boss = benchBoss(params.url, 2, true);
    await boss.start();
    try {
      await boss.createQueue(PGBOSS_QUEUE);
      for (const slice of batches) await boss.insert(slice.map((job) => ({ name: PGBOSS_QUEUE, data: peerData(job) })));
    } finally {
      await boss.stop({ graceful: false, wait: true, close: true });
    }
  } else {
    const utils = await makeWorkerUtils({ connectionString: params.url, logger: quietLogger });
    try {
      await utils.migrate();
      for (const slice of batches)
        await utils.addJobs(slice.map((job) => ({ identifier: GRAPHILE_TASK, payload: peerData(job) })));
    } finally {
      await utils.release();
    }
  }
  return { jobs: params.jobs, fillMs: performance.now() - t0 };
}
