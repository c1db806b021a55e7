import { onTestFinished } from 'vitest';
import { TeamDatabase } from '../../src/main/engine/team/pg-connection';
import type { TeamDatabaseOptions } from '../../src/main/engine/team/pg-connection';
import { migrateTeamDatabase } from '../../src/main/engine/team/pg-migrate';
import type { PgCluster } from './pg-cluster';

/** A new migrated database on the cluster; returns its connection string. */
export async function freshTeamDatabase(cluster: PgCluster): Promise<string> {
  const url = await cluster.createDatabase();
  const db = new TeamDatabase({ connectionString: url, max: 1 });
  try {
    await migrateTeamDatabase(db.pool);
  } finally {
    await db.close();
  }
  return url;
}

/** A TeamDatabase for one engine of the test; closed when the test finishes. */
export async function connectTeam(url: string, options: Partial<TeamDatabaseOptions> = {}): Promise<TeamDatabase> {
  const db = new TeamDatabase({ connectionString: url, max: 3, backoffMs: 50, maxBackoffMs: 500, ...options });
  onTestFinished(() => db.close());
  await db.open();
  return db;
}
