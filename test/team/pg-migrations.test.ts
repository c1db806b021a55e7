import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateTeamDatabase, SchemaTooNewError, schemaVersion } from '../../src/main/engine/team/pg-migrate';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from '../../src/main/engine/team/pg-migrations';
import { pgApplicationTimeline } from '../../src/main/engine/sync/application-timeline';
import { pgClaimJobs } from '../../src/main/engine/sync/claim-jobs';
import { pgCompleteJobs } from '../../src/main/engine/sync/complete-job';
import { PG_COUNT_IN_DOUBT, pgCountJobs, pgCountJobsInDoubt } from '../../src/main/engine/sync/job-counts';
import { pgListJobs } from '../../src/main/engine/sync/list-jobs';
import { TeamDatabase } from '../../src/main/engine/team/pg-connection';
import { pgEnqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import { newJob } from '../fixtures/new-job';
import { pgAvailable } from '../helpers/pg-cluster';
import { connectTeam, freshTeamDatabase } from '../helpers/team-db';
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

  it('counts the jobs in doubt for the ops snapshot without reading every stored job (step 6)', async () => {
    const db = await connectTeam(await freshTeamDatabase(cluster()));
    // A retained history: 20,000 completed jobs, three of the open ones in doubt.
    for (let i = 0; i < 20; i += 1)
      await pgEnqueueJobs(
        db,
        Array.from({ length: 1000 }, (_, k) => newJob(`h${i * 1000 + k}`, { runAfter: 0 })),
      );
    await db.query("UPDATE sync_jobs SET status = 'completed', completed_at = 1 WHERE id > 3");
    await db.query('UPDATE sync_jobs SET in_doubt = true WHERE id <= 3');
    await db.query('ANALYZE sync_jobs');
    expect(await pgCountJobsInDoubt(db)).toBe(3);
    const plan = JSON.stringify(await db.query(`EXPLAIN (FORMAT JSON) ${PG_COUNT_IN_DOUBT}`));
    expect(plan).toContain('sync_jobs_in_doubt');
    expect(plan).not.toContain('Seq Scan');
  });

  it('keeps the jobs of a database findable by status and by application across step 5 (indexes rebuilt as partial ones)', async () => {
    const url = await cluster().createDatabase();
    const db = new TeamDatabase({ connectionString: url, max: 2 });
    try {
      await migrateTeamDatabase(db.pool, PG_MIGRATIONS.slice(0, 3));
      // APP-A: two events, the first written; APP-B: one event still waiting.
      await pgEnqueueJobs(db, [
        newJob('a1', { runAfter: 0, applicationId: 'APP-A', occurredAt: 1 }),
        newJob('a2', { runAfter: 0, applicationId: 'APP-A', occurredAt: 2 }),
        newJob('b1', { runAfter: 0, applicationId: 'APP-B', occurredAt: 1 }),
      ]);
      const claimed = (await pgClaimJobs(db, { owner: 'e1', leaseMs: 60_000, limit: 10 })).filter(
        (job) => job.eventId === 'evt-a1',
      );
      const attempt = {
        at: Date.now(),
        label: 'initial',
        outcome: 'success' as const,
        statusCode: 201,
        latencyMs: 5,
        error: null,
      };
      await pgCompleteJobs(
        db,
        claimed.map((job) => ({ jobId: job.id, owner: 'e1', leaseToken: job.leaseToken, attempt })),
      );

      expect((await migrateTeamDatabase(db.pool)).applied).toEqual(
        PG_MIGRATIONS.filter((m) => m.version > 3).map((m) => m.version),
      );
      const eventIds = async (query: Parameters<typeof pgListJobs>[1]): Promise<string[]> =>
        (await pgListJobs(db, query)).jobs.map((job) => job.eventId);
      expect(await eventIds({ applicationId: 'APP-A' })).toEqual(['evt-a2', 'evt-a1']);
      expect(await eventIds({ applicationId: 'APP-A', status: 'completed' })).toEqual(['evt-a1']);
      expect(await eventIds({ status: 'completed' })).toEqual(['evt-a1']);
      expect(await eventIds({ status: 'processing' })).toEqual(['evt-b1']);
      expect(await eventIds({ status: 'pending' })).toEqual(['evt-a2']);
      expect((await pgApplicationTimeline(db, 'APP-A')).events.map((event) => [event.eventId, event.status])).toEqual([
        ['evt-a1', 'completed'],
        ['evt-a2', 'pending'],
      ]);
      expect(await pgCountJobs(db, { applicationId: 'APP-A' })).toMatchObject({
        completed: 1,
        pending: 1,
        processing: 0,
      });
      expect(await pgCountJobs(db)).toMatchObject({ completed: 1, pending: 1, processing: 1 });
    } finally {
      await db.close();
    }
  });
});
