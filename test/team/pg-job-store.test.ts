import { describe, expect, it } from 'vitest';
import type { JobAttempt } from '../../src/shared/jobs';
import { claimJobs } from '../../src/main/engine/sync/claim-jobs';
import { completeJob } from '../../src/main/engine/sync/complete-job';
import type { NewJob } from '../../src/main/engine/sync/enqueue-jobs';
import { failJob } from '../../src/main/engine/sync/fail-job';
import type { FailureVerdict } from '../../src/main/engine/sync/fail-job';
import { sqliteJobStore } from '../../src/main/engine/sync/job-store';
import type { JobStore } from '../../src/main/engine/sync/job-store';
import type { AttemptRecord } from '../../src/main/engine/sync/record-attempt';
import { releaseOwnedLeases } from '../../src/main/engine/sync/release-leases';
import { pgJobStore } from '../../src/main/engine/team/pg-job-store';
import { pgClaimJobs } from '../../src/main/engine/sync/claim-jobs';
import { pgCompleteJob } from '../../src/main/engine/sync/complete-job';
import { pgFailJob } from '../../src/main/engine/sync/fail-job';
import { pgReleaseOwnedLeases } from '../../src/main/engine/sync/release-leases';
import { newJob } from '../fixtures/new-job';
import { pgAvailable, pgSkipReason } from '../helpers/pg-cluster';
import type { PgCluster } from '../helpers/pg-cluster';
import { connectTeam, freshTeamDatabase } from '../helpers/team-db';
import { openTempDb } from '../helpers/temp-db';
import { usePgCluster } from '../helpers/use-pg-cluster';

/**
 * The JobStore contract, run against both stores with the same expectations: the console's SQLite
 * file and the team's PostgreSQL database (a throwaway cluster). Jobs are put into their states
 * by each store's own worker operations (claim, fail, complete, release), as the worker leaves them.
 */

const OWNER = 'engine-a';
const WAIT = 600_000;

/** What a test does to a job as the worker would, in the store under test. */
interface Harness {
  store: JobStore;
  /** Claims the (one) due job made for `destination`; returns its id. */
  claim(destination: string, owner?: string): Promise<number>;
  /** Claims the job of `destination` and fails its try with `verdict` (a retryable one waits 10 minutes). */
  fail(destination: string, verdict: FailureVerdict, error: string, outcome?: JobAttempt['outcome']): Promise<number>;
  complete(destination: string): Promise<number>;
  /** Everything `owner` holds goes back to pending, in doubt (a shutdown mid-call). */
  releaseOwned(owner: string): Promise<void>;
}

const attempt = (outcome: JobAttempt['outcome'], error: string | null, statusCode: number | null): AttemptRecord => ({
  at: Date.now(),
  label: 'initial',
  outcome,
  statusCode,
  latencyMs: 40,
  error,
});

const outcomeOf = (verdict: FailureVerdict): JobAttempt['outcome'] =>
  verdict.kind === 'permanent' ? 'permanent_failure' : verdict.kind === 'wait' ? 'rate_limited' : 'retryable_failure';

const statusOf = (error: string): number | null => {
  const match = /^(\d{3})\b/.exec(error);
  return match ? Number(match[1]) : null;
};

function sqliteHarness(): Harness {
  const { db } = openTempDb();
  const claim = async (destination: string, owner = OWNER): Promise<number> => {
    const [job] = claimJobs(db, { owner, leaseMs: 60_000, now: Date.now(), limit: 1, destination });
    if (!job) throw new Error(`nothing to claim for ${destination}`);
    return job.id;
  };
  return {
    store: sqliteJobStore(db),
    claim,
    async fail(destination, verdict, error, outcome = outcomeOf(verdict)) {
      const jobId = await claim(destination);
      const applied = failJob(db, {
        jobId,
        owner: OWNER,
        now: Date.now(),
        verdict,
        error,
        backoffMs: [WAIT],
        attempt: attempt(outcome, error, statusOf(error)),
      });
      if (!applied.applied) throw new Error('fail not applied');
      return jobId;
    },
    async complete(destination) {
      const jobId = await claim(destination);
      completeJob(db, { jobId, owner: OWNER, now: Date.now(), attempt: attempt('success', null, 201) });
      return jobId;
    },
    async releaseOwned(owner) {
      releaseOwnedLeases(db, owner, Date.now());
    },
  };
}

