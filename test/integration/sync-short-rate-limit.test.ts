import { describe, expect, it } from 'vitest';
import { closeConsolesAfterEach, makeEvent, startConsole, waitFor } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';

/**
 * A 429 short enough to wait out inside the request, in real time (no clock moved): it runs on
 * both queues (vitest.config.mts, QUEUE_SUITES). The longer waits are in sync-rate-limit.test.ts.
 */

let harness: ConsoleHarness | null = null;
closeConsolesAfterEach();

describe('a short 429 is waited out inside the request', () => {
  it('Retry-After 2 s: the job stays in flight, the snapshot says rate limited until then, then one note', async () => {
    harness = await startConsole();
    const fake = harness.fake;
    fake.fail('addNote', { status: 429, headers: { 'retry-after': '2' }, times: 1 });
    const posted = await harness.api('POST', '/api/events', { body: makeEvent('booked') });
    const id = posted.body.jobId as number;
    await waitFor(async () => (fake.callsTo('addNote').length === 1 ? true : null), { what: 'the 429' });

    const during = (await harness.api('GET', '/api/ops/icims', { token: null })).body;
    expect((await harness.engine.api.getJob({ id })).status).toBe('processing');
    expect(during.worker.rateLimitedUntil).not.toBeNull();
    const left = Date.parse(during.worker.rateLimitedUntil) - Date.now();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(2_000);

    await harness!.waitForJob(id, 'completed');
    expect(fake.notes).toHaveLength(1);
    expect((await harness.engine.api.getJob({ id })).attempts).toBe(0);
    expect((await harness.api('GET', '/api/ops/icims', { token: null })).body.worker.rateLimitedUntil).toBeNull();
  });
});
