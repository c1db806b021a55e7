import { describe, expect, it } from 'vitest';
import { closeConsolesAfterEach, makeEvent, startConsole } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';

let harness: ConsoleHarness | null = null;
closeConsolesAfterEach();

describe('short hiccups are absorbed inside one attempt', () => {
  it('two 503s then OK: exactly one note, the job completed with no retry spent', async () => {
    harness = await startConsole();
    const fake = harness.fake;
    fake.fail('addNote', { status: 503, times: 2 });

    const posted = await harness.api('POST', '/api/events', { body: makeEvent('booked') });
    expect(posted.status).toBe(202);
    const jobId = posted.body.jobId as number;

    const job = await harness!.waitForJob(jobId, 'completed');

    expect(fake.notes).toHaveLength(1);
    const calls = fake.callsTo('addNote');
    expect(calls.map((call) => call.status)).toEqual([503, 503, 201]);
    // Every try of the one attempt carries the same key: iCIMS could dedupe a repeat.
    expect(new Set(calls.map((call) => call.headers['idempotency-key'])).size).toBe(1);
    expect(job.attempts).toBe(0);
    expect(job.lastError).toBeNull();
    expect(job.history.map((attempt) => [attempt.label, attempt.outcome])).toEqual([['initial', 'success']]);
  });
});