function pgHarness(cluster: () => PgCluster) {
  return async (): Promise<Harness> => {
    const db = await connectTeam(await freshTeamDatabase(cluster()));
    const tokens = new Map<number, string>();
    const claim = async (destination: string, owner = OWNER): Promise<number> => {
      const [job] = await pgClaimJobs(db, { owner, leaseMs: 60_000, limit: 1, destination });
      if (!job) throw new Error(`nothing to claim for ${destination}`);
      tokens.set(job.id, job.leaseToken);
      return job.id;
    };
    return {
      store: pgJobStore(db),
      claim,
      async fail(destination, verdict, error, outcome = outcomeOf(verdict)) {
        const jobId = await claim(destination);
        const applied = await pgFailJob(db, {
          jobId,
          owner: OWNER,
          leaseToken: tokens.get(jobId)!,
          verdict,
          error,
          backoffMs: [WAIT],
          attempt: attempt(outcome, error, statusOf(error)),
        });
        if (!applied.applied) throw new Error('fail not applied');
        return jobId;
      },
      async complete(destination) {
        const jobId = await claim(destination);
        await pgCompleteJob(db, {
          jobId,
          owner: OWNER,
          leaseToken: tokens.get(jobId)!,
          attempt: attempt('success', null, 201),
        });
        return jobId;
      },
      async releaseOwned(owner) {
        await pgReleaseOwnedLeases(db, owner);
      },
    };
  };
}

/** A job made for its own destination `d-<key>`, so a claim takes exactly it; the event names a candidate. */
const job = (key: string, fields: Partial<NewJob> = {}): NewJob =>
  newJob(key, {
    runAfter: Date.now(),
    destination: `d-${key}`,
    payload: JSON.stringify({ candidateName: `Candidate ${key.toUpperCase()}` }),
    ...fields,
  });

const NOT_FOUND_404 = (app: string) => `404 Not Found: application ${app} does not exist (errorCode 7)`;
const KEY_404 = 'failed|404|7|404 Not Found: application <application> does not exist (errorCode 7)';
const KEY_503 = 'waiting|503||503 Service Unavailable: try again later';

const BACKENDS = [{ name: 'SQLite' }, { name: 'PostgreSQL' }] as const;

