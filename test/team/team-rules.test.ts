import { describe, expect, it } from 'vitest';
import type { ConsoleApiHandlers } from '../../src/shared/console-api';
import {
  closeConsolesAfterEach,
  makeEvent,
  startConsole,
  TEST_API_KEY,
  TEST_TEAM_KEY,
  testEnv,
  waitFor,
} from '../helpers/console-harness';
import type { ConsoleHarness, HarnessOptions } from '../helpers/console-harness';
import { onDatabase, pgAvailable } from '../helpers/pg-cluster';
import { usePgCluster } from '../helpers/use-pg-cluster';
import { asRole, documentedGrants } from '../helpers/team-roles';

/**
 * The team's rules between real consoles (engine + local API) on one PostgreSQL database: what
 * one console sees or does, the others follow within a second or two — a 401 pauses every
 * engine, a 429's Retry-After holds them all, a cancel, retry, pause or saved setting shows up
 * everywhere; a viewer role may look but change nothing; a database restart loses no event and
 * doubles none.
 */

const WRONG_KEY = 'wrong-api-key-9876543210';
/** How long a change in one console may take to reach another (NOTIFY, then a re-read). */
const FOLLOW_MS = 1_500;

closeConsolesAfterEach();

/** A console in team mode on `url`; `name` is its SYNC_NODE_NAME. Each gets its own fake and data folder. */
function teamConsole(
  url: string,
  name: string,
  options: { env?: Record<string, string>; withoutEnvKey?: boolean } & Omit<HarnessOptions, 'env'> = {},
): Promise<ConsoleHarness> {
  const { env: extra, withoutEnvKey, ...rest } = options;
  return startConsole({
    // A call still waiting out a 429 must not hold up the end of a test.
    shutdownGraceMs: 500,
    ...rest,
    env: (fake) => {
      const env: Record<string, string> = {
        ...testEnv(fake),
        SYNC_DATABASE_URL: url,
        SYNC_NODE_NAME: name,
        SYNC_TEAM_KEY: TEST_TEAM_KEY,
        ...extra,
      };
      // The key then comes from (team) settings, where a console can change it.
      if (withoutEnvKey) delete env.ICIMS_API_KEY;
      return env;
    },
  });
}

async function snapshotOf(console: ConsoleHarness) {
  return console.engine.api.getSnapshot({});
}

/** The one console of `consoles` whose fake saw an addNote call, and the other. */
function byWhoSent(consoles: [ConsoleHarness, ConsoleHarness]): { sender: ConsoleHarness; other: ConsoleHarness } {
  const [a, b] = consoles;
  const aSent = a.fake.callsTo('addNote').length > 0;
  const bSent = b.fake.callsTo('addNote').length > 0;
  expect(aSent !== bSent).toBe(true);
  return aSent ? { sender: a, other: b } : { sender: b, other: a };
}

/** The GRANT block of docs/TEAM_MODE.md "Roles", as pg-roles.test.ts runs it. */

/**
 * Runs the documented GRANTs on the database at `url`. Roles belong to the cluster: a second
 * database of the file's cluster gets the GRANTs of the roles created for the first.
 */
async function grantDocumentedRoles(url: string): Promise<void> {
  await onDatabase(url, async (client) => {
    const existing = new Set(
      (await client.query<{ rolname: string }>('SELECT rolname FROM pg_roles')).rows.map((r) => r.rolname),
    );
    const sql = documentedGrants()
      .split('\n')
      .filter((line) => !existing.has(/^CREATE ROLE (\w+)/.exec(line)?.[1] ?? ''))
      .join('\n');
    await client.query(sql);
  });
}

