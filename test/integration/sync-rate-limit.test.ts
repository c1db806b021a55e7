import { describe, expect, it } from 'vitest';
import { closeConsolesAfterEach, makeEvent, startConsole, waitFor } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';
import { OffsetClock } from '../helpers/offset-clock';

let harness: ConsoleHarness | null = null;
closeConsolesAfterEach();

describe('a 429 holds the whole dispatcher without spending a retry', () => {
  it('Retry-After 31 s: the job waits (pending, attempts 0), nothing at all is sent until the wait ends, then both jobs complete', async () => {
    // 31 s is over the in-request limit (30 s), so the wait is the worker's. The clock lets the
    // test skip those 31 s instead of sleeping through them; everything else runs in real time.
    const clock = new OffsetClock();
    harness = await startConsole({ clock });
    const fake = harness.fake;
    fake.fail('addNote', { status: 429, headers: { 'retry-after': '31' }, times: 1 });

    const first = await harness.api('POST', '/api/events', { body: makeEvent('booked') });
    expect(first.status).toBe(202);
    const firstId = first.body.jobId as number;
    const limited = await harness!.waitForJob(firstId, 'pending', (job) => job.history.length === 1);
    expect(fake.callsTo('addNote').map((call) => call.status)).toEqual([429]);
    expect(limited.attempts).toBe(0);
    expect(limited.history[0]).toMatchObject({ label: 'initial', outcome: 'rate_limited', statusCode: 429 });
    expect(Date.parse(limited.runAfter!) - Date.parse(limited.updatedAt)).toBe(31_000);

    // A second job stored during the wait is not sent either: the limit is iCIMS', not the job's.
    const second = await harness.api('POST', '/api/events', { body: makeEvent('cancelled') });
    expect(second.status).toBe(202);
    const secondId = second.body.jobId as number;
    await harness.workerTurn();
    expect(fake.calls).toHaveLength(1);
    expect((await harness.engine.api.getJob({ id: secondId })).status).toBe('pending');

    const during = (await harness.api('GET', '/api/ops/icims', { token: null })).body;
    expect(during.metricsLast24h.rateLimitHits).toBe(1);
    expect(during.metricsLast24h.totalCalls).toBe(1);
    expect(during.status).toBe('degraded');
    expect(during.worker.rateLimitedUntil).not.toBeNull();
    expect(during.alerts.map((alert: { id: string }) => alert.id)).toContain('rate_limit_hit');

    // Up to 1 s short of the reset: still nothing.
    clock.advance(Date.parse(limited.runAfter!) - clock.now() - 1_000);
    await harness.workerTurn();
    expect(fake.calls).toHaveLength(1);

    clock.advance(1_000);
    const [firstDone, secondDone] = await waitFor(
      async () => {
        const jobs = await Promise.all([firstId, secondId].map((id) => harness!.engine.api.getJob({ id })));
        return jobs.every((job) => job.status === 'completed') ? jobs : null;
      },
      { what: 'both jobs to complete after the reset' },
    );
    expect(fake.notes).toHaveLength(2);
    expect(firstDone!.attempts).toBe(0);
    expect(firstDone!.history.map((a) => [a.label, a.outcome])).toEqual([
      ['initial', 'rate_limited'],
      ['initial', 'success'],
    ]);
    expect(secondDone!.attempts).toBe(0);
    expect(secondDone!.history.map((a) => [a.label, a.outcome])).toEqual([['initial', 'success']]);
    // The calls after the reset came only after the reset (the fake sees real time; the
    // console's clock is 31 s ahead of it by then).
    expect(fake.calls.map((call) => call.status)).toEqual([429, 201, 201]);

    const after = (await harness.api('GET', '/api/ops/icims', { token: null })).body;
    expect(after.metricsLast24h).toMatchObject({ totalCalls: 3, successfulCalls: 2, failedCalls: 1, rateLimitHits: 1 });
    expect(after.worker.rateLimitedUntil).toBeNull();
  });
});