describe.each(BACKENDS)('JobStore on $name', ({ name }) => {
  const skip = name === 'PostgreSQL' && !pgAvailable;
  const open: () => Promise<Harness> =
    name === 'SQLite'
      ? async () => sqliteHarness()
      : pgAvailable
        ? pgHarness(usePgCluster())
        : () => Promise.reject(new Error(pgSkipReason));

  describe.skipIf(skip)('the contract', () => {
    it('enqueues new jobs and answers a repeated event id with the existing job', async () => {
      const { store } = await open();
      const first = await store.enqueue([job('a'), job('b')], Date.now());
      expect(first.map((j) => j.duplicate)).toEqual([false, false]);
      const [a, b] = first.map((j) => j.jobId);
      const again = await store.enqueue([job('c'), job('a', { noteText: 'changed' }), job('c')], Date.now());
      const c = again[0]!.jobId;
      expect(again).toEqual([
        { eventId: 'evt-c', jobId: c, duplicate: false },
        { eventId: 'evt-a', jobId: a, duplicate: true },
        { eventId: 'evt-c', jobId: c, duplicate: true },
      ]);
      expect(b).toBeGreaterThan(a!);
      expect((await store.getJob(a!)).noteText).toBe('note a');
      expect(await store.countJobs()).toEqual({
        pending: 3,
        processing: 0,
        completed: 0,
        failed: 0,
        cancelled: 0,
        held: 0,
      });
    });

    it('lists newest first with the Jobs screen filters, pages by cursor, and counts what a search finds', async () => {
      const h = await open();
      const { store } = h;
      await store.enqueue(
        [job('a1', { applicationId: 'APP-7' }), job('b2', { type: 'cancelled' }), job('c3'), job('d4')],
        Date.now(),
      );
      const failed = await h.fail('d-c3', { kind: 'permanent' }, NOT_FOUND_404('APP-c3'));
      const ids = async (query: Parameters<JobStore['listJobs']>[0]) =>
        (await store.listJobs(query)).jobs.map((j) => j.eventId);

      expect(await ids({})).toEqual(['evt-d4', 'evt-c3', 'evt-b2', 'evt-a1']);
      expect(await ids({ status: 'failed' })).toEqual(['evt-c3']);
      expect(await ids({ applicationId: 'APP-7' })).toEqual(['evt-a1']);
      expect(await ids({ q: 'candidate B2' })).toEqual(['evt-b2']);
      expect(await ids({ q: 'app-7' })).toEqual(['evt-a1']);
      expect(await ids({ type: 'cancelled' })).toEqual(['evt-b2']);
      expect(await ids({ from: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
      expect(await ids({ cause: KEY_404 })).toEqual(['evt-c3']);
      expect(await ids({ cause: KEY_404, status: 'pending' })).toEqual([]);
      expect(await ids({ cause: 'failed|500||nobody has this' })).toEqual([]);

      const page1 = await store.listJobs({ limit: 3 });
      expect(page1.jobs.map((j) => j.eventId)).toEqual(['evt-d4', 'evt-c3', 'evt-b2']);
      const page2 = await store.listJobs({ limit: 3, cursor: page1.nextCursor! });
      expect(page2).toMatchObject({ jobs: [{ eventId: 'evt-a1' }], nextCursor: null });
      await expect(store.listJobs({ cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'invalid_input' });

      const none = { pending: 0, processing: 0, completed: 0, failed: 0, cancelled: 0, held: 0 };
      expect(await store.countJobs()).toEqual({ ...none, pending: 3, failed: 1 });
      expect(await store.countJobs({ applicationId: 'APP-7' })).toEqual({ ...none, pending: 1 });
      expect(await store.countJobs({ q: 'candidate' })).toEqual({ ...none, pending: 3, failed: 1 });
      expect(await store.countJobs({ cause: KEY_404 })).toEqual({ ...none, failed: 1 });
      expect((await store.listJobs({ status: 'failed' })).jobs[0]).toMatchObject({
        id: failed,
        status: 'failed',
        lastError: NOT_FOUND_404('APP-c3'),
        destination: 'd-c3',
      });
    });

    it('shows one job with its tries, and says when it does not exist', async () => {
      const h = await open();
      await h.store.enqueue([job('x')], Date.now());
      const id = await h.fail('d-x', { kind: 'permanent' }, NOT_FOUND_404('APP-x'));
      expect(await h.store.getJob(id)).toMatchObject({
        id,
        eventId: 'evt-x',
        status: 'failed',
        noteText: 'note x',
        idempotencyKey: 'key-x',
        event: { candidateName: 'Candidate X' },
        history: [{ label: 'initial', outcome: 'permanent_failure', statusCode: 404, error: NOT_FOUND_404('APP-x') }],
      });
      await expect(h.store.getJob(9999)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('tells the story of one application: every event oldest first and when its note landed', async () => {
      const h = await open();
      await h.store.enqueue(
        [job('t1', { applicationId: 'APP-T' }), job('t2', { applicationId: 'APP-T', type: 'rescheduled' })],
        Date.now(),
      );
      await h.store.enqueue([job('other')], Date.now());
      const landed = await h.complete('d-t1');
      const timeline = await h.store.applicationTimeline('APP-T');
      expect(timeline).toMatchObject({
        applicationId: 'APP-T',
        events: [
          {
            eventId: 'evt-t1',
            type: 'booked',
            jobId: landed,
            status: 'completed',
            note: 'note t1',
            landedAt: expect.any(String),
            candidateName: 'Candidate T1',
            destination: 'd-t1',
          },
          { eventId: 'evt-t2', type: 'rescheduled', status: 'pending', landedAt: null, icimsNoteId: null },
        ],
      });
      expect((await h.store.applicationTimeline('APP-NONE')).events).toEqual([]);
    });

    it('retries and cancels one job, a selection, and all failed ones, by the same rules', async () => {
      const h = await open();
      const { store } = h;
      await store.enqueue(
        ['f1', 'f2', 'f3', 'w1', 'done', 'p1', 'busy'].map((key) => job(key)),
        Date.now(),
      );
      const f1 = await h.fail('d-f1', { kind: 'permanent' }, NOT_FOUND_404('APP-f1'));
      const f2 = await h.fail('d-f2', { kind: 'permanent' }, NOT_FOUND_404('APP-f2'));
      const f3 = await h.fail('d-f3', { kind: 'permanent' }, NOT_FOUND_404('APP-f3'));
      const w1 = await h.fail('d-w1', { kind: 'retryable' }, '503 Service Unavailable: try again later');
      const done = await h.complete('d-done');
      const busy = await h.claim('d-busy');
      const p1 = (await store.listJobs({ applicationId: 'APP-p1' })).jobs[0]!.id;
      const now = Date.now();

      await store.retryJob(f1, now);
      expect(await store.getJob(f1)).toMatchObject({ status: 'pending', attempts: 0 });
      await expect(store.retryJob(done, now)).rejects.toMatchObject({ code: 'conflict' });
      await expect(store.retryJob(9999, now)).rejects.toMatchObject({ code: 'not_found' });
      await store.cancelJob(f1, now);
      expect((await store.getJob(f1)).status).toBe('cancelled');
      await expect(store.cancelJob(busy, now)).rejects.toMatchObject({ code: 'conflict' });
      await expect(store.cancelJob(9999, now)).rejects.toMatchObject({ code: 'not_found' });

      // A selection: what the state allows moves, the rest is skipped.
      expect(await store.retryJobs([f2, w1, done, busy, 9999], now)).toBe(2);
      expect(await store.getJob(w1)).toMatchObject({ status: 'pending', attempts: 0 });
      expect(await store.cancelJobs([f2, done, busy, p1], now)).toBe(2);
      expect((await store.getJob(p1)).status).toBe('cancelled');

      expect(await store.retryAllFailed(now)).toBe(1);
      expect(await store.getJob(f3)).toMatchObject({ status: 'pending', attempts: 0 });
      expect(await store.retryAllFailed(now)).toBe(0);
    });

    it('groups failures by cause the same way, filters by group, and retries or cancels a group', async () => {
      const h = await open();
      const { store } = h;
      await store.enqueue(
        ['n1', 'n2', 'slow'].map((key) => job(key)),
        Date.now(),
      );
      const n1 = await h.fail('d-n1', { kind: 'permanent' }, NOT_FOUND_404('APP-n1'));
      const n2 = await h.fail('d-n2', { kind: 'permanent' }, NOT_FOUND_404('APP-n2'));
      const slow = await h.fail('d-slow', { kind: 'retryable' }, '503 Service Unavailable: try again later');

      const list = await store.listFailureGroups();
      expect(list.failedPermanently).toBe(2);
      expect(list.groups).toEqual([
        expect.objectContaining({
          key: KEY_404,
          kind: 'failed',
          statusCode: 404,
          errorCode: '7',
          count: 2,
          permanent: true,
          retryable: true,
          example: { jobId: n2, applicationId: 'APP-n2', error: NOT_FOUND_404('APP-n2') },
        }),
        expect.objectContaining({ key: KEY_503, kind: 'waiting', statusCode: 503, count: 1, permanent: false }),
      ]);
      expect((await store.listJobs({ cause: KEY_404 })).jobs.map((j) => j.id)).toEqual([n2, n1]);

      expect(await store.retryFailureGroup(KEY_404, Date.now())).toBe(2);
      expect(await store.getJob(n1)).toMatchObject({ status: 'pending', attempts: 0 });
      // A job retried from the group still carries its last error: it now waits in the "waiting" kind.
      await expect(store.cancelFailureGroup(KEY_404, Date.now())).rejects.toMatchObject({ code: 'not_found' });
      expect(await store.retryFailureGroup(KEY_503, Date.now())).toBe(1);
      expect(Date.parse((await store.getJob(slow)).runAfter!)).toBeLessThanOrEqual(Date.now() + 5_000);
      const waiting = (await store.listFailureGroups()).groups;
      expect(waiting.map((g) => [g.kind, g.count])).toEqual([
        ['waiting', 2],
        ['waiting', 1],
      ]);
      const waiting404 = waiting[0]!.key;
      expect(await store.cancelFailureGroup(waiting404, Date.now())).toBe(2);
      expect(await store.countJobs()).toMatchObject({ cancelled: 2, pending: 1 });
      expect(await store.cancelFailureGroup(waiting[1]!.key, Date.now())).toBe(1);
      expect(await store.listFailureGroups()).toEqual({ groups: [], failedPermanently: 0 });
    });

    it('holds jobs made for another iCIMS on a switch, releases them on the way back; a held group cannot be retried', async () => {
      const h = await open();
      const { store } = h;
      await store.enqueue(
        [job('o1', { destination: 'old' }), job('o2', { destination: 'old' }), job('none', { destination: null })],
        Date.now(),
      );
      const o1 = await h.fail('old', { kind: 'permanent' }, NOT_FOUND_404('APP-o1'));
      // The job without a destination is adopted by the one pointed at; the old one's pending and failed jobs wait.
      expect(await store.pointAt('new', Date.now())).toEqual({ held: 2, released: 0 });
      expect(await store.countJobs()).toMatchObject({ held: 2, pending: 1 });
      expect((await store.listJobs({ status: 'pending' })).jobs[0]).toMatchObject({
        eventId: 'evt-none',
        destination: 'new',
      });
      expect((await store.getJob(o1)).status).toBe('held');

      const groups = (await store.listFailureGroups()).groups;
      expect(groups).toEqual([
        expect.objectContaining({ key: 'held|old', kind: 'held', count: 2, destination: 'old', retryable: false }),
      ]);
      await expect(store.retryFailureGroup('held|old', Date.now())).rejects.toMatchObject({ code: 'conflict' });

      // Back to the old one: its jobs are pending and due again (the failed one too), the other waits.
      expect(await store.pointAt('old', Date.now())).toEqual({ held: 1, released: 2 });
      expect(await store.countJobs()).toMatchObject({ pending: 2, held: 1 });
      expect(await store.pointAt('old', Date.now())).toEqual({ held: 0, released: 0 });
      expect(await store.pointAt('new', Date.now())).toEqual({ held: 2, released: 1 });
      expect(await store.cancelFailureGroup('held|old', Date.now())).toBe(2);
      expect(await store.countJobs()).toMatchObject({ cancelled: 2, pending: 1, held: 0 });
    });

    it('releases only the jobs the open circuit held back', async () => {
      const h = await open();
      await h.store.enqueue([job('circuit'), job('limited')], Date.now());
      const circuit = await h.fail('d-circuit', { kind: 'wait', waitMs: WAIT }, 'circuit open', 'circuit_open');
      await h.fail('d-limited', { kind: 'wait', waitMs: WAIT }, '429 Too Many Requests', 'rate_limited');
      expect(await h.store.releaseCircuitHeld(Date.now())).toBe(1);
      const due = Date.parse((await h.store.getJob(circuit)).runAfter!);
      expect(due).toBeLessThanOrEqual(Date.now() + 5_000);
      expect(await h.store.releaseCircuitHeld(Date.now())).toBe(0);
    });

    it('counts the queue for the ops snapshot', async () => {
      const h = await open();
      const { store } = h;
      expect(await store.queueCounts(Date.now())).toEqual({
        pending: 0,
        processing: 0,
        failed: 0,
        held: 0,
        inDoubt: 0,
        completedLast24h: 0,
        failedLast24h: 0,
      });
      await store.enqueue([job('h1', { destination: 'old' })], Date.now());
      await store.pointAt('new', Date.now());
      await store.enqueue(
        ['p1', 'busy', 'doubt', 'f1', 'c1', 'x1'].map((key) => job(key)),
        Date.now(),
      );
      await h.claim('d-busy');
      await h.claim('d-doubt', 'engine-b');
      await h.releaseOwned('engine-b');
      await h.fail('d-f1', { kind: 'permanent' }, NOT_FOUND_404('APP-f1'));
      await h.complete('d-c1');
      const x1 = (await store.listJobs({ applicationId: 'APP-x1' })).jobs[0]!.id;
      await store.cancelJob(x1, Date.now());
      expect(await store.queueCounts(Date.now())).toEqual({
        pending: 2,
        processing: 1,
        failed: 1,
        held: 1,
        inDoubt: 1,
        completedLast24h: 1,
        failedLast24h: 1,
      });
    });
  });
});
