import type { ChildChannel } from './child-channel';
import type { EngineWritesParams } from './e2e/engine-writes-task';
import type { FakeIcimsParams } from './e2e/fake-icims-task';
import type { OpsQueryParams } from './ops/ops-queries-task';
import type { OpsSeedParams } from './ops/seed-ops-db';
import type { engineStoreQueue } from './queue/engine-store-queue';
import type { EngineQueueOptions } from './queue/engine-worker-queue';
import type { LitequeOptions } from './queue/liteque-queue';
import type { plainjobQueue } from './queue/plainjob-queue';
import type { FloorOptions } from './queue/raw-sqlite-floor';
import type { EnginePgWorkerParams } from './team/engine-pg-worker';
import type { GraphileWorkerParams } from './team/graphile-team-worker';
import type { PgBossWorkerParams } from './team/pgboss-worker';
import type { TeamFillParams } from './team/team-fill';

type Task = (params: never, channel: ChildChannel) => Promise<unknown>;

/*
 * Every task a bench child can run, by name. Each loads its modules when it runs (the imports
 * above are types only), so a child measuring the engine never holds the peers' code (drizzle,
 * cron-parser, …) in its RSS.
 */
export const benchTasks: Record<string, Task> = {
  baseline: () => Promise.resolve({}),
  'queue.engine': async (p: EngineQueueOptions) => (await import('./queue/engine-worker-queue')).engineWorkerQueue(p),
  'queue.store': async (p: Parameters<typeof engineStoreQueue>[0]) =>
    (await import('./queue/engine-store-queue')).engineStoreQueue(p),
  'queue.floor': async (p: FloorOptions) => (await import('./queue/raw-sqlite-floor')).rawSqliteFloor(p),
  'queue.floor-minimal': async (p: FloorOptions) => (await import('./queue/raw-sqlite-floor')).minimalSqliteFloor(p),
  'queue.plainjob': async (p: Parameters<typeof plainjobQueue>[0]) =>
    (await import('./queue/plainjob-queue')).plainjobQueue(p),
  'queue.liteque': async (p: LitequeOptions) => (await import('./queue/liteque-queue')).litequeQueue(p),
  'queue.log-line': async (p: { lines: number }) => (await import('./queue/log-line-cost')).logLineCost(p),
  'e2e.fake': async (p: FakeIcimsParams, channel) => (await import('./e2e/fake-icims-task')).fakeIcimsTask(p, channel),
  'e2e.engine': async (p: EngineWritesParams) => (await import('./e2e/engine-writes-task')).engineWritesTask(p),
  'ingest.server': async (p: unknown, channel) =>
    (await import('./ingest/ingest-http-task')).ingestServerTask(p, channel),
  'ops.seed': async (p: OpsSeedParams) => (await import('./ops/seed-ops-db')).seedOpsDbTask(p),
  'ops.queries': async (p: OpsQueryParams) => (await import('./ops/ops-queries-task')).opsQueriesTask(p),
  'team.fill': async (p: TeamFillParams) => {
    process.env.NO_LOG_SUCCESS = '1';
    return (await import('./team/team-fill')).teamFill(p);
  },
  'team.engine': async (p: EnginePgWorkerParams, channel) =>
    (await import('./team/engine-pg-worker')).enginePgWorker(p, channel),
  'team.pgboss': async (p: PgBossWorkerParams, channel) =>
    (await import('./team/pgboss-worker')).pgBossWorker(p, channel),
  'team.graphile': async (p: GraphileWorkerParams, channel) => {
    // graphile-worker reads it when it loads: no "Completed task …" line per job.
    process.env.NO_LOG_SUCCESS = '1';
    return (await import('./team/graphile-team-worker')).graphileTeamWorker(p, channel);
  },
};