describe.skipIf(!pgAvailable)('team rules between consoles on one database (real PostgreSQL)', () => {
  const cluster = usePgCluster();

  it('a 401 on one engine pauses the other; new credentials saved on that other resume both, each waiting job sent once', async () => {
    const url = await cluster().createDatabase();
    const saved = { savedSettings: { secrets: { apiKey: WRONG_KEY } }, withoutEnvKey: true };
    const a = await teamConsole(url, 'a', saved);
    const b = await teamConsole(url, 'b', saved);

    const first = await a.api('POST', '/api/events', { body: makeEvent('booked') });
    expect(first.status).toBe(202);
    await a.waitForJob(first.body.jobId, 'failed');
    // Whichever engine claimed it got the 401; the other must follow.
    const { sender, other } = byWhoSent([a, b]);
    expect(sender.fake.callsTo('addNote')).toHaveLength(1);
    await waitFor(async () => (await snapshotOf(sender)).worker.state === 'paused', {
      timeoutMs: FOLLOW_MS,
      what: 'the engine that saw the 401 to pause',
    });
    const paused = await waitFor(
      async () => {
        const snapshot = await snapshotOf(other);
        return snapshot.worker.state === 'paused' ? snapshot : null;
      },
      { timeoutMs: 2_000, what: 'the other engine to pause' },
    );
    expect(paused.status).toBe('down');

    // Posted to both while paused: stored, sent by neither.
    const waiting = [
      (await a.api('POST', '/api/events', { body: makeEvent('booked') })).body.jobId as number,
      (await b.api('POST', '/api/events', { body: makeEvent('cancelled') })).body.jobId as number,
      (await b.api('POST', '/api/events', { body: makeEvent('rescheduled') })).body.jobId as number,
    ];
    await Promise.all([a.workerTurn(), b.workerTurn()]);
    expect(a.fake.calls.length + b.fake.calls.length).toBe(1);
    for (const id of waiting) expect((await other.engine.api.getJob({ id })).status).toBe('pending');

    // The other console (not the one that saw the 401) saves the right key: both resume.
    const view = await other.engine.api.saveSettings({ values: {}, secrets: { apiKey: TEST_API_KEY } });
    expect(view.secrets.apiKey).toBe(true);
    for (const id of waiting) await other.waitForJob(id, 'completed');
    await waitFor(
      async () => (await snapshotOf(a)).worker.state === 'running' && (await snapshotOf(b)).worker.state === 'running',
      { timeoutMs: 2_000, what: 'both engines to run again' },
    );
    const notes = [...a.fake.notes, ...b.fake.notes];
    expect(notes).toHaveLength(waiting.length);
    expect(new Set(notes.map((note) => note.idempotencyKey)).size).toBe(waiting.length);
    for (const call of [...a.fake.callsTo('addNote'), ...b.fake.callsTo('addNote')])
      if (call.status !== 401) expect(call.headers.authorization).toBe(`Bearer ${TEST_API_KEY}`);
    expect((await a.engine.api.getJob({ id: first.body.jobId })).status).toBe('failed');
  });

  it("one engine's 429 Retry-After holds the other, which sends nothing meanwhile", async () => {
    const url = await cluster().createDatabase();
    const a = await teamConsole(url, 'a');
    const b = await teamConsole(url, 'b');
    for (const console of [a, b])
      console.fake.fail('addNote', { status: 429, headers: { 'retry-after': '20' }, times: 1 });

    const first = await a.api('POST', '/api/events', { body: makeEvent('booked') });
    expect(first.status).toBe(202);
    await waitFor(() => a.fake.callsTo('addNote').length + b.fake.callsTo('addNote').length >= 1, {
      what: 'the first call',
    });
    const { sender, other } = byWhoSent([a, b]);
    expect(sender.fake.callsTo('addNote')[0]!.status).toBe(429);
    const held = await waitFor(
      async () => {
        const snapshot = await snapshotOf(other);
        return snapshot.worker.holdReason === 'rate_limit' ? snapshot : null;
      },
      { timeoutMs: 2_000, what: 'the other engine to hold for the rate limit' },
    );
    // About 20 s from now (the database's clock and this machine's may differ a little).
    const until = Date.parse(held.worker.rateLimitedUntil!);
    expect(until - Date.now()).toBeGreaterThan(10_000);
    expect(until - Date.now()).toBeLessThan(25_000);

    // Work is waiting, and the other engine (whose own fake would answer) still sends nothing.
    const second = await other.api('POST', '/api/events', { body: makeEvent('cancelled') });
    expect(second.status).toBe(202);
    await other.workerTurn();
    await other.workerTurn();
    expect(other.fake.calls).toHaveLength(0);
    expect(sender.fake.calls).toHaveLength(1);
    expect((await other.engine.api.getJob({ id: second.body.jobId })).status).toBe('pending');
  });

  it('a pause, a cancel and a retry pressed in one console show in the other within a second or so', async () => {
    const url = await cluster().createDatabase();
    const a = await teamConsole(url, 'a');
    const b = await teamConsole(url, 'b');
    const topics: string[] = [];
    b.engine.onPush((event) => topics.push(event.topic));
    // A job iCIMS refused for good, to retry later.
    for (const console of [a, b]) console.fake.fail('addNote', { status: 422, times: 1 });
    const failedId = (await a.api('POST', '/api/events', { body: makeEvent('booked') })).body.jobId as number;
    await a.waitForJob(failedId, 'failed');

    expect((await a.api('POST', '/rpc/pauseWorker', { body: {} })).status).toBe(200);
    await waitFor(async () => (await snapshotOf(b)).worker.state === 'paused', {
      timeoutMs: FOLLOW_MS,
      what: 'B to follow the pause pressed in A',
    });

    const posted = await a.api('POST', '/api/events', { body: makeEvent('booked') });
    const id = posted.body.jobId as number;
    await Promise.all([a.workerTurn(), b.workerTurn()]);
    expect((await b.engine.api.getJob({ id })).status).toBe('pending');

    topics.length = 0;
    expect((await a.api('POST', `/api/jobs/${id}/cancel`)).status).toBe(200);
    await waitFor(() => topics.includes('jobs'), { timeoutMs: FOLLOW_MS, what: "B's jobs push after A's cancel" });
    expect((await b.engine.api.getJob({ id })).status).toBe('cancelled');
    // The team's audit trail names who pressed it (the API token) and in which console; B's
    // Activity shows it within a second or so, as A's does.
    const cancelled = async (console: ConsoleHarness) =>
      (await console.engine.api.listAudit({ limit: 10, jobId: id })).entries.map((entry) => [
        entry.action,
        entry.actor.label,
        entry.node,
      ]);
    await waitFor(async () => (await cancelled(b)).length > 0, {
      timeoutMs: FOLLOW_MS,
      what: "A's cancel in B's audit trail",
    });
    for (const console of [a, b]) expect(await cancelled(console)).toEqual([['cancel', 'API token', 'a']]);

    topics.length = 0;
    expect((await a.api('POST', `/api/jobs/${failedId}/retry`)).status).toBe(200);
    await waitFor(() => topics.includes('jobs'), { timeoutMs: FOLLOW_MS, what: "B's jobs push after A's retry" });
    expect((await b.engine.api.getJob({ id: failedId })).status).toBe('pending');

    expect((await a.api('POST', '/rpc/resumeWorker', { body: {} })).status).toBe(200);
    await waitFor(async () => (await snapshotOf(b)).worker.state === 'running', {
      timeoutMs: FOLLOW_MS,
      what: 'B to follow the resume pressed in A',
    });
    await b.waitForJob(failedId, 'completed');
    expect(a.fake.notes.length + b.fake.notes.length).toBe(1);
    expect((await b.engine.api.getJob({ id })).status).toBe('cancelled');
  });

  it('settings saved in one console, a secret among them, reach the other', async () => {
    const url = await cluster().createDatabase();
    const NEW_KEY = 'rotated-api-key-0123456789';
    const saved = { savedSettings: { secrets: { apiKey: TEST_API_KEY } }, withoutEnvKey: true };
    const a = await teamConsole(url, 'a', { ...saved, env: { ICIMS_RATE_LIMIT_PER_MIN: '' } });
    const b = await teamConsole(url, 'b', { ...saved, env: { ICIMS_RATE_LIMIT_PER_MIN: '' } });
    const before = await b.engine.api.getSettings({});
    expect(before.envLocked).not.toContain('rateLimitPerMin');
    expect(before.values.rateLimitPerMin).not.toBe(1234);

    b.fake.configure({ auth: { mode: 'apiKey', apiKey: NEW_KEY } });
    await a.engine.api.saveSettings({ values: { rateLimitPerMin: 1234 }, secrets: { apiKey: NEW_KEY } });
    await waitFor(async () => (await b.engine.api.getSettings({})).values.rateLimitPerMin === 1234, {
      timeoutMs: 2_000,
      what: "A's rate limit in B's settings",
    });

    // The secret is never shown, but B sends with it (only B's fake takes the new key; A stops,
    // so the job is B's to send).
    await a.stopConsole();
    const posted = await b.api('POST', '/api/events', { body: makeEvent('booked') });
    await b.waitForJob(posted.body.jobId, 'completed');
    expect(b.fake.notes).toHaveLength(1);
    expect(b.fake.callsTo('addNote').at(-1)!.headers.authorization).toBe(`Bearer ${NEW_KEY}`);
  });

  /**
   * An engine with full rights creates the schema and a failed job, then pauses the team; the
   * documented roles are granted, for a console of another role to look at or act on it.
   */
  async function pausedTeamWithAFailedJob() {
    const url = await cluster().createDatabase();
    const a = await teamConsole(url, 'a');
    a.fake.fail('addNote', { status: 422, times: 1 });
    const failedId = (await a.api('POST', '/api/events', { body: makeEvent('booked') })).body.jobId as number;
    await a.waitForJob(failedId, 'failed');
    expect((await a.api('POST', '/rpc/pauseWorker', { body: {} })).status).toBe(200);
    await grantDocumentedRoles(url);
    return { url, a, failedId };
  }

  it('a viewer role reads everything and changes nothing; every button answers forbidden, naming the role', async () => {
    const { url, a, failedId } = await pausedTeamWithAFailedJob();
    const pendingId = (await a.api('POST', '/api/events', { body: makeEvent('cancelled') })).body.jobId as number;

    const c = await teamConsole(asRole(url, 'sync_viewer'), 'c', { env: { SYNC_WORKER: 'off' } });
    const snapshot = await snapshotOf(c);
    expect(snapshot.team!.readOnly).toMatch(/database role may only read/);
    expect(snapshot.nodes!.map((node) => node.name)).toEqual(['a']);
    expect(snapshot.worker.state).toBe('off');
    expect((await c.engine.api.getJob({ id: failedId })).status).toBe('failed');
    expect((await c.engine.api.listJobs({ limit: 50 })).jobs.map((job) => job.id).sort()).toEqual(
      [failedId, pendingId].sort(),
    );
    const groups = await c.engine.api.listFailureGroups({});
    expect(groups.groups.length).toBeGreaterThan(0);
    const group = { key: groups.groups[0]!.key };
    const settingsBefore = await c.engine.api.getSettings({});

    const api = c.engine.api;
    const actions: [string, () => Promise<unknown>][] = [
      ['retryJob', () => api.retryJob({ id: failedId })],
      ['cancelJob', () => api.cancelJob({ id: pendingId })],
      ['retryAllFailed', () => api.retryAllFailed({})],
      ['retryJobs', () => api.retryJobs({ ids: [failedId] })],
      ['cancelJobs', () => api.cancelJobs({ ids: [pendingId] })],
      ['retryFailureGroup', () => api.retryFailureGroup(group)],
      ['cancelFailureGroup', () => api.cancelFailureGroup(group)],
      ['pauseWorker', () => api.pauseWorker({})],
      ['resumeWorker', () => api.resumeWorker({})],
      ['resetBreaker', () => api.resetBreaker({})],
      ['saveSettings', () => api.saveSettings({ values: { timezone: 'Asia/Tokyo' }, secrets: {} })],
    ] satisfies [keyof ConsoleApiHandlers, () => Promise<unknown>][];
    for (const [name, action] of actions) {
      const refused = await action().then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused, name).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/database role/) });
    }
    const resume = await c.api('POST', '/rpc/resumeWorker', { body: {} });
    expect(resume.status).toBe(403);
    expect(resume.body.message).toMatch(/database role may only read/);
    const events = await c.api('POST', '/api/events', { body: makeEvent('booked') });
    expect(events.status).toBe(403);
    expect(events.body.message).toMatch(/database role/);

    // Nothing changed, here or for the team.
    expect((await c.engine.api.getJob({ id: failedId })).status).toBe('failed');
    expect((await c.engine.api.getJob({ id: pendingId })).status).toBe('pending');
    expect((await c.engine.api.listJobs({ limit: 50 })).jobs).toHaveLength(2);
    expect((await snapshotOf(a)).worker.state).toBe('paused');
    expect((await c.engine.api.getSettings({})).values).toEqual(settingsBefore.values);
    expect((await a.engine.api.getSettings({})).values.timezone).not.toBe('Asia/Tokyo');
    expect((await snapshotOf(c)).circuit.state).toBe('closed');
  });

  it('an operator role retries and resumes, but may not save settings: refused before anything changes', async () => {
    const { url, a, failedId } = await pausedTeamWithAFailedJob();

    // The same iCIMS as A (a console pointed elsewhere would set A's jobs aside as made for another).
    const o = await teamConsole(asRole(url, 'sync_operator'), 'o', {
      env: { SYNC_WORKER: 'off', ICIMS_BASE_URL: a.fake.url },
    });
    expect((await snapshotOf(o)).team!.readOnly).toBeNull();
    const before = await o.engine.api.getSettings({});
    const refused = await o.engine.api.saveSettings({ values: { timezone: 'Asia/Tokyo' }, secrets: {} }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/database role may not save/) });
    expect((await o.engine.api.getSettings({})).values).toEqual(before.values);
    expect((await a.engine.api.getSettings({})).values.timezone).not.toBe('Asia/Tokyo');

    // What the operator role is for works, for the whole team.
    const retried = await o.api('POST', `/api/jobs/${failedId}/retry`);
    expect(retried.body).toMatchObject({ ok: true, status: 'pending' });
    expect((await o.api('POST', '/rpc/resumeWorker', { body: {} })).status).toBe(200);
    await a.waitForJob(failedId, 'completed');
    expect(a.fake.notes).toHaveLength(1);
  });

  it("the daily call budget is the account's: two engines together send no more than it", async () => {
    const url = await cluster().createDatabase();
    const env = { ICIMS_DAILY_LIMIT: '2' };
    const a = await teamConsole(url, 'a', { env });
    const b = await teamConsole(url, 'b', { env });
    const ids: number[] = [];
    for (const console of [a, b, a, b])
      ids.push((await console.api('POST', '/api/events', { body: makeEvent('booked') })).body.jobId as number);

    await waitFor(() => a.fake.notes.length + b.fake.notes.length >= 2, { what: 'the two calls the budget allows' });
    await Promise.all([a.workerTurn(), b.workerTurn()]);
    // The rest wait for tomorrow's budget; nothing failed. (On a loaded machine an engine may
    // still be giving back a job it took when the budget was spent: it is pending again shortly.)
    const statuses = async () => (await Promise.all(ids.map((id) => a.engine.api.getJob({ id })))).map((j) => j.status);
    await waitFor(
      async () => {
        const now = await statuses();
        if (now.filter((status) => status === 'pending').length === 2) return true;
        throw new Error(`the jobs are ${now.join(', ')}`);
      },
      { what: 'two jobs waiting for the budget' },
    );
    await Promise.all([a.workerTurn(), b.workerTurn()]);
    expect(a.fake.calls.length + b.fake.calls.length).toBe(2);
    expect((await statuses()).sort()).toEqual(['completed', 'completed', 'pending', 'pending']);
  });

  // Last: it stops and starts the file's cluster.
  it('PostgreSQL restarted mid-run: 503 while it is away, and every event accepted becomes exactly one note', async () => {
    const url = await cluster().createDatabase();
    const a = await teamConsole(url, 'a', { fake: { dedupe: false } });
    const b = await teamConsole(url, 'b', { fake: { dedupe: false } });
    const accepted: string[] = [];
    const post = async (console: ConsoleHarness, count: number) => {
      const events = Array.from({ length: count }, () => makeEvent('booked'));
      const answer = await console.api('POST', '/api/events', { body: events });
      if (answer.status === 202) accepted.push(...events.map((event) => event.eventId as string));
      return { answer, events };
    };

    expect((await post(a, 5)).answer.status).toBe(202);
    expect((await post(b, 5)).answer.status).toBe(202);
    await cluster().halt();

    const refused = await post(a, 3);
    expect(refused.answer.status).toBe(503);
    expect(refused.answer.body.message).toMatch(/team database is unreachable/);
    const away = await waitFor(
      async () => {
        const snapshot = await snapshotOf(b);
        return snapshot.team?.database.state === 'unreachable' ? snapshot : null;
      },
      { what: 'B to say the database is unreachable' },
    );
    expect(away.status).toBe('down');
    // The Activity screen meanwhile lists B's own actions and says the team's are out of reach.
    await b.api('POST', '/rpc/resumeWorker', { body: {} });
    const ownOnly = await b.engine.api.listAudit({ limit: 10 });
    expect(ownOnly.teamUnavailable).toBe(true);
    expect(ownOnly.entries.map((entry) => [entry.action, entry.node])).toEqual([['resume', undefined]]);

    await cluster().start();
    // The sender retries what got a 503: accepted now, once.
    const resent = await waitFor(
      async () => {
        const answer = await a.api('POST', '/api/events', { body: refused.events });
        return answer.status === 202 ? answer : null;
      },
      { timeoutMs: 20_000, what: 'ingest to accept again' },
    );
    expect(resent.body.jobs.every((job: { duplicate: boolean }) => !job.duplicate)).toBe(true);
    accepted.push(...refused.events.map((event) => event.eventId as string));
    expect((await post(b, 4)).answer.status).toBe(202);

    await waitFor(() => a.fake.notes.length + b.fake.notes.length >= accepted.length, {
      timeoutMs: 20_000,
      what: 'every accepted event as a note',
    });
    await Promise.all([a.workerTurn(), b.workerTurn()]);
    const notes = [...a.fake.notes, ...b.fake.notes];
    expect(notes).toHaveLength(accepted.length);
    expect(new Set(notes.map((note) => note.idempotencyKey)).size).toBe(accepted.length);
    await waitFor(async () => (await snapshotOf(b)).team?.database.state === 'up', { what: 'B to see the database' });
    // What B recorded while the database was away reached the team's trail once it was back.
    await waitFor(
      async () =>
        (await a.engine.api.listAudit({ limit: 10 })).entries.some(
          (entry) => entry.action === 'resume' && entry.node === 'b',
        ),
      { what: "B's resume in the team's audit trail" },
    );
    // Calls made around the outage reached the team's log once it was back: none lost, none twice.
    const made = a.fake.calls.length + b.fake.calls.length;
    await waitFor(async () => (await snapshotOf(a)).metricsLast24h.totalCalls === made, {
      what: `the team's call figures to count all ${made} calls both engines made`,
    });
  });

  it('engines whose environments name different iCIMS each send their own jobs: an engine starting meanwhile holds none of them', async () => {
    const url = await cluster().createDatabase();
    // Each console's environment names its own fake iCIMS (ICIMS_BASE_URL): two destinations.
    const a = await teamConsole(url, 'a');
    const b = await teamConsole(url, 'b');
    expect((await a.api('POST', '/rpc/pauseWorker', { body: {} })).status).toBe(200);
    const toA = await a.api('POST', '/api/events', { body: [makeEvent('booked'), makeEvent('booked')] });
    const toB = await b.api('POST', '/api/events', { body: [makeEvent('booked')] });
    expect([toA.status, toB.status]).toEqual([202, 202]);

    // A third engine, sending to a third iCIMS, starts while those jobs wait: it points the
    // shared queue at its own iCIMS, but A's and B's jobs have engines that send them.
    const c = await teamConsole(url, 'c');
    const { body: held } = await c.api('GET', '/api/jobs?status=held');
    expect(held.jobs).toEqual([]);
    const nodes = (await snapshotOf(c)).nodes ?? [];
    expect(new Set(nodes.map((node) => node.destination)).size).toBe(3);

    expect((await c.api('POST', '/rpc/resumeWorker', { body: {} })).status).toBe(200);
    await waitFor(() => a.fake.notes.length === 2 && b.fake.notes.length === 1, {
      what: "A's two notes in A's iCIMS and B's one in B's",
    });
    expect(c.fake.notes).toHaveLength(0);
    for (const job of [...toA.body.jobs, ...toB.body.jobs]) await a.waitForJob(job.jobId, 'completed');
  });

  it("the Dashboard's call figures are the team's: a console that sends nothing shows the sender's calls, latency and failures, naming the engine", async () => {
    const url = await cluster().createDatabase();
    const a = await teamConsole(url, 'sender-a');
    // Jobs are bound to the iCIMS they were posted for (docs/INTERFACES.md §6): the same one.
    const b = await teamConsole(url, 'watcher-b', { env: { SYNC_WORKER: 'off', ICIMS_BASE_URL: a.fake.url } });
    // iCIMS refuses the first note as invalid (a data error, not retried): one failed call.
    a.fake.fail('addNote', { status: 422, times: 1 });
    const posted = await b.api('POST', '/api/events', {
      body: [makeEvent('booked'), makeEvent('booked'), makeEvent('booked')],
    });
    expect(posted.status).toBe(202);
    await waitFor(() => a.fake.notes.length === 2, { what: 'two notes written by A' });
    await a.workerTurn();

    const made = a.fake.calls.length;
    const seen = await waitFor(
      async () => {
        const snapshot = await snapshotOf(b);
        return snapshot.metricsLast24h.totalCalls === made ? snapshot : null;
      },
      { what: `B to count the ${made} calls A made` },
    );
    expect(b.fake.calls).toHaveLength(0);
    expect(seen.metricsLast24h).toMatchObject({ failedCalls: 1, successfulCalls: made - 1, dataErrors: 1 });
    expect(seen.lastSuccessfulCall).not.toBeNull();
    expect(seen.recentFailures).toHaveLength(1);
    expect(seen.recentFailures[0]).toMatchObject({
      operation: 'addApplicationNote',
      statusCode: 422,
      node: 'sender-a',
    });
    const chart = await b.engine.api.getLatencySeries({ hours: 1 });
    expect(chart.buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(made);
    expect(chart.buckets.reduce((sum, bucket) => sum + bucket.errors, 0)).toBe(1);
    // Both consoles show the same figures.
    expect((await snapshotOf(a)).metricsLast24h).toEqual(seen.metricsLast24h);
  });
});
