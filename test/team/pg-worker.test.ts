import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/main/engine/clock';
import { createIcimsClient } from '../../src/main/engine/icims/create-client';
import type { IcimsClientHandle } from '../../src/main/engine/icims/create-client';
import type { Logger } from '../../src/main/engine/logger';
import { silentLogger } from '../../src/main/engine/logger';
import { SyncWorker } from '../../src/main/engine/sync/sync-worker';
import { TeamDatabase } from '../../src/main/engine/team/pg-connection';
import { pgEnqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import { pgWorkerQueue } from '../../src/main/engine/team/pg-worker-queue';
import { startFakeIcims } from '../fakes/fake-icims';
import type { FakeFault, FakeIcims, FakeIcimsOptions } from '../fakes/fake-icims';
import { configFor, fakeAuth } from '../fakes/icims-fixtures';
import { CapturingLogger, RecordingSink } from '../fakes/recording-sink';
import { newJob } from '../fixtures/new-job';
import { pgAvailable } from '../helpers/pg-cluster';
import { freshTeamDatabase } from '../helpers/team-db';
import { usePgCluster } from '../helpers/use-pg-cluster';

/*
 * The real SyncWorker over the team's PostgreSQL queue (pgWorkerQueue) on a throwaway cluster,
 * writing through the real HTTP client to the fake iCIMS. The fake keeps every POST that gets
 * through (`dedupe: false`) and does not hand keys back on read (`carryKeys: false`), so a note
 * written twice shows up as two notes and a read-back must find its note by text.
 */

const NON_DEDUP: FakeIcimsOptions = { auth: fakeAuth('apiKey'), dedupe: false, carryKeys: false };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  // Workers first, then their clients and databases, then the fake.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function fake(options: FakeIcimsOptions = {}): Promise<FakeIcims> {
  const started = await startFakeIcims({ ...NON_DEDUP, ...options });
  cleanups.push(() => started.close());
  return started;
}

async function teamDb(url: string): Promise<TeamDatabase> {
  const db = new TeamDatabase({ connectionString: url, max: 3, backoffMs: 50, maxBackoffMs: 500 });
  cleanups.push(() => db.close());
  await db.open();
  return db;
}

interface Engine {
  worker: SyncWorker;
  /** The iCIMS calls this engine made. */
  sink: RecordingSink;
  client: IcimsClientHandle;
}

/** One engine: its own connection, client and worker, started. */
async function engine(
  url: string,
  icims: FakeIcims,
  options: { owner: string; leaseMs?: number; logger?: Logger; env?: Record<string, string> },
): Promise<Engine> {
  const db = await teamDb(url);
  const sink = new RecordingSink();
  const config = configFor(icims, 'apiKey', 'applications', { ICIMS_TIMEOUT_MS: '400', ...options.env });
  const client = createIcimsClient(config.icims, { sink, random: () => 0.5 });
  cleanups.push(() => client.close());
  const worker = new SyncWorker({
    queue: pgWorkerQueue(db, { backoffMs: () => [100] }),
    client: () => client,
    clock: systemClock,
    logger: options.logger ?? silentLogger,
    owner: options.owner,
    leaseMs: options.leaseMs ?? 60_000,
    pollIntervalMs: 200,
    concurrency: () => 4,
    pauseStore: { load: () => null, save: () => {} },
    onChange: () => {},
    shutdownGraceMs: 1_000,
  });
  cleanups.push(() => worker.stop());
  worker.start();
  return { worker, sink, client };
}

async function enqueue(db: TeamDatabase, count: number, prefix: string): Promise<number[]> {
  const jobs = Array.from({ length: count }, (_, i) => newJob(`${prefix}-${i}`, { runAfter: 0 }));
  return (await pgEnqueueJobs(db, jobs)).map((job) => job.jobId);
}

