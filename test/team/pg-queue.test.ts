import { describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../../src/main/engine/sync/record-attempt';
import type { TeamDatabase } from '../../src/main/engine/team/pg-connection';
import { pgClaimJobs, pgNextDueAt } from '../../src/main/engine/sync/claim-jobs';
import { pgCompleteJob, pgCompleteJobs } from '../../src/main/engine/sync/complete-job';
import type { EnqueuedJob } from '../../src/main/engine/sync/enqueue-jobs';
import { pgEnqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import { pgFailJob, pgSnoozeJob } from '../../src/main/engine/sync/fail-job';
import { JOBS_DUE_CHANNEL } from '../../src/main/engine/team/pg-queue/queue-channel';
import { pgReleaseExpiredLeases, pgReleaseOwnedLeases } from '../../src/main/engine/sync/release-leases';
import { newJob } from '../fixtures/new-job';
import { pgAvailable } from '../helpers/pg-cluster';
import { connectTeam, freshTeamDatabase } from '../helpers/team-db';
import { usePgCluster } from '../helpers/use-pg-cluster';

const BACKOFF = [60_000, 300_000];
const attempt = (label: string, outcome: 'success' | 'retryable_failure' = 'success'): AttemptRecord => ({
  at: Date.now(),
  label,
  outcome,
  statusCode: outcome === 'success' ? 201 : 503,
  latencyMs: 40,
  error: outcome === 'success' ? null : 'iCIMS answered 503',
});

async function jobRow(db: TeamDatabase, id: number) {
  const rows = await db.query<{
    status: string;
    attempts: number;
    initial_failed: boolean;
    lease_owner: string | null;
    run_after: string;
    now: string;
  }>(
    'SELECT status, attempts, initial_failed, lease_owner, run_after, team_now_ms() AS now FROM sync_jobs WHERE id = $1',
    [id],
  );
  return rows[0]!;
}

describe.skipIf(!pgAvailable)('PostgreSQL queue operations (real PostgreSQL)', () => {
  const cluster = usePgCluster();

  it('stores each event once, in a batch and across batches, and wakes listening engines', async () => {
    const url = await freshTeamDatabase(cluster());
    const db = await connectTeam(url);
    const listener = await connectTeam(url);
    await listener.listen(JOBS_DUE_CHANNEL);
    const woken = new Promise<string>((resolve) => listener.once('notification', (n) => resolve(n.channel)));

    const first = await pgEnqueueJobs(db, [
      newJob(1, { runAfter: 0 }),
      newJob(2, { runAfter: 0 }),
      newJob(1, { runAfter: 0 }),
    ]);
    expect(first.map((r) => r.duplicate)).toEqual([false, false, true]);
    expect(first[2]?.jobId).toBe(first[0]?.jobId);
    expect(await woken).toBe(JOBS_DUE_CHANNEL);

    const again = await pgEnqueueJobs(await connectTeam(url), [newJob(2, { runAfter: 0 })]);
    expect(again).toEqual([{ eventId: 'evt-2', jobId: first[1]?.jobId, duplicate: true }]);
    expect(await db.query('SELECT count(*)::int AS n FROM sync_jobs')).toEqual([{ n: 2 }]);
  });

  it('answers a mixed batch in input order: new jobs, in-batch, stored and pruned duplicates', async () => {
    const url = await freshTeamDatabase(cluster());
    const db = await connectTeam(url);
    const [stored] = await pgEnqueueJobs(db, [newJob('stored', { runAfter: 0 })]);
    // Retention pruned this event's job (id 9001) and left its tombstone.
    await db.query(
      "INSERT INTO event_tombstones (event_id, job_id, status, pruned_at) VALUES ('evt-pruned', 9001, 'completed', team_now_ms())",
    );

    const answers = await pgEnqueueJobs(db, [
      newJob('a', { runAfter: 0, payload: '{"first":true}', noteText: 'first note' }),
      newJob('stored', { runAfter: 0 }),
      newJob('pruned', { runAfter: 0 }),
      newJob('a', { runAfter: 0, payload: '{"second":true}', noteText: 'second note' }),
      newJob('b', { runAfter: 0, occurredAt: 5_000, destination: 'mock' }),
      newJob('pruned', { runAfter: 0 }),
      newJob('stored', { runAfter: 0 }),
      newJob('c', { runAfter: 0 }),
    ]);
    const [a, , , , b, , , c] = answers;
    expect(answers).toEqual([
      { eventId: 'evt-a', jobId: a!.jobId, duplicate: false },
      { eventId: 'evt-stored', jobId: stored!.jobId, duplicate: true },
      { eventId: 'evt-pruned', jobId: 9001, duplicate: true },
      { eventId: 'evt-a', jobId: a!.jobId, duplicate: true },
      { eventId: 'evt-b', jobId: b!.jobId, duplicate: false },
      { eventId: 'evt-pruned', jobId: 9001, duplicate: true },
      { eventId: 'evt-stored', jobId: stored!.jobId, duplicate: true },
      { eventId: 'evt-c', jobId: c!.jobId, duplicate: false },
    ]);
    // New jobs take ids in input order, so the claim (run_after, id) takes them in that order.
    expect(stored!.jobId < a!.jobId && a!.jobId < b!.jobId && b!.jobId < c!.jobId).toBe(true);

    const rows = await db.query<{
      event_id: string;
      payload: string;
      note_text: string;
      occurred_at: string;
      created_at: string;
      run_after: string;
      destination: string | null;
    }>(
      `SELECT event_id, payload, note_text, occurred_at, created_at, run_after, destination
         FROM sync_jobs JOIN sync_job_bodies ON job_id = id ORDER BY id`,
    );
    expect(rows.map((row) => row.event_id)).toEqual(['evt-stored', 'evt-a', 'evt-b', 'evt-c']);
    // The first of an event id is what is stored; the pruned event id left nothing behind.
    expect(rows[1]).toMatchObject({ payload: '{"first":true}', note_text: 'first note', destination: null });
    expect(rows[2]).toMatchObject({ occurred_at: '5000', destination: 'mock' });
    // No occurredAt: when it was stored, on the database clock; due at once.
    expect(rows[3]!.occurred_at).toBe(rows[3]!.created_at);
    expect(rows[3]!.run_after).toBe(rows[3]!.created_at);
    expect(await db.query('SELECT count(*)::int AS n FROM event_tombstones')).toEqual([{ n: 1 }]);

    // A batch of nothing new stores nothing and answers each from what holds it.
    expect(await pgEnqueueJobs(db, [newJob('pruned', { runAfter: 0 }), newJob('c', { runAfter: 0 })])).toEqual([
      { eventId: 'evt-pruned', jobId: 9001, duplicate: true },
      { eventId: 'evt-c', jobId: c!.jobId, duplicate: true },
    ]);
    expect(await db.query('SELECT count(*)::int AS n FROM sync_jobs')).toEqual([{ n: 4 }]);
  });

  it('stores each event id once when two engines enqueue the same events at once, and both get its job id', async () => {
    const url = await freshTeamDatabase(cluster());
    const a = await connectTeam(url);
    const b = await connectTeam(url);
    const batch = Array.from({ length: 200 }, (_, i) => newJob(i, { runAfter: 0 }));
    for (let round = 0; round < 3; round += 1) {
      const slice = batch.slice(round * 50, round * 50 + 100);
      const [fromA, fromB] = await Promise.all([pgEnqueueJobs(a, slice), pgEnqueueJobs(b, slice)]);
      expect(fromA.map((r) => r.jobId)).toEqual(fromB.map((r) => r.jobId));
      expect(fromA.map((r) => r.eventId)).toEqual(slice.map((job) => job.eventId));
    }
    const rows = await a.query<{ n: number; events: number; bodies: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS events,
              (SELECT count(*)::int FROM sync_job_bodies) AS bodies FROM sync_jobs`,
    );
    expect(rows).toEqual([{ n: 200, events: 200, bodies: 200 }]);
  });

  it('two engines enqueuing the same events in opposite orders at once both succeed: no deadlock, each event once', async () => {
    const url = await freshTeamDatabase(cluster());
    const a = await connectTeam(url);
    const b = await connectTeam(url);
    // The scheduling system re-posting a batch to another engine, rebuilt in another order.
    for (let round = 0; round < 5; round += 1) {
      const batch = Array.from({ length: 400 }, (_, i) => newJob(`r${round}-${i}`, { runAfter: 0 }));
      const reversed = [...batch].reverse();
      const [fromA, fromB] = await Promise.all([pgEnqueueJobs(a, batch), pgEnqueueJobs(b, reversed)]);
      expect(fromA.map((r) => r.eventId)).toEqual(batch.map((job) => job.eventId));
      expect([...fromB].reverse().map((r) => r.jobId)).toEqual(fromA.map((r) => r.jobId));
      // Each event is new to exactly one of the two engines.
      expect(fromA.filter((r) => !r.duplicate).length + fromB.filter((r) => !r.duplicate).length).toBe(400);
    }
    expect(await a.query('SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS events FROM sync_jobs')).toEqual([
      { n: 2000, events: 2000 },
    ]);
    // Stored in event-id order, numbered in arrival order: an application's jobs of the same
    // moment still go out in the order they came.
    const arrival = await pgEnqueueJobs(
      a,
      ['zulu', 'alpha', 'mike'].map((id) => newJob(id, { runAfter: 0 })),
    );
    const ids = arrival.map((r) => r.jobId);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
  });

  it("answers an event id another engine committed while the batch waited on it with that engine's job", async () => {
    const url = await freshTeamDatabase(cluster());
    const a = await connectTeam(url);
    const b = await connectTeam(url);
    let waiting: Promise<EnqueuedJob[]> | undefined;
    // Engine A has stored evt-race but not committed yet; engine B's batch must wait for it.
    const held = await a.transaction(async (client) => {
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO sync_jobs (event_id, type, application_id, entity_type, entity_id, status, max_attempts,
                                idempotency_key, run_after, created_at, updated_at)
         VALUES ('evt-race', 'booked', 'APP-race', 'booking', 'x', 'pending', 5, 'key-race', 0, 0, 0) RETURNING id`,
      );
      waiting = pgEnqueueJobs(b, [
        newJob('before', { runAfter: 0 }),
        newJob('race', { runAfter: 0 }),
        newJob('after', { runAfter: 0 }),
      ]);
      await expect
        .poll(
          async () =>
            (
              await a.query<{ n: number }>(
                "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
              )
            )[0]!.n,
          { timeout: 10_000, interval: 20 },
        )
        .toBe(1);
      return Number(rows[0]!.id);
    });
    const answers = await waiting!;
    expect(answers.map((r) => [r.eventId, r.duplicate])).toEqual([
      ['evt-before', false],
      ['evt-race', true],
      ['evt-after', false],
    ]);
    expect(answers[1]!.jobId).toBe(held);
    expect(await a.query('SELECT count(*)::int AS n FROM sync_jobs')).toEqual([{ n: 3 }]);
  });

  it('several engines claiming at once with SKIP LOCKED never get the same job, and together get them all', async () => {
    const url = await freshTeamDatabase(cluster());
    const db = await connectTeam(url);
    const total = 300;
    await pgEnqueueJobs(
      db,
      Array.from({ length: total }, (_, i) => newJob(i, { runAfter: 0 })),
    );

    const engines = await Promise.all(Array.from({ length: 6 }, () => connectTeam(url, { max: 2 })));
    const claimedBy = new Map<number, string[]>();
    await Promise.all(
      engines.map(async (engine, i) => {
        const owner = `engine-${i}`;
        for (;;) {
          const batch = await pgClaimJobs(engine, { owner, leaseMs: 60_000, limit: 7 });
          if (batch.length === 0) return;
          for (const job of batch) claimedBy.set(job.id, [...(claimedBy.get(job.id) ?? []), owner]);
        }
      }),
    );

    expect(claimedBy.size).toBe(total);
    expect([...claimedBy.values()].filter((owners) => owners.length > 1)).toEqual([]);
    const owners = await db.query<{ id: string; lease_owner: string }>(
      "SELECT id, lease_owner FROM sync_jobs WHERE status = 'processing'",
    );
    expect(owners).toHaveLength(total);
    for (const row of owners) expect(claimedBy.get(Number(row.id))).toEqual([row.lease_owner]);
    // More than one engine took part, or the test proved nothing about concurrency.
    expect(new Set(owners.map((row) => row.lease_owner)).size).toBeGreaterThan(1);
  });

  it('claims only jobs made for its destination, and the notes of one application one at a time in event order', async () => {
    const url = await freshTeamDatabase(cluster());
    const db = await connectTeam(url);
    const real = 'real https://api.icims.com/customers/1';
    const [mock] = await pgEnqueueJobs(db, [newJob('mock', { runAfter: 0, destination: 'mock' })]);
    // One application, three events stored out of order: the reschedule happened last.
    const jobs = await pgEnqueueJobs(db, [
      newJob('reschedule', { runAfter: 0, applicationId: 'APP-7', occurredAt: 3_000, destination: real }),
      newJob('booked', { runAfter: 0, applicationId: 'APP-7', occurredAt: 1_000, destination: real }),
      newJob('cancel', { runAfter: 0, applicationId: 'APP-7', occurredAt: 5_000, destination: real }),
    ]);
    const [reschedule, booked, cancel] = jobs.map((job) => job.jobId);

    const claim = () => pgClaimJobs(db, { owner: 'engine-a', leaseMs: 60_000, limit: 10, destination: real });
    const finish = (job: { id: number; leaseToken: string }) =>
      pgCompleteJob(db, { jobId: job.id, owner: 'engine-a', leaseToken: job.leaseToken, attempt: attempt('initial') });
    // Only the earliest event of the application, and never the mock job.
    const [first] = await claim();
    expect(first?.id).toBe(booked);
    // While it is in flight, the later ones wait for it; nothing is due for this engine by the clock.
    expect(await claim()).toEqual([]);
    expect(await pgNextDueAt(db, real)).toBeNull();
    expect(await finish(first!)).toBe(true);
    const [second] = await claim();
    expect(second?.id).toBe(reschedule);
    expect(await finish(second!)).toBe(true);
    expect((await claim()).map((job) => job.id)).toEqual([cancel]);

    // The mock job stays for a mock engine.
    expect((await jobRow(db, mock!.jobId)).status).toBe('pending');
    expect(await pgNextDueAt(db, 'mock')).not.toBeNull();
    expect(
      (await pgClaimJobs(db, { owner: 'engine-m', leaseMs: 60_000, limit: 10, destination: 'mock' })).map((j) => j.id),
    ).toEqual([mock!.jobId]);
  });

  it('completes only under the lease that claimed the job: an engine that lost it changes nothing', async () => {
    const url = await freshTeamDatabase(cluster());
    const a = await connectTeam(url);
    const b = await connectTeam(url);
    const jobId = (await pgEnqueueJobs(a, [newJob('lease', { runAfter: 0 })]))[0]!.jobId;

    const [mine] = await pgClaimJobs(a, { owner: 'engine-a', leaseMs: 0, limit: 10 });
    expect(mine).toMatchObject({ id: jobId, noteText: 'note lease', leaseToken: expect.any(String) });
    // engine-a stalls past its lease; the team takes the job back and engine-b claims it.
    expect(await pgReleaseExpiredLeases(b)).toEqual([jobId]);
    const [theirs] = await pgClaimJobs(b, { owner: 'engine-b', leaseMs: 60_000, limit: 10 });
    expect(theirs?.id).toBe(jobId);

    expect(
      await pgCompleteJob(a, { jobId, owner: 'engine-a', leaseToken: mine!.leaseToken, attempt: attempt('initial') }),
    ).toBe(false);
    // Same owner name after a restart, but not the lease: still refused.
    expect(await pgCompleteJob(a, { jobId, owner: 'engine-b', leaseToken: mine!.leaseToken })).toBe(false);
    expect((await jobRow(a, jobId)).lease_owner).toBe('engine-b');

    expect(
      await pgCompleteJob(b, { jobId, owner: 'engine-b', leaseToken: theirs!.leaseToken, attempt: attempt('initial') }),
    ).toBe(true);
    expect((await jobRow(a, jobId)).status).toBe('completed');
    const history = await a.query<{ outcome: string }>(
      'SELECT outcome FROM job_attempts WHERE job_id = $1 ORDER BY id',
      [jobId],
    );
    // The release, then engine-a's late try (it happened); engine-b's success sits on the row.
    expect(history.map((h) => h.outcome)).toEqual(['released', 'success']);
    expect(await a.query('SELECT completed FROM job_completion_minutes')).toEqual([{ completed: 1 }]);
  });

  it('completes a batch in one go, each job under its own lease: a job another engine took over stays theirs', async () => {
    const url = await freshTeamDatabase(cluster());
    const a = await connectTeam(url);
    const b = await connectTeam(url);
    await pgEnqueueJobs(
      a,
      [1, 2, 3].map((i) => newJob(`batch-${i}`, { runAfter: 0 })),
    );
    const mine = await pgClaimJobs(a, { owner: 'engine-a', leaseMs: 60_000, limit: 10 });
    expect(mine).toHaveLength(3);
    // engine-a stalls past its lease on the last job; the team takes it back and engine-b claims it.
    const lost = mine[2]!;
    await a.query('UPDATE sync_jobs SET lease_expires_at = 0 WHERE id = $1', [lost.id]);
    expect(await pgReleaseExpiredLeases(b)).toEqual([lost.id]);
    const [theirs] = await pgClaimJobs(b, { owner: 'engine-b', leaseMs: 60_000, limit: 10 });
    expect(theirs?.id).toBe(lost.id);

    const applied = await pgCompleteJobs(
      a,
      mine.map((job) => ({
        jobId: job.id,
        owner: 'engine-a',
        leaseToken: job.leaseToken,
        attempt: attempt('initial'),
      })),
    );
    expect(applied).toEqual([true, true, false]);
    const rows = await a.query<{
      id: string;
      status: string;
      lease_owner: string | null;
      success_label: string | null;
    }>('SELECT id, status, lease_owner, success_label FROM sync_jobs ORDER BY id');
    expect(rows.map((r) => [r.status, r.lease_owner, r.success_label])).toEqual([
      ['completed', null, 'initial'],
      ['completed', null, 'initial'],
      ['processing', 'engine-b', null],
    ]);
    // engine-a's late try on the lost job happened, so its history says so, as completeJob's would.
    const history = await a.query<{ outcome: string }>(
      'SELECT outcome FROM job_attempts WHERE job_id = $1 ORDER BY id',
      [lost.id],
    );
    expect(history.map((h) => h.outcome)).toEqual(['released', 'success']);
    expect(await a.query('SELECT completed FROM job_completion_minutes')).toEqual([{ completed: 2 }]);

    // A try that does not fit the row's success columns still completes, with its own history row.
    expect(
      await pgCompleteJobs(b, [
        {
          jobId: lost.id,
          owner: 'engine-b',
          leaseToken: theirs!.leaseToken,
          attempt: { ...attempt('read-back'), error: 'found' },
        },
      ]),
    ).toEqual([true]);
    expect((await jobRow(a, lost.id)).status).toBe('completed');
  });

  it('a failed try backs off on the database clock; a hold gives the job back without spending a retry', async () => {
    const url = await freshTeamDatabase(cluster());
    const db = await connectTeam(url);
    const jobId = (await pgEnqueueJobs(db, [newJob('fail', { runAfter: 0 })]))[0]!.jobId;

    let [job] = await pgClaimJobs(db, { owner: 'engine-a', leaseMs: 60_000, limit: 1 });
    const retry = await pgFailJob(db, {
      jobId,
      owner: 'engine-a',
      leaseToken: job!.leaseToken,
      verdict: { kind: 'retryable' },
      error: 'iCIMS answered 503',
      backoffMs: BACKOFF,
      attempt: attempt('initial', 'retryable_failure'),
    });
    expect(retry).toMatchObject({ applied: true, status: 'pending', attempts: 0 });
    let row = await jobRow(db, jobId);
    expect(row.initial_failed).toBe(true);
    expect(Number(row.run_after) - Number(row.now)).toBeGreaterThan(50_000);
    expect(await pgClaimJobs(db, { owner: 'engine-a', leaseMs: 60_000, limit: 1 })).toEqual([]); // not due yet
    expect(await pgNextDueAt(db)).toBe(Number(row.run_after));

    // Due again (as if the backoff had passed), then the team hits a 429 hold: snooze.
    await db.query('UPDATE sync_jobs SET run_after = 0 WHERE id = $1', [jobId]);
    [job] = await pgClaimJobs(db, { owner: 'engine-a', leaseMs: 60_000, limit: 1 });
    const snoozed = await pgSnoozeJob(db, {
      jobId,
      owner: 'engine-a',
      leaseToken: job!.leaseToken,
      waitMs: 30_000,
      error: 'iCIMS rate limit: waiting 30 s',
    });
    expect(snoozed).toMatchObject({ applied: true, status: 'pending', attempts: 0 });
    row = await jobRow(db, jobId);
    expect(row).toMatchObject({ attempts: 0, initial_failed: true, lease_owner: null });

    // A wrong lease cannot fail the job either.
    await db.query('UPDATE sync_jobs SET run_after = 0 WHERE id = $1', [jobId]);
    [job] = await pgClaimJobs(db, { owner: 'engine-a', leaseMs: 60_000, limit: 1 });
    expect(
      await pgFailJob(db, {
        jobId,
        owner: 'engine-a',
        leaseToken: '00000000-0000-0000-0000-000000000000',
        verdict: { kind: 'permanent' },
        error: 'x',
        backoffMs: BACKOFF,
      }),
    ).toMatchObject({ applied: false });
    expect(
      await pgFailJob(db, {
        jobId,
        owner: 'engine-a',
        leaseToken: job!.leaseToken,
        verdict: { kind: 'permanent' },
        error: 'iCIMS answered 404',
        backoffMs: BACKOFF,
      }),
    ).toMatchObject({ applied: true, status: 'failed' });
    expect((await jobRow(db, jobId)).status).toBe('failed');
  });

  it('a graceful stop gives back what the engine holds, due now, with a history line', async () => {
    const url = await freshTeamDatabase(cluster());
    const db = await connectTeam(url);
    await pgEnqueueJobs(db, [newJob('x', { runAfter: 0 }), newJob('y', { runAfter: 0 })]);
    const held = await pgClaimJobs(db, { owner: 'engine-a', leaseMs: 60_000, limit: 5 });
    expect(await pgReleaseExpiredLeases(db)).toEqual([]); // leases still valid
    expect(await pgReleaseOwnedLeases(db, 'engine-a')).toEqual(held.map((j) => j.id));
    const lines = await db.query<{ label: string; outcome: string; error: string }>(
      'SELECT label, outcome, error FROM job_attempts ORDER BY id',
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      label: 'initial',
      outcome: 'released',
      error: expect.stringContaining('Released at shutdown'),
    });
    expect(await pgClaimJobs(db, { owner: 'engine-b', leaseMs: 60_000, limit: 5 })).toHaveLength(2);
  });
});
