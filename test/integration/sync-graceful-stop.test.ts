import { describe, expect, it } from 'vitest';
import { closeConsolesAfterEach, makeEvent, startConsole, waitFor } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';

let harness: ConsoleHarness | null = null;
closeConsolesAfterEach();

describe('stopping the console with a call iCIMS never answers', () => {
  it('after the grace period the call is cut, its job released with no retry spent, and the next start writes the note once', async () => {
    // A 60 s request timeout: without the grace period, stop() would wait for it.
    const first = await startConsole({ envOverrides: { ICIMS_TIMEOUT_MS: '60000' }, shutdownGraceMs: 300 });
    harness = first;
    first.fake.fail('addNote', { hang: true, times: 1 });
    const posted = await first.api('POST', '/api/events', { body: makeEvent('booked') });
    const id = posted.body.jobId as number;
    await waitFor(() => first.fake.callsTo('addNote').length === 1, { what: 'the hung call' });
    expect((await first.engine.api.getJob({ id })).status).toBe('processing');

    await first.stopConsole();
    expect(first.fake.notes).toHaveLength(0);

    harness = await first.restart();
    const done = await harness!.waitForJob(id, 'completed');
    expect(harness.fake.notes).toHaveLength(1);
    expect(harness.fake.callsTo('addNote')).toHaveLength(2);
    expect(done.attempts).toBe(0);
    // The cut call may have reached iCIMS: the restart read the notes back, did not find the note
    // (iCIMS never answered, so never stored it), and wrote it.
    expect(done.history.map((attempt) => attempt.outcome)).toEqual(['released', 'not_found_written']);
    expect(done.inDoubt).toBe(false);
    expect(harness.fake.callsTo('readNotes')).toHaveLength(1);
    // Both calls carried the job's one idempotency key.
    const keys = new Set(harness.fake.callsTo('addNote').map((call) => call.headers['idempotency-key']));
    expect(keys).toEqual(new Set([done.idempotencyKey]));
  });

  it('a call that answers within the grace period completes its job before stop() returns', async () => {
    harness = await startConsole({ fake: { latencyMs: 400 }, shutdownGraceMs: 5_000 });
    const posted = await harness.api('POST', '/api/events', { body: makeEvent('cancelled') });
    const id = posted.body.jobId as number;
    await waitFor(() => harness!.fake.callsTo('addNote').length === 1, { what: 'the call in flight' });

    await harness.stopConsole();
    expect(harness.fake.notes).toHaveLength(1);
    harness = await harness.restart();
    const job = await harness.engine.api.getJob({ id });
    expect(job.status).toBe('completed');
    expect(job.history.map((attempt) => attempt.outcome)).toEqual(['success']);
    await harness.workerTurn();
    expect(harness.fake.callsTo('addNote')).toHaveLength(1);
  });
});
