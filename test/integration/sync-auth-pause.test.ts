import { describe, expect, it } from 'vitest';
import {
  closeConsolesAfterEach,
  makeEvent,
  startConsole,
  TEST_API_KEY,
  testEnv,
  waitFor,
} from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';

const WRONG_KEY = 'wrong-api-key-9876543210';

let harness: ConsoleHarness | null = null;
closeConsolesAfterEach();

describe('rejected credentials pause the worker until they change', () => {
  it('a 401 fails the job at once and pauses everything; the pause survives a restart; a new API key resumes it', async () => {
    // The key comes from saved settings, not the environment: an env-set key is locked and could
    // not be changed through Settings.
    harness = await startConsole({
      env: (fake) => {
        const env = testEnv(fake);
        delete env.ICIMS_API_KEY;
        return env;
      },
      savedSettings: { secrets: { apiKey: WRONG_KEY } },
    });
    const fake = harness.fake;

    const first = await harness.api('POST', '/api/events', { body: makeEvent('booked') });
    const firstId = first.body.jobId as number;
    const failed = await harness!.waitForJob(firstId, 'failed');
    expect(failed.attempts).toBe(0);
    expect(failed.lastError).toMatch(/^401 Unauthorized/);
    expect(failed.history.map((a) => [a.label, a.outcome, a.statusCode])).toEqual([
      ['initial', 'permanent_failure', 401],
    ]);
    // No in-request retry and no refresh for an API key: one call.
    expect(fake.callsTo('addNote')).toHaveLength(1);
    expect(fake.callsTo('addNote')[0]!.headers.authorization).toBe(`Bearer ${WRONG_KEY}`);

    const paused = await waitFor(
      async () => {
        const snapshot = (await harness!.api('GET', '/api/ops/icims')).body;
        return snapshot.worker.state === 'paused' ? snapshot : null;
      },
      { what: 'the worker to pause' },
    );
    expect(paused.status).toBe('down');
    expect(paused.alerts).toContainEqual(expect.objectContaining({ id: 'auth_failure', severity: 'critical' }));
    // The reason quotes iCIMS' own error once, not a sentence wrapped in another sentence.
    const reason = paused.statusReasons.find((text: string) => text.includes('credentials'));
    expect(reason).toMatch(/^iCIMS refused the credentials \(401 Unauthorized/);
    expect(reason.match(/credentials/g)).toHaveLength(1);
    expect(JSON.stringify(paused)).not.toContain(WRONG_KEY);

    // Posted while paused: stored, never sent.
    const second = await harness.api('POST', '/api/events', { body: makeEvent('cancelled') });
    expect(second.status).toBe(202);
    const secondId = second.body.jobId as number;
    await harness.workerTurn();
    expect(fake.calls).toHaveLength(1);
    expect((await harness.engine.api.getJob({ id: secondId })).status).toBe('pending');

    // A restart with the same (wrong) credentials does not burn another job.
    harness = await harness.restart();
    await harness.workerTurn();
    expect(fake.calls).toHaveLength(1);
    const afterRestart = (await harness.api('GET', '/api/ops/icims')).body;
    expect(afterRestart.worker.state).toBe('paused');
    expect(afterRestart.status).toBe('down');
    expect((await harness.engine.api.getJob({ id: secondId })).status).toBe('pending');

    // Saving a new key through the console resumes the worker by itself.
    const view = await harness.engine.api.saveSettings({ values: {}, secrets: { apiKey: TEST_API_KEY } });
    expect(view.secrets.apiKey).toBe(true);
    const resumed = await harness!.waitForJob(secondId, 'completed');
    expect(resumed.attempts).toBe(0);
    expect(fake.notes).toHaveLength(1);
    expect(fake.callsTo('addNote').at(-1)!.headers.authorization).toBe(`Bearer ${TEST_API_KEY}`);
    const healthy = (await harness.api('GET', '/api/ops/icims')).body;
    expect(healthy.worker.state).toBe('running');
    expect(healthy.alerts.map((alert: { id: string }) => alert.id)).not.toContain('auth_failure');

    // The job that hit the 401 stays failed until someone retries it.
    expect((await harness.engine.api.getJob({ id: firstId })).status).toBe('failed');
    expect((await harness.api('POST', `/api/jobs/${firstId}/retry`)).status).toBe(200);
    await harness!.waitForJob(firstId, 'completed');
    expect(fake.notes).toHaveLength(2);

    // Resumed for good: a restart with the new key does not bring the pause back.
    harness = await harness.restart();
    expect((await harness.api('GET', '/api/ops/icims')).body.worker.state).toBe('running');
  });
});

describe('rejected credentials fixed in the environment', () => {
  it('a restart with a different ICIMS_API_KEY lifts the pause by itself', async () => {
    harness = await startConsole({ env: (fake) => testEnv(fake, { ICIMS_API_KEY: WRONG_KEY }) });
    const fake = harness.fake;
    const first = await harness.api('POST', '/api/events', { body: makeEvent('booked') });
    await harness!.waitForJob(first.body.jobId, 'failed');
    const second = await harness.api('POST', '/api/events', { body: makeEvent('cancelled') });
    await harness.workerTurn();
    expect(fake.calls).toHaveLength(1);

    harness = await harness.restart(testEnv(fake, { ICIMS_API_KEY: TEST_API_KEY }));
    await harness!.waitForJob(second.body.jobId, 'completed');
    expect((await harness.api('GET', '/api/ops/icims')).body.worker.state).toBe('running');
    expect(fake.notes).toHaveLength(1);
  });
});
