import { describe, expect, it } from 'vitest';
import type { JobAttempt } from '../../src/shared/jobs';
import type { FailureVerdict } from '../../src/main/engine/sync/fail-job';
import type { AttemptRecord } from '../../src/main/engine/sync/record-attempt';
import type { TeamDatabase } from '../../src/main/engine/team/pg-connection';
import { pgCancelJobs, pgRetryJobs } from '../../src/main/engine/sync/bulk-job-actions';
import { pgCancelJob } from '../../src/main/engine/sync/cancel-job';
import { pgClaimJobs } from '../../src/main/engine/sync/claim-jobs';
import type { PgClaimedJob } from '../../src/main/engine/sync/claim-jobs';
import { pgCompleteJob } from '../../src/main/engine/sync/complete-job';
import { pgEnqueueJobs } from '../../src/main/engine/sync/enqueue-jobs';
import { pgFailJob, pgSnoozeJob } from '../../src/main/engine/sync/fail-job';
import {
  pgCountFinishedLast24h,
  pgCountJobs,
  pgCountJobsInDoubt,
  pgCountJobsInStatus,
} from '../../src/main/engine/sync/job-counts';
import { pgGetJobDetail } from '../../src/main/engine/sync/job-detail';
import { pgListJobs } from '../../src/main/engine/sync/list-jobs';
import { JOBS_DUE_CHANNEL } from '../../src/main/engine/team/pg-queue/queue-channel';
import { pgReleaseCircuitHeldJobs } from '../../src/main/engine/sync/release-circuit-held-jobs';
import { pgReleaseExpiredLeases, pgReleaseOwnedLeases } from '../../src/main/engine/sync/release-leases';
import { pgRenewLeases } from '../../src/main/engine/sync/renew-leases';
import { pgRetryAllFailed, pgRetryJob } from '../../src/main/engine/sync/retry-job';
import type { NewJob } from '../../src/main/engine/sync/enqueue-jobs';
import { newJob } from '../fixtures/new-job';
import { pgAvailable } from '../helpers/pg-cluster';
import { connectTeam, freshTeamDatabase } from '../helpers/team-db';
import { usePgCluster } from '../helpers/use-pg-cluster';

const LONG_LEASE = 60_000;

const attempt = (label: string, outcome: JobAttempt['outcome'], error: string | null = null): AttemptRecord => ({
  at: Date.now(),
  label,
  outcome,
  statusCode: outcome === 'success' ? 201 : null,
  latencyMs: 40,
  error,
});

async function jobRow(db: TeamDatabase, id: number) {
  const rows = await db.query<{
    status: string;
    attempts: number;
    initial_failed: boolean;
    manual_retries: number;
    lease_owner: string | null;
    lease_token: string | null;
    due_in: number;
    lease_left: number | null;
  }>(
    `SELECT status, attempts, initial_failed, manual_retries, lease_owner, lease_token,
            (run_after - team_now_ms())::int AS due_in, (lease_expires_at - team_now_ms())::int AS lease_left
       FROM sync_jobs WHERE id = $1`,
    [id],
  );
  return rows[0]!;
}

/** Each job in these tests has its own destination, so one engine can claim exactly the job it means. */
const isolated = (key: string, fields: Partial<NewJob> = {}): NewJob =>
  newJob(key, { runAfter: 0, destination: `d-${key}`, ...fields });

async function enqueue(db: TeamDatabase, key: string, fields: Partial<NewJob> = {}): Promise<number> {
  return (await pgEnqueueJobs(db, [isolated(key, fields)]))[0]!.jobId;
}

async function claim(db: TeamDatabase, key: string, owner = 'engine-a', leaseMs = LONG_LEASE): Promise<PgClaimedJob> {
  const [job] = await pgClaimJobs(db, { owner, leaseMs, limit: 1, destination: `d-${key}` });
  if (!job) throw new Error(`nothing to claim for ${key}`);
  return job;
}

