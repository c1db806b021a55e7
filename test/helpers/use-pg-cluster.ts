import { afterAll, beforeAll } from 'vitest';
import { startPgCluster } from './pg-cluster';
import type { PgCluster } from './pg-cluster';

/**
 * One cluster for the calling test file: started in beforeAll, stopped in afterAll (even when
 * tests failed). Use inside `describe.skipIf(!pgAvailable)`.
 */
export function usePgCluster(): () => PgCluster {
  let cluster: PgCluster | undefined;
  beforeAll(async () => {
    cluster = await startPgCluster();
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);
  return () => {
    if (!cluster) throw new Error('the PostgreSQL cluster has not started (see the beforeAll error)');
    return cluster;
  };
}
