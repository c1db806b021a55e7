import type { TestProject } from 'vitest/node';
import { pgAvailable, pgSkipReason, startPgCluster } from './pg-cluster';
import type { PgCluster } from './pg-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The `postgres` project's cluster (postgres://…/postgres); '' where PostgreSQL is missing. */
    teamPgUrl: string;
  }
}

/**
 * One throwaway PostgreSQL cluster for the whole `postgres` project: the integration suites run
 * there a second time with the engine in team mode, each console on a database of its own
 * (console-harness.ts creates it). Stopped and removed when the run ends.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!pgAvailable) {
    console.warn(pgSkipReason);
    project.provide('teamPgUrl', '');
    return async () => {};
  }
  const cluster: PgCluster = await startPgCluster();
  project.provide('teamPgUrl', cluster.url);
  return () => cluster.stop();
}
