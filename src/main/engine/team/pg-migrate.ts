import type { Pool } from 'pg';
import { PG_MIGRATIONS } from './pg-migrations';
import type { PgMigration } from './pg-migrations';

/**
 * Brings the team database to this engine's schema. Engines of a team start at any moment and in
 * any number, so the steps run under a session advisory lock: the first engine migrates, the
 * others wait on the lock, then find nothing left to do. (A pooler in transaction mode breaks
 * session locks; docs/TEAM_MODE.md says to connect engines directly or in session mode.)
 *
 * An engine older than the database must not run against it: it would write rows the newer
 * schema reads differently. It refuses before writing anything — reading the version and
 * holding the lock are all it did.
 */

/** Arbitrary but fixed: every engine of every version must take the same lock. */
export const MIGRATION_LOCK_KEY = 7_145_011_001;

export class SchemaTooNewError extends Error {
  readonly retryable = false;
  constructor(
    readonly databaseVersion: number,
    readonly engineVersion: number,
  ) {
    super(
      `The team database is at schema version ${databaseVersion}, newer than this engine knows ` +
        `(${engineVersion}): another engine of the team runs a newer release. Upgrade this engine; ` +
        `it has changed nothing in the database.`,
    );
    this.name = 'SchemaTooNewError';
  }
}

export interface MigrationResult {
  from: number;
  to: number;
  /** Versions this call applied (empty when another engine had already done them). */
  applied: number[];
}

export async function migrateTeamDatabase(
  pool: Pool,
  migrations: readonly PgMigration[] = PG_MIGRATIONS,
): Promise<MigrationResult> {
  checkList(migrations);
  const known = migrations.length;
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const from = await schemaVersion(client);
      if (from > known) throw new SchemaTooNewError(from, known);
      const applied: number[] = [];
      for (const step of migrations.slice(from)) {
        await client.query('BEGIN');
        try {
          if (step.version === 1) {
            await client.query(
              `CREATE TABLE IF NOT EXISTS schema_migrations (
                 version integer PRIMARY KEY,
                 name text NOT NULL,
                 applied_at timestamptz NOT NULL DEFAULT clock_timestamp())`,
            );
          }
          await client.query(step.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            step.version,
            step.name,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw new Error(`team database migration ${step.version} (${step.name}) failed: ${(error as Error).message}`);
        }
        applied.push(step.version);
      }
      return { from, to: Math.max(from, known), applied };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}

/** The highest version recorded, or 0 for an empty database. Reads only. */
export async function schemaVersion(client: { query: Pool['query'] }): Promise<number> {
  const exists = await client.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  if (!exists.rows[0]?.t) return 0;
  const result = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  return result.rows[0]?.v ?? 0;
}

function checkList(migrations: readonly PgMigration[]): void {
  migrations.forEach((step, index) => {
    if (step.version !== index + 1) throw new Error(`team migration list out of order at ${step.version}`);
  });
}
