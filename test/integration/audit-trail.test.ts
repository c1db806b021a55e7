import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { makeEvent, startConsole, waitFor } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';
import { auditPageSchema } from '../../src/shared/audit';

let harness: ConsoleHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

async function rpc(h: ConsoleHarness, method: string, input: unknown) {
  const res = await request(`${h.url}/rpc/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.engine.apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
}

describe('audit trail', () => {
  it('records who retried and cancelled which job and how it ended; GET /api/audit pages newest first', async () => {
    harness = await startConsole({ envOverrides: { SYNC_BACKOFF_MS: '600000' } });
    harness.fake.fail('addNote', { status: 400, times: 1 });
    const posted = await harness.api('POST', '/api/events', { body: makeEvent('booked') });
    const jobId = posted.body.jobId as number;
    await waitFor(async () => (await harness!.engine.api.getJob({ id: jobId })).status === 'failed', {
      what: 'the job to fail',
    });

    expect((await harness.api('POST', `/api/jobs/${jobId}/retry`)).status).toBe(200);
    await waitFor(async () => (await harness!.engine.api.getJob({ id: jobId })).status === 'completed', {
      what: 'the retried job to complete',
    });
    // Cancelling a completed job is refused: the trail says so, with the reason.
    expect((await harness.api('POST', `/api/jobs/${jobId}/cancel`)).status).toBe(409);
    // Through /rpc with the token, as a script would.
    expect((await rpc(harness, 'pauseWorker', {})).status).toBe(200);

    const page = await harness.api('GET', '/api/audit');
    expect(page.status).toBe(200);
    const { entries } = auditPageSchema.parse(page.body);
    expect(entries.map((e) => [e.action, e.jobId, e.result])).toEqual([
      ['pause', null, 'ok'],
      ['cancel', jobId, 'error'],
      ['retry', jobId, 'ok'],
    ]);
    expect(entries.every((e) => e.actor.kind === 'token' && e.actor.label === 'API token')).toBe(true);
    expect(entries[1]!.error).toMatch(/cancel/i);

    // Paged: one at a time, following nextCursor.
    const first = await harness.api('GET', '/api/audit?limit=1');
    expect(first.body.entries.map((e: { action: string }) => e.action)).toEqual(['pause']);
    const second = await harness.api('GET', `/api/audit?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.entries.map((e: { action: string }) => e.action)).toEqual(['cancel']);

    // The job's own actions, for its detail panel.
    const forJob = await harness.engine.api.listAudit({ limit: 50, jobId });
    expect(forJob.entries.map((e) => e.action)).toEqual(['cancel', 'retry']);

    expect((await harness.api('GET', '/api/audit', { token: null })).status).toBe(401);
    expect((await harness.api('GET', '/api/audit?limit=0')).status).toBe(400);
  });

  it('a settings change names the fields it changed, never a secret value; calls without a transport are the system', async () => {
    harness = await startConsole({
      // Mock mode, nothing locked by the environment: every field can be saved.
      env: { CONSOLE_HTTP_HOST: '127.0.0.1', CONSOLE_HTTP_PORT: '0' },
    });
    const secret = 'a-brand-new-api-key-987654321';
    await harness.engine.api.saveSettings({
      values: { dailyLimit: 5000, timezone: 'UTC' },
      secrets: { apiKey: secret },
    });
    const [entry] = (await harness.engine.api.listAudit({ limit: 1 })).entries;
    expect(entry).toMatchObject({ action: 'settings_change', result: 'ok', actor: { kind: 'system' } });
    // The time zone was already UTC: only what changed is named, by its label on screen.
    expect(entry!.detail).toBe('Daily limit, API key (replaced)');
    const everything = JSON.stringify(await harness.api('GET', '/api/audit'));
    expect(everything).not.toContain(secret);

    // Refused: the errors name the fields by their labels on screen, not by environment variables.
    const refused = harness.engine.api.saveSettings({
      values: { mode: 'real', baseUrl: '' },
      secrets: { apiKey: null },
    });
    await expect(refused).rejects.toMatchObject({
      message: '2 problems: Base URL is required; API key is required for apiKey auth',
      issues: [
        { path: 'values.baseUrl', message: 'Base URL is required' },
        { path: 'secrets.apiKey', message: 'API key is required for apiKey auth' },
      ],
    });
    const [failed] = (await harness.engine.api.listAudit({ limit: 1 })).entries;
    expect(failed).toMatchObject({ action: 'settings_change', result: 'error', detail: 'Mode, API key (cleared)' });
    expect(failed!.error).not.toMatch(/ICIMS_/);
  });

  it('Test connection is recorded as an admin check and counts nowhere in health, success rate or recent failures', async () => {
    harness = await startConsole();
    harness.fake.fail('getApplication', { status: 503, times: 10 });
    const before = await harness.engine.api.getSnapshot({});
    const result = await harness.engine.api.testConnection({ values: {}, secrets: {} });
    expect(result.ok).toBe(false);
    // The probe really went to iCIMS (and failed) …
    expect(harness.fake.callsTo('getApplication').length).toBeGreaterThan(0);

    const after = await harness.engine.api.getSnapshot({});
    // … yet the ops numbers do not know about it.
    expect(after.status).toBe('healthy');
    expect(after.recentFailures).toEqual([]);
    expect(after.metricsLast24h.totalCalls).toBe(before.metricsLast24h.totalCalls);
    expect(after.metricsLast24h.failedCalls).toBe(0);
    expect(after.recent.successRate).toBe(before.recent.successRate);
    expect(after.dailyBudget.used).toBe(before.dailyBudget.used);

    const [entry] = (await harness.engine.api.listAudit({ limit: 1 })).entries;
    expect(entry).toMatchObject({ action: 'test_connection', result: 'error' });
    expect(entry!.error).toContain('503');
  });

  it('the engine-level audit.record takes entries from hosts (sign-in and sign-out)', async () => {
    harness = await startConsole();
    harness.engine.audit.record({ actor: { kind: 'session', label: 'Dana (laptop)' }, action: 'sign_in' });
    const page = await harness.api('GET', '/api/audit');
    expect(page.body.entries[0]).toMatchObject({
      action: 'sign_in',
      actor: { kind: 'session', label: 'Dana (laptop)' },
      result: 'ok',
    });
  });
});