async function statusCounts(db: TeamDatabase): Promise<Record<string, number>> {
  const rows = await db.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM sync_jobs GROUP BY status',
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

async function until<T>(what: string, probe: () => Promise<T | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function allCompleted(db: TeamDatabase, total: number): Promise<void> {
  await until(`${total} completed jobs`, async () => (await statusCounts(db)).completed === total);
}

async function outcomes(db: TeamDatabase, jobId: number): Promise<string[]> {
  const rows = await db.query<{ outcome: string }>('SELECT outcome FROM job_attempts WHERE job_id = $1 ORDER BY id', [
    jobId,
  ]);
  return rows.map((row) => row.outcome);
}

const notesPerText = (icims: FakeIcims) => {
  const counts = new Map<string, number>();
  for (const note of icims.notes) counts.set(note.content, (counts.get(note.content) ?? 0) + 1);
  return counts;
};

const writes = (sink: RecordingSink) => sink.calls.filter((call) => call.operation === 'addApplicationNote').length;

describe.skipIf(!pgAvailable)(
  'SyncWorker over the PostgreSQL queue (real PostgreSQL, real HTTP to the fake iCIMS)',
  () => {
    const cluster = usePgCluster();

    it('N events enqueued → N notes, each written once, each job completed with its iCIMS note id', async () => {
      const url = await freshTeamDatabase(cluster());
      const icims = await fake();
      const db = await teamDb(url);
      const ids = await enqueue(db, 30, 'one');
      await engine(url, icims, { owner: 'engine-a' });

      await allCompleted(db, 30);
      expect(icims.notes).toHaveLength(30);
      expect([...notesPerText(icims).values()].every((n) => n === 1)).toBe(true);
      expect(icims.callsTo('addNote')).toHaveLength(30);
      const rows = await db.query<{ id: number; icims_note_id: string | null; lease_owner: string | null }>(
        'SELECT id::float8 AS id, icims_note_id, lease_owner FROM sync_jobs ORDER BY id',
      );
      expect(rows.map((row) => row.id)).toEqual(ids);
      expect(new Set(rows.map((row) => row.icims_note_id)).size).toBe(30);
      expect(rows.every((row) => row.icims_note_id !== null && row.lease_owner === null)).toBe(true);
      expect(await outcomes(db, ids[0]!)).toEqual([]);
    });

    it('two engines on one database share the work: every note once, both engines wrote some', async () => {
      const url = await freshTeamDatabase(cluster());
      // Latency keeps each engine's four slots busy, so neither can drain the queue alone at once.
      const icims = await fake({ latencyMs: 20 });
      const db = await teamDb(url);
      const a = await engine(url, icims, { owner: 'engine-a' });
      const b = await engine(url, icims, { owner: 'engine-b' });
      await enqueue(db, 60, 'two');

      await allCompleted(db, 60);
      expect(icims.notes).toHaveLength(60);
      expect(notesPerText(icims).size).toBe(60);
      expect(writes(a.sink) + writes(b.sink)).toBe(60);
      expect(writes(a.sink)).toBeGreaterThan(0);
      expect(writes(b.sink)).toBeGreaterThan(0);
    });

    const lostAnswers: [string, FakeFault][] = [
      ['a 502 after the note was stored', { afterStore: true, status: 502, times: 1 }],
      ['an answer later than the client timeout', { afterStore: true, delayMs: 700, times: 1 }],
    ];
    for (const [cause, fault] of lostAnswers) {
      it(`${cause}: the job is read back, found, and not written twice`, async () => {
        const url = await freshTeamDatabase(cluster());
        const icims = await fake();
        icims.fail('addNote', fault);
        const db = await teamDb(url);
        const [id] = await enqueue(db, 1, 'doubt');
        await engine(url, icims, { owner: 'engine-a' });

        await allCompleted(db, 1);
        expect(icims.notes).toHaveLength(1);
        expect(icims.callsTo('addNote')).toHaveLength(1);
        expect(icims.callsTo('readNotes')).toHaveLength(1);
        expect(await outcomes(db, id!)).toEqual(['in_doubt', 'found_in_icims']);
        const [row] = await db.query<{ in_doubt: boolean; icims_note_id: string | null }>(
          'SELECT in_doubt, icims_note_id FROM sync_jobs WHERE id = $1',
          [id],
        );
        expect(row).toEqual({ in_doubt: false, icims_note_id: String(icims.notes[0]!.id) });
      });
    }

    it('a 503 before the note was stored: the read-back finds nothing, so it is written once', async () => {
      const url = await freshTeamDatabase(cluster());
      const icims = await fake();
      icims.fail('addNote', { status: 503, times: 1 });
      const db = await teamDb(url);
      const [id] = await enqueue(db, 1, 'refused');
      await engine(url, icims, { owner: 'engine-a' });

      await allCompleted(db, 1);
      expect(icims.notes).toHaveLength(1);
      expect(icims.callsTo('addNote').map((call) => call.status)).toEqual([503, 201]);
      expect(await outcomes(db, id!)).toEqual(['in_doubt', 'not_found_written']);
    });

    // Last in the file: it stops the cluster for a while.
    it('the database goes away while a note is on the wire: the worker keeps going, the outcome comes back by read-back, one note', async () => {
      const url = await freshTeamDatabase(cluster());
      const icims = await fake();
      // The note is stored at once; its 201 comes 3 s later, by when the database is down.
      icims.fail('addNote', { afterStore: true, delayMs: 3_000, times: 1 });
      const db = await teamDb(url);
      const [id] = await enqueue(db, 1, 'away');
      const logger = new CapturingLogger();
      const events = () => logger.lines.map((line) => (JSON.parse(line) as { event: string }).event);
      const a = await engine(url, icims, {
        owner: 'engine-a',
        leaseMs: 2_000,
        logger,
        env: { ICIMS_TIMEOUT_MS: '10000' },
      });

      await until('the note to reach the fake', async () => icims.notes.length === 1);
      await cluster().halt();
      try {
        await until('the completion to fail', async () => events().includes('job.outcome_unrecorded'), 15_000);
        expect(events()).toContain('worker.queue_failed');
        expect(a.worker.snapshot()).toMatchObject({ state: 'running', inFlight: 0 });
      } finally {
        await cluster().start();
      }

      // Its lease runs out (nobody renews it), the sweep puts it back in doubt, the read-back finds it.
      await allCompleted(db, 1);
      expect(events()).toContain('worker.queue_recovered');
      expect(icims.notes).toHaveLength(1);
      expect(icims.callsTo('addNote')).toHaveLength(1);
      expect(icims.callsTo('readNotes')).toHaveLength(1);
      expect((await outcomes(db, id!)).slice(-2)).toEqual(['released', 'found_in_icims']);
    }, 60_000);
  },
);
