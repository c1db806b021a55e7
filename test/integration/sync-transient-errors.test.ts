import { describe, expect, it } from 'vitest';
import { closeConsolesAfterEach, makeEvent, startConsole } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';

let harness: ConsoleHarness | null = null;
closeConsolesAfterEach();

describe('short hiccups', () => {
  it('a read that fails twice with 503 is retried inside one attempt: one note, no retry spent', async () => {
    harness = await startConsole({ fake: { dedupe: false } });
    const fake = harness.fake;
    // The note write is in doubt (a 503 may come after iCIMS stored it); its read-back then
    // meets two 503s, which a GET may simply repeat inside the attempt.
    fake.fail('addNote', { status: 503, times: 1 });
    fake.fail('readNotes', { status: 503, times: 2 });

    const posted = await harness.api('POST', '/api/events', { body: makeEvent('booked') });
    expect(posted.status).toBe(202);
    const jobId = posted.body.jobId as number;

    const job = await harness!.waitForJob(jobId, 'completed');

    expect(fake.notes).toHaveLength(1);
    expect(fake.callsTo('addNote').map((call) => call.status)).toEqual([503, 201]);
    expect(fake.callsTo('readNotes').map((call) => call.status)).toEqual([503, 503, 200]);
    // Both POSTs carry the job's one key.
    expect(new Set(fake.callsTo('addNote').map((call) => call.headers['idempotency-key'])).size).toBe(1);
    expect(job.attempts).toBe(0);
    expect(job.lastError).toBeNull();
    expect(job.history.map((attempt) => [attempt.label, attempt.outcome])).toEqual([
      ['initial', 'in_doubt'],
      ['retry 1', 'not_found_written'],
    ]);
  });
});