/** One try of `key`'s job by engine-a that fails with `verdict` (a retryable failure is due again at once). */
async function tryAndFail(db: TeamDatabase, key: string, verdict: FailureVerdict, error = 'iCIMS answered 503') {
  const job = await claim(db, key);
  const outcome = verdict.kind === 'permanent' ? 'permanent_failure' : 'retryable_failure';
  const label = job.initialFailed ? `retry ${job.attempts + 1}` : 'initial';
  await pgFailJob(db, {
    jobId: job.id,
    owner: 'engine-a',
    leaseToken: job.leaseToken,
    verdict,
    error,
    backoffMs: [0],
    attempt: attempt(label, outcome, error),
  });
}

/** A job that was tried and failed for good (404), as the worker leaves it. */
async function failedJob(db: TeamDatabase, key: string): Promise<number> {
  const jobId = await enqueue(db, key);
  await tryAndFail(db, key, { kind: 'permanent' }, 'iCIMS answered 404');
  return jobId;
}

/** A job put back to wait by a hold: `outcome` says which (circuit_open, rate_limited). */
async function waitingJob(db: TeamDatabase, key: string, outcome: JobAttempt['outcome']): Promise<number> {
  const jobId = await enqueue(db, key);
  const job = await claim(db, key);
  await pgSnoozeJob(db, {
    jobId,
    owner: 'engine-a',
    leaseToken: job.leaseToken,
    waitMs: 600_000,
    error: `held: ${outcome}`,
    attempt: attempt('initial', outcome, `held: ${outcome}`),
  });
  return jobId;
}

async function completedJob(db: TeamDatabase, key: string): Promise<number> {
  const jobId = await enqueue(db, key);
  const job = await claim(db, key);
  await pgCompleteJob(db, {
    jobId,
    owner: 'engine-a',
    leaseToken: job.leaseToken,
    attempt: attempt('initial', 'success'),
  });
  return jobId;
}

const SENTINEL = 'test-sentinel';

/** What `work` returned, and how many JOBS_DUE notifications another engine received while it ran. */
async function wakesDuring<T>(url: string, work: () => Promise<T>): Promise<{ result: T; woken: number }> {
  const listener = await connectTeam(url);
  await listener.listen(JOBS_DUE_CHANNEL);
  let woken = 0;
  let sentinelSeen: () => void = () => undefined;
  const sentinel = new Promise<void>((resolve) => (sentinelSeen = resolve));
  listener.on('notification', (n) => {
    if (n.channel !== JOBS_DUE_CHANNEL) return;
    if (n.payload === SENTINEL) sentinelSeen();
    else woken += 1;
  });
  const result = await work();
  // Notifications reach a listener in commit order: once one sent after the work arrives, every
  // notification the work's commit sent has arrived too.
  await listener.notify(JOBS_DUE_CHANNEL, SENTINEL);
  await sentinel;
  return { result, woken };
}

