import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateTeamDatabase, SchemaTooNewError, schemaVersion } from '../../src/main/engine/team/pg-migrate';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from '../../src/main/engine/team/pg-migrations';
import { pgAvailable } from '../helpers/pg-cluster';
import { usePgCluster } from '../helpers/use-pg-cluster';

describe.skipIf(!pgAvailable)('team database migrations (real PostgreSQL)', () => {
  const cluster = usePgCluster();
  const pools: pg.Pool[] = [];
  const poolFor = (url: string): pg.Pool => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pools.push(pool);
    return pool;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.end()));
  });

  const tables = async (pool: pg.Pool): Promise<string[]> =>
    (
      await pool.query<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
      )
    ).rows.map((row) => row.name);

  it('brings an empty database to the current schema, and a second run does nothing', async () => {
    const pool = poolFor(await cluster().createDatabase());
    const first = await migrateTeamDatabase(pool);
    expect(first).toEqual({ from: 0, to: PG_SCHEMA_VERSION, applied: PG_MIGRATIONS.map((m) => m.version) });
    expect(await tables(pool)).toEqual(
      expect.arrayContaining([
        'sync_jobs',
        'sync_job_bodies',
        'job_attempts',
        'api_calls',
        'api_call_minutes',
        'settings',
        'rate_reservations',
        'team_state',
        'team_nodes',
        'team_secrets',
        'event_tombstones',
      ]),
    );
    const second = await migrateTeamDatabase(pool);
    expect(second.applied).toEqual([]);
    expect(second.from).toBe(PG_SCHEMA_VERSION);
  });

  it('migrates once when several engines start at the same moment', async () => {
    const url = await cluster().createDatabase();
    const results = await Promise.all([1, 2, 3, 4].map(() => migrateTeamDatabase(poolFor(url))));
    const appliers = results.filter((result) => result.applied.length > 0);
    expect(appliers).toHaveLength(1);
    expect(appliers[0]?.applied).toEqual(PG_MIGRATIONS.map((m) => m.version));
    const rows = await poolFor(url).query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.rows.map((row) => row.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
  });

  it('refuses a database whose schema is newer than this engine, and changes nothing in it', async () => {
    const pool = poolFor(await cluster().createDatabase());
    await migrateTeamDatabase(pool);
    const newer = PG_SCHEMA_VERSION + 1;
    await pool.query("INSERT INTO schema_migrations (version, name) VALUES ($1, 'from a newer engine')", [newer]);
    await pool.query('CREATE TABLE newer_engine_table (id integer)');
    const before = {
      tables: await tables(pool),
      migrations: (await pool.query('SELECT * FROM schema_migrations ORDER BY version')).rows,
    };

    const error = await migrateTeamDatabase(pool).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaTooNewError);
    expect((error as Error).message).toMatch(
      `schema version ${newer}, newer than this engine knows (${PG_SCHEMA_VERSION})`,
    );
    expect((error as Error).message).toMatch(/changed nothing/);

    expect(await tables(pool)).toEqual(before.tables);
    expect((await pool.query('SELECT * FROM schema_migrations ORDER BY version')).rows).toEqual(before.migrations);
    const client = await pool.connect();
    try {
      expect(await schemaVersion(client)).toBe(newer);
      // The lock was given back: the next engine is not blocked behind the refusal.
      const lock = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(7145011001) AS ok');
      expect(lock.rows[0]?.ok).toBe(true);
    } finally {
      client.release();
    }
  });

  it('rolls a failing step back whole and reports which step failed', async () => {
    const pool = poolFor(await cluster().createDatabase());
    const broken = [
      ...PG_MIGRATIONS,
      {
        version: PG_SCHEMA_VERSION + 1,
        name: 'broken step',
        sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();',
      },
    ];
    await expect(migrateTeamDatabase(pool, broken)).rejects.toThrow(
      `team database migration ${PG_SCHEMA_VERSION + 1} (broken step) failed`,
    );
    expect(await tables(pool)).not.toContain('half_done');
    const client = await pool.connect();
    try {
      expect(await schemaVersion(client)).toBe(PG_SCHEMA_VERSION);
    } finally {
      client.release();
    }
  });
});
