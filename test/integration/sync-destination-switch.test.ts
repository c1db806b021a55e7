import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeIcims } from '../fakes/fake-icims';
import type { FakeIcims } from '../fakes/fake-icims';
import { makeEvent, startConsole, TEST_API_KEY, testEnv, waitFor } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';
import { OffsetClock } from '../helpers/offset-clock';

let harness: ConsoleHarness | null = null;
let other: FakeIcims | null = null;
afterEach(async () => {
  await harness?.close();
  await other?.close();
  harness = null;
  other = null;
});

describe('jobs are bound to the iCIMS they were made for', () => {
  it('a switch holds the old jobs, sends none of them to the new iCIMS, and switching back releases them', async () => {
    const clock = new OffsetClock();
    const a = await startFakeIcims({ auth: { mode: 'apiKey', apiKey: TEST_API_KEY } });
    other = await startFakeIcims({ auth: { mode: 'apiKey', apiKey: TEST_API_KEY } });
    const b = other;
    // Mode and base URL are saved settings (the environment would lock them), switched as an admin would.
    harness = await startConsole({
      clock,
      existing: { fake: a, dataDir: mkdtempSync(join(tmpdir(), 'console-it-')), teamDatabaseUrl: null },
      env: (fake) => {
        const env = testEnv(fake, { SYNC_BACKOFF_MS: '30000', ICIMS_CIRCUIT_THRESHOLD: '1000' });
        delete env.ICIMS_MODE;
        delete env.ICIMS_BASE_URL;
        delete env.ICIMS_API_KEY;
        return env;
      },
      savedSettings: { values: { mode: 'real', baseUrl: a.url }, secrets: { apiKey: TEST_API_KEY } },
    });
    const h = harness;
    const job = (id: number) => h.engine.api.getJob({ id });
    const post = async (applicationId: string) =>
      (await h.api('POST', '/api/events', { body: makeEvent('booked', { applicationId }) })).body.jobId as number;

    // At A: one job waiting for its retry after a 503 (a write in doubt: never repeated inside the
    // attempt), one failed for good (404), one more waiting that will be cancelled while held.
    a.fail('addNote', { status: 503, times: 2 });
    const waiting = await post('APP-WAIT');
    const toCancel = await post('APP-DROP');
    await waitFor(async () => (await job(waiting)).history.length === 1 && (await job(toCancel)).history.length === 1, {
      what: 'both initial writes to fail at A',
    });
    const failed = await post('MISSING-1');
    await waitFor(async () => (await job(failed)).status === 'failed', { what: 'the 404 to fail' });
    const callsAtA = a.callsTo('addNote').length;

    // Point the console at B.
    await h.engine.api.saveSettings({ values: { baseUrl: b.url }, secrets: { apiKey: TEST_API_KEY } });
    for (const id of [waiting, toCancel, failed]) {
      const held = await job(id);
      expect(held.status).toBe('held');
      expect(held.destination).toContain(a.url);
    }
    expect((await h.engine.api.getSnapshot({})).syncJobs.held).toBe(3);
    expect((await h.api('POST', `/api/jobs/${waiting}/retry`)).status).toBe(409);
    expect((await h.api('POST', `/api/jobs/${toCancel}/cancel`)).status).toBe(200);
    expect(await h.engine.api.retryAllFailed({})).toEqual({ count: 0 });

    // Well past the waiting job's retry time, a new job for B is written to B — and only it.
    clock.advance(60_000);
    const atB = await post('APP-B');
    await waitFor(async () => (await job(atB)).status === 'completed', { what: 'the job made for B to land' });
    expect(b.notes.map((note) => note.applicationId)).toEqual(['APP-B']);
    expect(a.callsTo('addNote')).toHaveLength(callsAtA);
    expect((await job(waiting)).status).toBe('held');

    // Back to A: its held jobs are pending again and go to A; the cancelled one stays cancelled.
    a.clearFaults();
    await h.engine.api.saveSettings({ values: { baseUrl: a.url }, secrets: { apiKey: TEST_API_KEY } });
    await waitFor(async () => (await job(waiting)).status === 'completed', { what: 'the released job to land at A' });
    await waitFor(async () => (await job(failed)).status === 'failed' && (await job(failed)).history.length > 1, {
      what: 'the released 404 to be tried at A again',
    });
    expect(a.notes.map((note) => note.applicationId)).toEqual(['APP-WAIT']);
    expect((await job(toCancel)).status).toBe('cancelled');
    expect(b.notes.map((note) => note.applicationId)).toEqual(['APP-B']);
    expect((await job(atB)).destination).toContain(b.url);
    expect((await h.engine.api.getSnapshot({})).syncJobs.held).toBe(0);
  });
});
