import { describe, expect, it } from 'vitest';
import { opsSnapshotSchema } from '../../src/shared/ops-snapshot';
import { closeConsolesAfterEach, makeEvent, startConsole, TEST_API_KEY, waitFor } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';

let harness: ConsoleHarness | null = null;
closeConsolesAfterEach();

describe('the ops snapshot counts what iCIMS saw', () => {
  it('after successes, a retried 503, a 404 and a waited-out 429 the numbers match the fake, and no secret is in it', async () => {
    harness = await startConsole();
    const h = harness;
    const fake = h.fake;

    // One event at a time, so each scripted fault meets the job it is meant for.
    const send = async (event: Record<string, unknown>, expected: 'completed' | 'failed') => {
      const res = await h.api('POST', '/api/events', { body: event });
      expect(res.status).toBe(202);
      const id = res.body.jobId as number;
      return waitFor(
        async () => {
          const job = await h.engine.api.getJob({ id });
          return job.status === expected ? job : null;
        },
        { what: `job ${id} ${expected}` },
      );
    };

    for (let i = 1; i <= 3; i++) await send(makeEvent('booked', { applicationId: `APP-OK-${i}` }), 'completed');
    fake.fail('addNote', { status: 503, times: 1 });
    await send(makeEvent('rescheduled', { applicationId: 'APP-503' }), 'completed');
    // The fake answers 404 for application ids starting with MISSING.
    const missing = await send(makeEvent('cancelled', { applicationId: 'MISSING-1' }), 'failed');
    // Under 30 s: waited out inside the request, then sent again.
    fake.fail('addNote', { status: 429, headers: { 'retry-after': '1' }, times: 1 });
    await send(makeEvent('link_created', { applicationId: 'APP-429' }), 'completed');

    expect(missing.lastError).toMatch(/^404 Not Found: Application MISSING-1 does not exist/);
    expect(missing.attempts).toBe(0);

    const calls = fake.calls;
    // The 503 left its write in doubt: the retry read the notes back (200) before writing.
    expect(calls.map((call) => call.status)).toEqual([201, 201, 201, 503, 200, 201, 404, 429, 201]);
    const res = await h.api('GET', '/api/ops/icims');
    expect(res.status).toBe(200);
    const snapshot = opsSnapshotSchema.parse(res.body);

    expect(snapshot.metricsLast24h.totalCalls).toBe(calls.length);
    expect(snapshot.metricsLast24h.successfulCalls).toBe(calls.filter((call) => call.status! < 300).length);
    expect(snapshot.metricsLast24h.failedCalls).toBe(calls.filter((call) => call.status! >= 300).length);
    expect(snapshot.metricsLast24h.readBackCalls).toBe(1);
    expect(snapshot.metricsLast24h.rateLimitHits).toBe(calls.filter((call) => call.status === 429).length);
    expect(snapshot.metricsLast24h.avgResponseTimeMs).toBeGreaterThanOrEqual(0);
    expect(snapshot.syncJobs).toMatchObject({ pending: 0, processing: 0, completedLast24h: 5, failedLast24h: 1 });

    // The last failed call is the 429; the last successful one the note sent after it. Recorded
    // times are when a call started, so each lies before the fake received it.
    const at = (status: number) => calls.findLast((call) => call.status === status)!.time;
    const lastFailed = Date.parse(snapshot.lastFailedCall!);
    const lastSuccess = Date.parse(snapshot.lastSuccessfulCall!);
    expect(lastFailed).toBeGreaterThanOrEqual(at(404));
    expect(lastFailed).toBeLessThanOrEqual(at(429));
    expect(lastSuccess).toBeGreaterThanOrEqual(at(429));
    expect(lastSuccess).toBeLessThanOrEqual(calls.at(-1)!.time);

    // One 503 in 7 health-relevant calls (the 404 and the 429 do not count) and a recent 429.
    expect(snapshot.status).toBe('degraded');
    expect(snapshot.alerts.map((alert) => alert.id).sort()).toEqual(['rate_limit_hit', 'success_rate_warning']);
    expect(snapshot.circuit.state).toBe('closed');
    expect(snapshot.worker.state).toBe('running');
    expect(snapshot.config).toMatchObject({ mode: 'real', baseUrl: fake.url, hasApiKey: true, authMethod: 'apiKey' });
    expect(snapshot.recentFailures.map((failure) => failure.statusCode)).toEqual([429, 404, 503]);
    expect(snapshot.recentFailures[1]).toMatchObject({ jobId: missing.id, applicationId: 'MISSING-1' });

    const text = JSON.stringify(res.body);
    expect(text).not.toContain(TEST_API_KEY);
    expect(text).not.toContain(h.engine.apiToken);
  });
});
