import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeIcims } from '../fakes/fake-icims';
import type { FakeIcims } from '../fakes/fake-icims';
import { makeEvent, TEST_API_KEY, testEnv, waitFor } from '../helpers/console-harness';
import type { ApiBody } from '../helpers/console-harness';
import { killHeadless, startHeadless } from '../helpers/headless-process';
import type { HeadlessProcess } from '../helpers/headless-process';

const EVENTS = 30;

let procs: HeadlessProcess[] = [];
let fake: FakeIcims | null = null;
let dataDir: string | null = null;

afterEach(async () => {
  for (const proc of procs) await killHeadless(proc);
  procs = [];
  await fake?.close();
  fake = null;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = null;
});

async function api(
  url: string,
  token: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: ApiBody }> {
  const res = await request(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.statusCode, body: await res.body.json() };
}

/** A whole console process restarts in between: longer than waitFor's default. */
const until = (check: () => boolean | Promise<boolean>, what: string) => waitFor(check, { what, timeoutMs: 20_000 });

describe('a crash mid-write loses nothing and duplicates nothing', () => {
  it('SIGKILL while notes are in flight, restart on the same data folder: every event reaches iCIMS exactly once', async () => {
    // Each note is stored by the fake after 100 ms and its answer then trickles out for ~400 ms:
    // a kill in that window leaves notes that iCIMS has but the console never heard back about.
    // This iCIMS keeps every POST (no deduplication) and carries no keys in its read-back, so only
    // the console's read-back of the in-doubt jobs keeps them from being written twice.
    fake = await startFakeIcims({
      auth: { mode: 'apiKey', apiKey: TEST_API_KEY },
      latencyMs: 100,
      dedupe: false,
      carryKeys: false,
    });
    fake.fail('addNote', { trickleMs: 50 });
    dataDir = mkdtempSync(join(tmpdir(), 'console-crash-'));
    const env = testEnv(fake, { CONSOLE_DATA_DIR: dataDir, SYNC_LEASE_MS: '1500', ICIMS_MAX_CONCURRENCY: '5' });
    const token = env.CONSOLE_API_TOKEN!;

    const first = startHeadless(env, dataDir);
    procs.push(first);
    const url1 = await first.url();
    // Distinct notes, so a note written twice under two keys would show up as a repeated text.
    const events = Array.from({ length: EVENTS }, (_, i) =>
      makeEvent('booked', {
        applicationId: `APP-${100 + i}`,
        startsAt: `2026-01-16T${String(8 + (i % 10)).padStart(2, '0')}:${String(i).padStart(2, '0')}:00Z`,
      }),
    );
    const posted = await api(url1, token, 'POST', '/api/events', events);
    expect(posted.status).toBe(202);

    await until(() => fake!.notes.length >= 8, 'some notes to be written');
    await killHeadless(first, 'SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const storedAtCrash = fake.notes.length;
    // The crash really interrupted the run: not everything was written.
    expect(storedAtCrash).toBeLessThan(EVENTS);
    // The answers the dead process never read are what mattered; the rest may go fast.
    fake.clearFaults();
    fake.configure({ latencyMs: 0 });

    const second = startHeadless(env, dataDir);
    procs.push(second);
    const url2 = await second.url();
    await until(async () => {
      const page = await api(url2, token, 'GET', '/api/jobs?status=completed&limit=500');
      return page.body.jobs.length === EVENTS;
    }, 'every job to complete after the restart');

    const all = await api(url2, token, 'GET', '/api/jobs?limit=500');
    expect(all.body.jobs).toHaveLength(EVENTS);
    expect(all.body.jobs.every((job: { status: string }) => job.status === 'completed')).toBe(true);

    // Exactly once, by key and by content.
    const keys = fake.notes.map((note) => note.idempotencyKey);
    expect(fake.notes).toHaveLength(EVENTS);
    expect(new Set(keys).size).toBe(EVENTS);
    expect(new Set(fake.notes.map((note) => note.content)).size).toBe(EVENTS);
    expect(new Set(fake.notes.map((note) => note.applicationId))).toEqual(
      new Set(events.map((event) => event.applicationId)),
    );
    const callKeys = fake.callsTo('addNote').map((call) => call.headers['idempotency-key']);
    expect(new Set(callKeys).size).toBe(EVENTS);
    // The jobs the crash left mid-call were in doubt after the restart: read back, and those whose
    // note had been stored were completed without a second POST.
    const details = await Promise.all(
      all.body.jobs.map(
        async (job: { id: number }) => (await api(url2, token, 'POST', '/rpc/getJob', { id: job.id })).body,
      ),
    );
    const outcomes = details.flatMap((job: ApiBody) => job.history.map((a: ApiBody) => a.outcome as string));
    expect(outcomes).toContain('found_in_icims');
    expect(fake.callsTo('readNotes').length).toBeGreaterThan(0);
    expect(details.every((job: ApiBody) => job.inDoubt === false)).toBe(true);

    // Taking a job up again after the crash spends no retry.
    expect(all.body.jobs.every((job: { attempts: number }) => job.attempts === 0)).toBe(true);

    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });

  it('SIGTERM mid-write: the calls in flight finish, the rest wait for the next start, nothing is sent twice', async () => {
    fake = await startFakeIcims({ auth: { mode: 'apiKey', apiKey: TEST_API_KEY }, latencyMs: 400 });
    dataDir = mkdtempSync(join(tmpdir(), 'console-stop-'));
    const env = testEnv(fake, { CONSOLE_DATA_DIR: dataDir, ICIMS_MAX_CONCURRENCY: '2' });
    const token = env.CONSOLE_API_TOKEN!;
    const first = startHeadless(env, dataDir);
    procs.push(first);
    const url1 = await first.url();
    const events = Array.from({ length: 6 }, (_, i) => makeEvent('cancelled', { applicationId: `APP-STOP-${i}` }));
    expect((await api(url1, token, 'POST', '/api/events', events)).status).toBe(202);

    await until(() => fake!.callsTo('addNote').length >= 2, 'two calls in flight');
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    // The two calls in flight were answered and recorded; nothing else was started.
    expect(fake.notes).toHaveLength(2);
    expect(fake.callsTo('addNote')).toHaveLength(2);

    const second = startHeadless(env, dataDir);
    procs.push(second);
    const url2 = await second.url();
    await until(
      async () => (await api(url2, token, 'GET', '/api/jobs?status=completed')).body.jobs.length === 6,
      'the rest after the restart',
    );
    const keys = fake.callsTo('addNote').map((call) => call.headers['idempotency-key']);
    expect(keys).toHaveLength(6);
    expect(new Set(keys).size).toBe(6);
    expect(fake.notes).toHaveLength(6);
  });
});
