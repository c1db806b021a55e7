import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

let harness: ConsoleHarness | null = null;
closeConsolesAfterEach();

describe('writeback: each scheduling event becomes one iCIMS note', () => {
  it('writes all four events as four notes with the contract text, auth header and idempotency key', async () => {
    harness = await startConsole();
    const events = [makeEvent('link_created'), makeEvent('booked'), makeEvent('rescheduled'), makeEvent('cancelled')];
    const res = await harness.api('POST', '/api/events', { body: events });
    expect(res.status).toBe(202);
    expect(res.body.jobs).toHaveLength(4);

    const fake = harness.fake;
    await waitFor(() => fake.notes.length === 4, { what: 'four notes' });
    const byText = fake.notes.map((note) => note.content).sort();
    expect(byText).toContain('Interview scheduled: 2026-01-16 at 2:00 PM EST with interviewer@company.com');
    expect(byText.some((text) => text.startsWith('Scheduling link sent: '))).toBe(true);
    expect(
      byText.some(
        (text) => text.startsWith('Interview rescheduled: ') && text.includes('(was 2026-01-16 at 2:00 PM EST)'),
      ),
    ).toBe(true);
    expect(byText.some((text) => text.startsWith('Interview cancelled: '))).toBe(true);

    const noteCalls = fake.callsTo('addNote');
    expect(noteCalls).toHaveLength(4);
    for (const call of noteCalls) {
      expect(call.headers.authorization).toBe(`Bearer ${TEST_API_KEY}`);
      const key = call.headers['idempotency-key'];
      expect(key).toMatch(/^sched-APP-12345-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}$/);
      expect(JSON.parse(call.body)).toMatchObject({ noteType: 'scheduling', idempotencyKey: key });
    }

    const jobs = await harness.api('GET', '/api/jobs');
    expect(jobs.body.jobs.map((job: { status: string }) => job.status)).toEqual([
      'completed',
      'completed',
      'completed',
      'completed',
    ]);

    // The log in the data folder records each call and each job transition, as JSON lines,
    // without the credentials.
    const logFile = join(harness.dataDir, 'console.log');
    const lines = await waitFor(
      () => {
        const parsed = readFileSync(logFile, 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { event: string; jobId?: number });
        return parsed.filter((line) => line.event === 'job.completed').length === 4 ? parsed : null;
      },
      { what: 'four job.completed log lines' },
    );
    expect(lines.filter((line) => line.event === 'icims.call')).toHaveLength(4);
    expect(new Set(lines.filter((line) => line.event === 'job.completed').map((line) => line.jobId))).toEqual(
      new Set(res.body.jobs.map((job: { jobId: number }) => job.jobId)),
    );
    const logText = readFileSync(logFile, 'utf8');
    expect(logText).not.toContain(TEST_API_KEY);
    expect(logText).not.toContain(harness.engine.apiToken);
  });

  it('writes them in the workflows style with OAuth: one token for all, notes in the collection field', async () => {
    harness = await startConsole({
      fake: {
        auth: { mode: 'oauth', clientId: 'console-client', clientSecret: 'client-secret-0123456789' },
        customerId: '1000',
      },
      env: (fake) => {
        const env = testEnv(fake, {
          ICIMS_API_STYLE: 'workflows',
          ICIMS_CUSTOMER_ID: '1000',
          ICIMS_CLIENT_ID: 'console-client',
          ICIMS_CLIENT_SECRET: 'client-secret-0123456789',
          ICIMS_TOKEN_URL: fake.tokenUrl,
        });
        delete env.ICIMS_API_KEY;
        return env;
      },
    });
    const fake = harness.fake;
    const events = [makeEvent('link_created'), makeEvent('booked'), makeEvent('rescheduled'), makeEvent('cancelled')];
    expect((await harness.api('POST', '/api/events', { body: events })).status).toBe(202);
    await waitFor(async () => (await harness!.engine.api.getJobCounts({})).completed === 4, {
      what: 'four completed jobs',
    });

    expect(fake.notes).toHaveLength(4);
    expect(fake.notes.every((note) => note.style === 'workflows' && note.field === 'notes')).toBe(true);
    expect(fake.notes.map((note) => note.content)).toContain(
      'Interview scheduled: 2026-01-16 at 2:00 PM EST with interviewer@company.com',
    );
    expect(fake.tokenRequests.filter((request) => request.ok)).toHaveLength(1);
    for (const call of fake.callsTo('addNote')) {
      expect(call.path).toBe('/customers/1000/applicantworkflows/APP-12345/fields/notes');
      expect(call.headers.authorization).toMatch(/^Bearer fake-token-/);
      expect(call.headers['idempotency-key']).toMatch(/^sched-APP-12345-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}$/);
    }
    const snapshot = (await harness.api('GET', '/api/ops/icims', { token: null })).body;
    expect(snapshot.config).toMatchObject({ authMethod: 'oauth', apiStyle: 'workflows', hasApiKey: true });
    expect(JSON.stringify(snapshot)).not.toContain('client-secret-0123456789');
    // The token request is a call too.
    expect(snapshot.metricsLast24h.totalCalls).toBe(fake.calls.length);
  });
});