describe.skipIf(!pgAvailable)('PostgreSQL operator actions and reads (real PostgreSQL)', () => {
  const cluster = usePgCluster();

  it('retry makes a failed job due now with a fresh budget and wakes the engines; only failed or pending jobs retry', async () => {
    const url = await freshTeamDatabase(cluster());
    const db = await connectTeam(url);
    const jobId = await enqueue(db, 'r');
    // Two retryable failures spend the budget's first retry, then a permanent one ends it.
    for (const kind of ['retryable', 'retryable', 'permanent'] as const) await tryAndFail(db, 'r', { kind });
    expect(await jobRow(db, jobId)).toMatchObject({ status: 'failed', attempts: 1, initial_failed: true });

    expect((await wakesDuring(url, () => pgRetryJob(db, jobId))).woken).toBe(1);
    const row = await jobRow(db, jobId);
    expect(row).toMatchObject({ status: 'pending', attempts: 0, initial_failed: false, manual_retries: 1 });
    expect(row.due_in).toBeLessThanOrEqual(0);
    const again = await claim(db, 'r', 'engine-b');
    expect(again).toMatchObject({ id: jobId, attempts: 0, initialFailed: false, manualRetries: 1 });

    // Processing (in flight) and completed jobs cannot be retried; a job that does not exist is 404.
    await expect(pgRetryJob(db, jobId)).rejects.toMatchObject({ code: 'conflict', status: 'processing' });
    const done = await completedJob(db, 'done');
    await expect(pgRetryJob(db, done)).rejects.toMatchObject({ code: 'conflict', status: 'completed' });
    await expect(pgRetryJob(db, 999_999)).rejects.toMatchObject({ code: 'not_found' });

    // A waiting pending job stops waiting and keeps its budget.
    const waiting = await waitingJob(db, 'w', 'rate_limited');
    expect((await jobRow(db, waiting)).due_in).toBeGreaterThan(500_000);
    await pgRetryJob(db, waiting);
    expect(await jobRow(db, waiting)).toMatchObject({ status: 'pending', manual_retries: 0 });
    expect((await jobRow(db, waiting)).due_in).toBeLessThanOrEqual(0);
  });

  it('retry all failed puts back every failed job and nothing else', async () => {
    const url = await freshTeamDatabase(cluster());
    const db = await connectTeam(url);
    const failed = [await failedJob(db, 'f1'), await failedJob(db, 'f2')];
    const done = await completedJob(db, 'c');
    expect(await wakesDuring(url, () => pgRetryAllFailed(db))).toEqual({ result: 2, woken: 1 });
    for (const id of failed) expect(await jobRow(db, id)).toMatchObject({ status: 'pending', manual_retries: 1 });
    expect((await jobRow(db, done)).status).toBe('completed');
    expect((await wakesDuring(url, () => pgRetryAllFailed(db))).woken).toBe(0);
  });

  it('a cancelled job is never claimed, even when the cancel and the claims race', async () => {
    const url = await freshTeamDatabase(cluster());
    const db = await connectTeam(url);
    const operator = await connectTeam(url);
    const total = 60;
    const ids = (
      await pgEnqueueJobs(
        db,
        Array.from({ length: total }, (_, i) => newJob(`race-${i}`, { runAfter: 0 })),
      )
    ).map((job) => job.jobId);

    const claimed = new Set<number>();
    const cancelled = new Set<number>();
    const refused: string[] = [];
    await Promise.all([
      (async () => {
        for (;;) {
          const batch = await pgClaimJobs(db, { owner: 'engine-a', leaseMs: LONG_LEASE, limit: 3 });
          if (batch.length === 0) return;
          for (const job of batch) claimed.add(job.id);
        }
      })(),
      (async () => {
        for (const id of [...ids].reverse()) {
          try {
            await pgCancelJob(operator, id);
            cancelled.add(id);
          } catch (error) {
            refused.push((error as { status: string }).status);
          }
        }
      })(),
    ]);

    expect(claimed.size + cancelled.size).toBe(total);
    expect([...claimed].filter((id) => cancelled.has(id))).toEqual([]);
    // A refused cancel found the job taken: in flight, never "cancelled but sent".
    expect(new Set(refused)).toEqual(refused.length > 0 ? new Set(['processing']) : new Set());
    expect(await pgCountJobsInStatus(db, 'cancelled')).toBe(cancelled.size);
    // Nothing cancelled comes back, whoever claims next.
    expect(await pgClaimJobs(db, { owner: 'engine-b', leaseMs: LONG_LEASE, limit: 100 })).toEqual([]);
    await expect(pgCancelJob(db, 999_999)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('cancelling the earliest open job of an application lets its next note go, and wakes the engines', async () => {
    const url = await freshTeamDatabase(cluster());
    const db = await connectTeam(url);
    const [first, second] = (
      await pgEnqueueJobs(db, [
        isolated('first', { applicationId: 'APP-9', occurredAt: 1_000, destination: 'd-app' }),
        isolated('second', { applicationId: 'APP-9', occurredAt: 2_000, destination: 'd-app' }),
      ])
    ).map((job) => job.jobId);
    // The first is waiting on a hold; the second waits behind it.
    const held = await claim(db, 'app');
    expect(held.id).toBe(first);
    await pgSnoozeJob(db, {
      jobId: first!,
      owner: 'engine-a',
      leaseToken: held.leaseToken,
      waitMs: 600_000,
      error: 'hold',
    });
    expect(await pgClaimJobs(db, { owner: 'engine-a', leaseMs: LONG_LEASE, limit: 5, destination: 'd-app' })).toEqual(
      [],
    );

    expect((await wakesDuring(url, () => pgCancelJob(db, first!))).woken).toBe(1);
    expect((await claim(db, 'app')).id).toBe(second);
    // A failed job's cancel frees nothing that waits, and wakes nobody.
    const failed = await failedJob(db, 'gone');
    expect((await wakesDuring(url, () => pgCancelJob(db, failed))).woken).toBe(0);
    expect((await jobRow(db, failed)).status).toBe('cancelled');
  });

  it('renew extends only the leases the engine still holds, so a live engine keeps its job and a lost one gets nothing', async () => {
    const url = await freshTeamDatabase(cluster());
    const a = await connectTeam(url);
    const b = await connectTeam(url);
    const slow = await enqueue(a, 'slow');
    const lost = await enqueue(a, 'lost');
    const mine = await claim(a, 'slow', 'engine-a', 2_000);
    const stale = await claim(a, 'lost', 'engine-a', 0);

    // engine-a stalled on `lost` past its lease; engine-b takes it over.
    expect(await pgReleaseExpiredLeases(b)).toEqual([lost]);
    const theirs = await claim(b, 'lost', 'engine-b');

    expect(
      await pgRenewLeases(
        a,
        'engine-a',
        [
          { jobId: slow, leaseToken: mine.leaseToken },
          { jobId: lost, leaseToken: stale.leaseToken },
        ],
        LONG_LEASE,
      ),
    ).toBe(1);
    expect((await jobRow(a, slow)).lease_left).toBeGreaterThan(50_000);
    expect(await jobRow(a, lost)).toMatchObject({ lease_owner: 'engine-b', lease_token: theirs.leaseToken });
    // engine-a restarts under the same name and claims `lost` again once engine-b gives it back:
    // its previous life's heartbeat (the old token) still extends nothing.
    await pgReleaseOwnedLeases(b, 'engine-b');
    const reclaimed = await claim(a, 'lost', 'engine-a');
    expect(await pgRenewLeases(a, 'engine-a', [{ jobId: lost, leaseToken: stale.leaseToken }], 10 * LONG_LEASE)).toBe(
      0,
    );
    expect((await jobRow(a, lost)).lease_left).toBeLessThanOrEqual(LONG_LEASE);
    expect(
      await pgRenewLeases(a, 'engine-a', [{ jobId: lost, leaseToken: reclaimed.leaseToken }], 10 * LONG_LEASE),
    ).toBe(1);
    expect((await jobRow(a, lost)).lease_left).toBeGreaterThan(LONG_LEASE);
    // Another engine's name, or engine-b's name with engine-a's token, renews nothing.
    expect(await pgRenewLeases(b, 'engine-b', [{ jobId: slow, leaseToken: mine.leaseToken }], 1)).toBe(0);
    expect(await pgRenewLeases(b, 'engine-a', [{ jobId: lost, leaseToken: theirs.leaseToken }], 1)).toBe(0);
    expect((await jobRow(a, slow)).lease_left).toBeGreaterThan(50_000);
    // The renewed lease is not swept; the job is still engine-a's to complete.
    expect(await pgReleaseExpiredLeases(b)).toEqual([]);
    expect(await pgCompleteJob(a, { jobId: slow, owner: 'engine-a', leaseToken: mine.leaseToken })).toBe(true);
    expect(await pgRenewLeases(a, 'engine-a', [], LONG_LEASE)).toBe(0);
  });

  it('reset breaker makes only the jobs held by the open circuit due now, and wakes the engines', async () => {
    const url = await freshTeamDatabase(cluster());
    const db = await connectTeam(url);
    const circuit = await waitingJob(db, 'circuit', 'circuit_open');
    const limited = await waitingJob(db, 'limited', 'rate_limited');
    expect(await wakesDuring(url, () => pgReleaseCircuitHeldJobs(db))).toEqual({ result: 1, woken: 1 });
    expect((await jobRow(db, circuit)).due_in).toBeLessThanOrEqual(0);
    expect((await jobRow(db, limited)).due_in).toBeGreaterThan(500_000);
    // Already due: nothing more to release.
    expect(await pgReleaseCircuitHeldJobs(db)).toBe(0);
    expect((await claim(db, 'circuit')).id).toBe(circuit);
  });

  it('counts match what was stored and what happened to it, per status, per application, and over the last day', async () => {
    const url = await freshTeamDatabase(cluster());
    const db = await connectTeam(url);
    await enqueue(db, 'p1', { applicationId: 'APP-X' });
    await enqueue(db, 'p2');
    await completedJob(db, 'c1');
    await completedJob(db, 'c2');
    await failedJob(db, 'f1');
    await claim(db, 'p2');
    await pgCancelJob(db, await enqueue(db, 'x1', { applicationId: 'APP-X' }));
    await db.query("UPDATE sync_jobs SET status = 'held' WHERE id = $1", [await enqueue(db, 'h1')]);

    expect(await pgCountJobs(db)).toEqual({
      pending: 1,
      processing: 1,
      completed: 2,
      failed: 1,
      cancelled: 1,
      held: 1,
    });
    expect(await pgCountJobs(db, { applicationId: 'APP-X' })).toEqual({
      pending: 1,
      processing: 0,
      completed: 0,
      failed: 0,
      cancelled: 1,
      held: 0,
    });
    expect(await pgCountJobsInStatus(db, 'completed')).toBe(2);
    expect(await pgCountFinishedLast24h(db)).toEqual({ completedLast24h: 2, failedLast24h: 1 });
    // A retried job is no longer failed; a job finished over a day ago (database time) is outside.
    await pgRetryAllFailed(db);
    await db.query('UPDATE sync_jobs SET completed_at = completed_at - 90000000 WHERE event_id = $1', ['evt-c1']);
    await db.query('UPDATE job_completion_minutes SET completed = 1');
    expect(await pgCountFinishedLast24h(db)).toEqual({ completedLast24h: 1, failedLast24h: 0 });

    expect(await pgCountJobsInDoubt(db)).toBe(0);
    await pgReleaseOwnedLeases(db, 'engine-a');
    expect(await pgCountJobsInDoubt(db)).toBe(1);
  });

  it('lists newest first in pages that neither skip nor repeat, with the filters and search of the SQLite store', async () => {
    const url = await freshTeamDatabase(cluster());
    const db = await connectTeam(url);
    const ids = (
      await pgEnqueueJobs(
        db,
        Array.from({ length: 7 }, (_, i) =>
          newJob(`l${i}`, {
            runAfter: 0,
            applicationId: i < 3 ? 'APP-71267' : `APP-${i}`,
            type: i === 4 ? 'cancelled' : 'booked',
            payload: JSON.stringify({ candidateName: i === 5 ? 'Zoë O_Brien' : 'Sam Lee' }),
          }),
        ),
      )
    ).map((job) => job.jobId);
    await pgCancelJob(db, ids[1]!);

    const first = await pgListJobs(db, { limit: 3 });
    expect(first.jobs.map((job) => job.id)).toEqual([ids[6], ids[5], ids[4]]);
    // Rows stored meanwhile do not shift the next page.
    await pgEnqueueJobs(db, [newJob('late', { runAfter: 0 })]);
    const second = await pgListJobs(db, { limit: 3, cursor: first.nextCursor! });
    expect(second.jobs.map((job) => job.id)).toEqual([ids[3], ids[2], ids[1]]);
    const third = await pgListJobs(db, { limit: 3, cursor: second.nextCursor! });
    expect(third).toEqual({ jobs: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    expect(first.jobs[0]).toMatchObject({
      eventId: 'evt-l6',
      type: 'booked',
      applicationId: 'APP-6',
      status: 'pending',
      attempts: 0,
      maxAttempts: 5,
      lastError: null,
      inDoubt: false,
      destination: null,
      runAfter: expect.stringMatching(/Z$/),
      createdAt: expect.stringMatching(/Z$/),
    });

    const idsOf = async (query: Parameters<typeof pgListJobs>[1]) =>
      (await pgListJobs(db, query)).jobs.map((j) => j.id);
    expect(await idsOf({ status: 'cancelled' })).toEqual([ids[1]]);
    expect(await idsOf({ applicationId: 'APP-71267' })).toEqual([ids[2], ids[1], ids[0]]);
    expect(await idsOf({ applicationId: 'APP-71267', status: 'pending' })).toEqual([ids[2], ids[0]]);
    expect(await idsOf({ q: 'app-71267' })).toEqual([ids[2], ids[1], ids[0]]);
    expect(await idsOf({ q: '71267', status: 'pending', limit: 1 })).toEqual([ids[2]]);
    expect(await idsOf({ q: 'EVT-L3' })).toEqual([ids[3]]);
    // The candidate's name, any case; LIKE's wildcards in the search are plain characters.
    expect(await idsOf({ q: 'zoË o_b' })).toEqual([ids[5]]);
    expect(await idsOf({ q: 'o%b' })).toEqual([]);
    expect(await idsOf({ type: 'cancelled' })).toEqual([ids[4]]);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const past = new Date(Date.now() - 3_600_000).toISOString();
    expect(await idsOf({ from: future })).toEqual([]);
    expect((await idsOf({ from: past, to: future })).length).toBe(8);

    await expect(pgListJobs(db, { cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'invalid_input' });
    // A failure group's key no job has any more: nothing (pg-job-store.test.ts filters by a live one).
    expect(await idsOf({ cause: 'failed|404||x' })).toEqual([]);
  });

  it('the detail shows the note, the event and every try oldest first, the success last', async () => {
    const url = await freshTeamDatabase(cluster());
    const db = await connectTeam(url);
    const event = { eventId: 'evt-d', candidateName: 'Sam Lee' };
    const jobId = await enqueue(db, 'd', { payload: JSON.stringify(event) });
    await tryAndFail(db, 'd', { kind: 'retryable' });
    let detail = await pgGetJobDetail(db, jobId);
    expect(detail).toMatchObject({
      id: jobId,
      status: 'pending',
      noteText: 'note d',
      idempotencyKey: 'key-d',
      event,
      lastError: 'iCIMS answered 503',
      leaseExpiresAt: null,
      completedAt: null,
      icimsNoteId: null,
      destination: 'd-d',
    });
    expect(detail.history.map((h) => [h.label, h.outcome])).toEqual([['initial', 'retryable_failure']]);

    const job = await claim(db, 'd');
    expect((await pgGetJobDetail(db, jobId)).leaseExpiresAt).toMatch(/Z$/);
    await pgCompleteJob(db, {
      jobId,
      owner: 'engine-a',
      leaseToken: job.leaseToken,
      attempt: attempt('retry 1', 'success'),
    });
    detail = await pgGetJobDetail(db, jobId);
    expect(detail.status).toBe('completed');
    expect(detail.completedAt).toMatch(/Z$/);
    expect(detail.history).toEqual([
      expect.objectContaining({ label: 'initial', outcome: 'retryable_failure', latencyMs: 40 }),
      {
        at: expect.stringMatching(/Z$/),
        label: 'retry 1',
        outcome: 'success',
        statusCode: 201,
        latencyMs: 40,
        error: null,
      },
    ]);
    await expect(pgGetJobDetail(db, 999_999)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('bulk retry and cancel follow the single-job rules and skip what no longer allows the action', async () => {
    const url = await freshTeamDatabase(cluster());
    const db = await connectTeam(url);
    const failed = await failedJob(db, 'bf');
    const waiting = await waitingJob(db, 'bw', 'rate_limited');
    const due = await enqueue(db, 'bd');
    const done = await completedJob(db, 'bc');
    const inFlight = await enqueue(db, 'bp');
    await claim(db, 'bp');
    const all = [failed, waiting, due, done, inFlight, 999_999];

    expect(await wakesDuring(url, () => pgRetryJobs(db, all))).toEqual({ result: 2, woken: 1 });
    expect(await jobRow(db, failed)).toMatchObject({ status: 'pending', manual_retries: 1 });
    expect((await jobRow(db, waiting)).due_in).toBeLessThanOrEqual(0);
    expect(await pgRetryJobs(db, [done, inFlight])).toBe(0);

    expect(await pgCancelJobs(db, all)).toBe(3);
    expect(await pgCountJobs(db)).toMatchObject({ cancelled: 3, completed: 1, processing: 1 });
    expect(await pgCancelJobs(db, [])).toBe(0);
    expect(await pgRetryJobs(db, [])).toBe(0);
  });
});
