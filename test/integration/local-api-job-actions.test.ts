import { describe, expect, it } from 'vitest';
import { closeConsolesAfterEach, makeEvent, queueBackend, startConsole } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';
import { OffsetClock } from '../helpers/offset-clock';

let harness: ConsoleHarness | null = null;
closeConsolesAfterEach();

async function statusOf(h: ConsoleHarness, id: number): Promise<string> {
  return (await h.engine.api.getJob({ id })).status;
}

describe('POST /api/jobs/:id/retry and /cancel', () => {
  it('a cancelled waiting job is never sent; only the states the contract names can be retried or cancelled', async () => {
    // A 30 s backoff the test skips with the clock instead of sleeping through it.
    const clock = new OffsetClock();
    harness = await startConsole({
      clock,
      envOverrides: { SYNC_BACKOFF_MS: '30000', ICIMS_CIRCUIT_THRESHOLD: '1000' },
    });
    const fake = harness.fake;

    // A job waiting after a failed initial write (one call: a 503 leaves the write in doubt, so it
    // is not repeated inside the call).
    fake.fail('addNote', { status: 503, times: 1 });
    const waiting = await harness.api('POST', '/api/events', {
      body: makeEvent('booked', { applicationId: 'APP-WAIT' }),
    });
    const waitingId = waiting.body.jobId as number;
    const pending = await harness!.waitForJob(waitingId, 'pending', (job) => job.history.length === 1);
    expect(fake.callsTo('addNote')).toHaveLength(1);

    const cancelled = await harness.api('POST', `/api/jobs/${waitingId}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toEqual({ ok: true, jobId: waitingId, status: 'cancelled' });
    // Well past the time it would have run. (On PostgreSQL due times are the database's clock,
    // which no test moves: there the turn shows that a cancelled job is not claimed at all.)
    if (queueBackend === 'sqlite') clock.advance(Date.parse(pending.runAfter!) - clock.now() + 1_000);
    await harness.workerTurn();
    expect(fake.callsTo('addNote')).toHaveLength(1);
    expect(await statusOf(harness, waitingId)).toBe('cancelled');
    // Cancelled is final: neither action applies any more.
    expect((await harness.api('POST', `/api/jobs/${waitingId}/cancel`)).status).toBe(409);
    expect((await harness.api('POST', `/api/jobs/${waitingId}/retry`)).status).toBe(409);

    // A completed job: 409 for both, with the error body of docs/INTERFACES.md §3.
    const ok = await harness.api('POST', '/api/events', {
      body: makeEvent('link_created', { applicationId: 'APP-OK' }),
    });
    const okId = ok.body.jobId as number;
    await harness!.waitForJob(okId, 'completed');
    const cancelDone = await harness.api('POST', `/api/jobs/${okId}/cancel`);
    expect(cancelDone.status).toBe(409);
    expect(cancelDone.body).toMatchObject({ error: 'conflict', message: expect.any(String) });
    const retryDone = await harness.api('POST', `/api/jobs/${okId}/retry`);
    expect(retryDone.status).toBe(409);
    expect(retryDone.body.error).toBe('conflict');
    expect(fake.notes).toHaveLength(1);

    // A pending job waiting for its backoff: retry makes it run now, keeping its retry budget.
    fake.fail('addNote', { status: 503, times: 1 });
    const later = await harness.api('POST', '/api/events', {
      body: makeEvent('rescheduled', { applicationId: 'APP-LATER' }),
    });
    const laterId = later.body.jobId as number;
    const laterWaiting = await harness!.waitForJob(laterId, 'pending', (job) => job.history.length === 1);
    const runNow = await harness.api('POST', `/api/jobs/${laterId}/retry`);
    expect(runNow.status).toBe(200);
    expect(runNow.body.jobId).toBe(laterId);
    // Completed long before its 30 s backoff (the clock is not moved).
    const laterDone = await harness!.waitForJob(laterId, 'completed');
    expect(queueBackend === 'sqlite' ? clock.now() : Date.now()).toBeLessThan(Date.parse(laterWaiting.runAfter!));
    // The 503 left the write in doubt: the retry read the notes back, did not find it, wrote it.
    expect(laterDone.history.map((a) => [a.label, a.outcome])).toEqual([
      ['initial', 'in_doubt'],
      ['retry 1', 'not_found_written'],
    ]);

    // A failed job (iCIMS refused it once with a 400): retry runs it again with a fresh budget.
    fake.fail('addNote', { status: 400, times: 1 });
    const bad = await harness.api('POST', '/api/events', {
      body: makeEvent('cancelled', { applicationId: 'APP-FAIL' }),
    });
    const badId = bad.body.jobId as number;
    await harness!.waitForJob(badId, 'failed');
    const retried = await harness.api('POST', `/api/jobs/${badId}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ ok: true, jobId: badId });
    await harness!.waitForJob(badId, 'completed');
    expect(fake.notes.map((note) => note.applicationId).sort()).toEqual(['APP-FAIL', 'APP-LATER', 'APP-OK']);

    // A failed job can also be cancelled, and then stays cancelled.
    fake.fail('addNote', { status: 404, times: 1 });
    const gone = await harness.api('POST', '/api/events', { body: makeEvent('booked', { applicationId: 'APP-GONE' }) });
    const goneId = gone.body.jobId as number;
    await harness!.waitForJob(goneId, 'failed');
    expect((await harness.api('POST', `/api/jobs/${goneId}/cancel`)).body).toEqual({
      ok: true,
      jobId: goneId,
      status: 'cancelled',
    });

    // Unknown ids, bad ids, wrong method, no token.
    for (const action of ['retry', 'cancel']) {
      const unknown = await harness.api('POST', `/api/jobs/999999/${action}`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toBe('not_found');
      expect((await harness.api('POST', `/api/jobs/abc/${action}`)).status).toBe(400);
      expect((await harness.api('GET', `/api/jobs/${okId}/${action}`)).status).toBe(405);
      expect((await harness.api('POST', `/api/jobs/${goneId}/${action}`, { token: null })).status).toBe(401);
    }
    expect(await statusOf(harness, goneId)).toBe('cancelled');
  });
});