describe('a rate-limit hold outlasts unrelated changes', () => {
  it.each([
    [
      'saving a setting that does not touch iCIMS (the time zone)',
      (console: ConsoleHarness) =>
        console.engine.api.saveSettings({ values: { timezone: 'Europe/Berlin', simulateTraffic: false }, secrets: {} }),
    ],
    [
      "an admin resetting the circuit breaker (it lifts the circuit's hold, not iCIMS' wait)",
      (console: ConsoleHarness) => console.engine.api.resetBreaker({}),
    ],
  ])('%s does not lift the 429 wait', async (_, action) => {
    const clock = new OffsetClock();
    harness = await startConsole({ clock });
    const fake = harness.fake;
    fake.fail('addNote', { status: 429, headers: { 'retry-after': '31' }, times: 1 });
    const posted = await harness.api('POST', '/api/events', { body: makeEvent('booked') });
    const id = posted.body.jobId as number;
    const limited = await harness!.waitForJob(id, 'pending', (job) => job.history.length === 1);

    await action(harness);
    // An event stored after it still waits for iCIMS' limit to reset.
    const next = await harness.api('POST', '/api/events', { body: makeEvent('cancelled') });
    await harness.workerTurn();
    expect(fake.calls).toHaveLength(1);
    expect((await harness.engine.api.getJob({ id: next.body.jobId })).status).toBe('pending');
    expect((await harness.api('GET', '/api/ops/icims', { token: null })).body.worker).toMatchObject({
      holdReason: 'rate_limit',
      rateLimitedUntil: expect.any(String),
    });

    clock.advance(Date.parse(limited.runAfter!) - clock.now() + 100);
    await waitFor(async () => (await harness!.engine.api.getJobCounts({})).completed === 2, {
      what: 'both jobs after the reset',
    });
    expect(fake.calls.map((call) => call.status)).toEqual([429, 201, 201]);
  });
});

describe('the daily call budget', () => {
  it('once ICIMS_DAILY_LIMIT calls are used, jobs wait (no retry spent, nothing sent) until UTC midnight', async () => {
    const clock = new OffsetClock();
    harness = await startConsole({ clock, envOverrides: { ICIMS_DAILY_LIMIT: '2' } });
    const fake = harness.fake;
    const posted = await harness.api('POST', '/api/events', {
      body: [makeEvent('booked'), makeEvent('rescheduled'), makeEvent('cancelled')],
    });
    const ids: number[] = posted.body.jobs.map((job: { jobId: number }) => job.jobId);

    await waitFor(async () => (await harness!.engine.api.getJobCounts({})).completed === 2, { what: 'two notes' });
    const waiting = await waitFor(
      async () => {
        const jobs = await Promise.all(ids.map((id) => harness!.engine.api.getJob({ id })));
        return jobs.find((job) => job.status === 'pending' && job.history.length > 0) ?? null;
      },
      { what: 'the third job to wait for the budget' },
    );
    await harness.workerTurn();
    expect(fake.calls).toHaveLength(2);
    expect(waiting.attempts).toBe(0);
    expect(waiting.lastError).toMatch(/Daily iCIMS call budget used up/);
    const midnight = (Math.floor(clock.now() / 86_400_000) + 1) * 86_400_000;
    // Midnight, give or take the few ms between the budget's verdict and the worker's bookkeeping.
    expect(Math.abs(Date.parse(waiting.runAfter!) - midnight)).toBeLessThan(1_000);

    const snapshot = (await harness.api('GET', '/api/ops/icims', { token: null })).body;
    expect(snapshot.dailyBudget).toMatchObject({ limit: 2, used: 2 });
    expect(snapshot.status).toBe('degraded');
    expect(snapshot.alerts).toContainEqual(expect.objectContaining({ id: 'daily_budget', severity: 'critical' }));
    expect(Math.abs(Date.parse(snapshot.worker.rateLimitedUntil) - midnight)).toBeLessThan(1_000);

    clock.advance(midnight - clock.now() + 1_000);
    await waitFor(async () => (await harness!.engine.api.getJobCounts({})).completed === 3, {
      what: 'the third note after midnight',
    });
    expect(fake.notes).toHaveLength(3);
    expect((await harness.engine.api.getJob({ id: waiting.id })).attempts).toBe(0);
  });
});
