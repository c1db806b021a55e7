import { describe, expect, it } from 'vitest';
import type { FakeCall } from '../fakes/fake-icims';
import { closeConsolesAfterEach, makeEvent, startConsole, waitFor } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';

const BACKOFF_MS = [200, 400, 600, 800, 1000];
/** A scheduled wait may run late on a busy machine, but not by another whole step of the schedule. */
const SLACK_MS = 1500;

let harness: ConsoleHarness | null = null;
closeConsolesAfterEach();

/** The note calls grouped into attempts: the in-request retries of one attempt come within ms. */
function attemptsAtFake(calls: FakeCall[]): FakeCall[][] {
  const groups: FakeCall[][] = [];
  let previous: FakeCall | null = null;
  for (const call of calls) {
    if (previous && call.time - previous.time < 150) groups[groups.length - 1]!.push(call);
    else groups.push([call]);
    previous = call;
  }
  return groups;
}

describe('a long outage follows the retry schedule, then the job fails and can be retried by hand', () => {
  it('waits backoff[0] after the initial write, backoff[k] after retry k, fails after 5 retries; a manual retry writes one note', async () => {
    // The breaker would otherwise open after 5 failed calls and hold the job; it has its own test.
    harness = await startConsole({
      envOverrides: { SYNC_BACKOFF_MS: BACKOFF_MS.join(','), SYNC_MAX_ATTEMPTS: '5', ICIMS_CIRCUIT_THRESHOLD: '1000' },
    });
    const fake = harness.fake;
    fake.fail('addNote', { status: 503 });

    const posted = await harness.api('POST', '/api/events', { body: makeEvent('booked') });
    expect(posted.status).toBe(202);
    const id = posted.body.jobId as number;

    // Every state the job passes through while it waits, as the API shows it.
    const waits: { attempts: number; runAfter: string; updatedAt: string }[] = [];
    const final = await waitFor(
      async () => {
        const { jobs } = await harness!.engine.api.listJobs({ limit: 50 });
        const job = jobs.find((j) => j.id === id);
        if (
          job?.status === 'pending' &&
          job.runAfter &&
          job.runAfter !== job.createdAt &&
          !waits.some((w) => w.updatedAt === job.updatedAt)
        ) {
          waits.push({ attempts: job.attempts, runAfter: job.runAfter, updatedAt: job.updatedAt });
        }
        return job?.status === 'failed' ? job : null;
      },
      { timeoutMs: 15_000, intervalMs: 10, what: 'the job to fail after its retries' },
    );

    expect(final.attempts).toBe(5);
    expect(final.lastError).toMatch(/^503 Service Unavailable/);
    // After the initial write attempts is 0 and the job waits backoff[0]; after retry k, backoff[k].
    expect(waits.map((w) => w.attempts)).toEqual([0, 1, 2, 3, 4]);
    expect(waits.map((w) => Date.parse(w.runAfter) - Date.parse(w.updatedAt))).toEqual(BACKOFF_MS);

    // What iCIMS saw: six attempts (initial + 5 retries), each one POST: a 503 may come after
    // iCIMS stored the note, so it is never repeated inside the call; each retry first read the
    // notes back (and did not find the note).
    const attempts = attemptsAtFake(fake.callsTo('addNote'));
    expect(attempts.map((group) => group.length)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(fake.callsTo('readNotes')).toHaveLength(5);
    for (let k = 0; k < BACKOFF_MS.length; k++) {
      const gap = attempts[k + 1]![0]!.time - attempts[k]![attempts[k]!.length - 1]!.time;
      expect(gap, `wait after attempt ${k}`).toBeGreaterThanOrEqual(BACKOFF_MS[k]!);
      expect(gap, `wait after attempt ${k}`).toBeLessThan(BACKOFF_MS[k]! + SLACK_MS);
    }
    expect(new Set(fake.callsTo('addNote').map((call) => call.headers['idempotency-key'])).size).toBe(1);

    const failed = await harness.engine.api.getJob({ id });
    expect(failed.history.map((a) => [a.label, a.outcome, a.statusCode])).toEqual([
      ['initial', 'in_doubt', 503],
      ['retry 1', 'in_doubt', 503],
      ['retry 2', 'in_doubt', 503],
      ['retry 3', 'in_doubt', 503],
      ['retry 4', 'in_doubt', 503],
      ['retry 5', 'in_doubt', 503],
    ]);
    expect(failed.inDoubt).toBe(true);
    expect(fake.notes).toHaveLength(0);

    // Nothing more is tried on its own once the job is failed.
    const callsWhenFailed = fake.calls.length;
    harness.clock.advance(BACKOFF_MS[4]! + 300);
    await harness.workerTurn();
    expect(fake.calls.length).toBe(callsWhenFailed);

    fake.clearFaults();
    const retried = await harness.api('POST', `/api/jobs/${id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ ok: true, jobId: id });
    const done = await harness!.waitForJob(id, 'completed');
    expect(fake.notes).toHaveLength(1);
    expect(fake.callsTo('addNote')).toHaveLength(7);
    expect(done.attempts).toBe(0);
    expect(done.lastError).toBeNull();
    expect(done.history.at(-1)).toMatchObject({ label: 'manual retry', outcome: 'not_found_written', statusCode: 201 });
  });
});
