import { afterEach, describe, expect, it } from 'vitest';
import type { JobDetail } from '../../src/shared/jobs';
import { startFakeIcims } from '../fakes/fake-icims';
import type { FakeFault, FakeIcimsOptions } from '../fakes/fake-icims';
import { makeEvent, startConsole, waitFor } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';

/**
 * In-doubt writes against an iCIMS that does NOT drop a repeated Idempotency-Key (the fake's
 * `dedupe: false`), and that does not carry the key in its read-back (`carryKeys: false`): the
 * console must find its note by text alone (docs/INTERFACES.md §6).
 */

const NON_DEDUP: FakeIcimsOptions = { dedupe: false, carryKeys: false };

let harness: ConsoleHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

async function start(env: Record<string, string> = {}, fake: FakeIcimsOptions = {}): Promise<ConsoleHarness> {
  harness = await startConsole({ fake: { ...NON_DEDUP, ...fake }, envOverrides: { ICIMS_TIMEOUT_MS: '400', ...env } });
  return harness;
}

async function post(h: ConsoleHarness, event: Record<string, unknown>): Promise<number> {
  const posted = await h.api('POST', '/api/events', { body: event });
  expect(posted.status).toBe(202);
  return posted.body.jobId as number;
}

async function jobIn(h: ConsoleHarness, id: number, status: JobDetail['status']): Promise<JobDetail> {
  return waitFor(
    async () => {
      const job = await h.engine.api.getJob({ id });
      return job.status === status ? job : null;
    },
    { what: `job ${id} to be ${status}` },
  );
}

const outcomes = (job: JobDetail) => job.history.map((attempt) => attempt.outcome);

describe('a write whose answer is lost is read back, never re-sent blindly', () => {
  const storedThenLost: [string, FakeFault][] = [
    ['a 502 after the note was stored', { afterStore: true, status: 502 }],
    ['a 504 after the note was stored', { afterStore: true, status: 504 }],
    ['a 500 after the note was stored', { afterStore: true, status: 500 }],
    ['the connection closed without an answer', { afterStore: true, reset: true }],
    ['an answer later than the client timeout', { afterStore: true, delayMs: 700 }],
  ];
  for (const [cause, fault] of storedThenLost) {
    it(`${cause}: the note is stored once, the job completes as "found in iCIMS"`, async () => {
      const h = await start();
      h.fake.fail('addNote', { ...fault, times: 1 });
      const id = await post(h, makeEvent('booked'));
      const job = await jobIn(h, id, 'completed');

      expect(h.fake.notes).toHaveLength(1);
      expect(h.fake.callsTo('addNote')).toHaveLength(1);
      expect(h.fake.callsTo('readNotes')).toHaveLength(1);
      expect(outcomes(job)).toEqual(['in_doubt', 'found_in_icims']);
      expect(job.inDoubt).toBe(false);
      expect(job.icimsNoteId).toBe(String(h.fake.notes[0]!.id));
    });
  }

  const lostBeforeStoring: [string, FakeFault][] = [
    ['a 503 before the note was stored', { status: 503 }],
    ['the connection closed before the note was stored', { reset: true }],
  ];
  for (const [cause, fault] of lostBeforeStoring) {
    it(`${cause}: the read-back does not find it, so it is written once`, async () => {
      const h = await start();
      h.fake.fail('addNote', { ...fault, times: 1 });
      const id = await post(h, makeEvent('booked'));
      const job = await jobIn(h, id, 'completed');

      expect(h.fake.notes).toHaveLength(1);
      expect(h.fake.callsTo('readNotes')).toHaveLength(1);
      expect(h.fake.callsTo('addNote').map((call) => call.status)).toEqual([fault.status ?? null, 201]);
      expect(outcomes(job)).toEqual(['in_doubt', 'not_found_written']);
      expect(job.icimsNoteId).toBe(String(h.fake.notes[0]!.id));
    });
  }

  it('workflows style: the read-back goes through ?fields={notesField}', async () => {
    const h = await start({ ICIMS_API_STYLE: 'workflows', ICIMS_CUSTOMER_ID: '1000' });
    h.fake.fail('addNote', { afterStore: true, status: 504, times: 1 });
    const id = await post(h, makeEvent('cancelled'));
    const job = await jobIn(h, id, 'completed');

    expect(h.fake.notes).toHaveLength(1);
    expect(h.fake.callsTo('readNotes').map((call) => call.path)).toEqual([
      '/customers/1000/applicantworkflows/APP-12345',
    ]);
    expect(outcomes(job)).toEqual(['in_doubt', 'found_in_icims']);
  });

  it('a 409 fails the job but leaves it in doubt: Retry reads back first and sends nothing', async () => {
    const h = await start();
    h.fake.fail('addNote', { afterStore: true, status: 409, times: 1 });
    const id = await post(h, makeEvent('booked'));
    const failed = await jobIn(h, id, 'failed');
    expect(failed.inDoubt).toBe(true);
    const list = await h.api('GET', '/api/jobs?status=failed');
    expect(list.body.jobs[0]).toMatchObject({ id, inDoubt: true });
    const ops = await h.api('GET', '/api/ops/icims', { token: null });
    expect(ops.body.syncJobs.inDoubt).toBe(1);

    await h.engine.api.retryJob({ id });
    const job = await jobIn(h, id, 'completed');
    expect(h.fake.notes).toHaveLength(1);
    expect(h.fake.callsTo('addNote')).toHaveLength(1);
    expect(outcomes(job)).toEqual(['in_doubt', 'found_in_icims']);
    expect((await h.api('GET', '/api/ops/icims', { token: null })).body.syncJobs.inDoubt).toBe(0);
  });

  it('a note read back on a later page is found (every page is read)', async () => {
    const h = await start({}, { notesPageSize: 2 });
    for (let i = 0; i < 5; i += 1) {
      await jobIn(h, await post(h, makeEvent('booked', { startsAt: `2026-01-2${i}T19:00:00Z` })), 'completed');
    }
    h.fake.fail('addNote', { afterStore: true, status: 504, times: 1 });
    const id = await post(h, makeEvent('cancelled'));
    const job = await jobIn(h, id, 'completed');

    expect(h.fake.notes).toHaveLength(6);
    // Six notes at two a page: three reads.
    expect(h.fake.callsTo('readNotes')).toHaveLength(3);
    expect(outcomes(job)).toEqual(['in_doubt', 'found_in_icims']);
  });
});

describe('a write iCIMS provably refused is not in doubt', () => {
  const refusals: [string, number, JobDetail['status']][] = [
    ['400', 400, 'failed'],
    ['404', 404, 'failed'],
    ['422', 422, 'failed'],
  ];
  for (const [name, status, final] of refusals) {
    it(`${name}: the job fails without a read-back`, async () => {
      const h = await start();
      h.fake.fail('addNote', { status, times: 1 });
      const job = await jobIn(h, await post(h, makeEvent('booked')), final);
      expect(job.inDoubt).toBe(false);
      expect(outcomes(job)).toEqual(['permanent_failure']);
      expect(h.fake.callsTo('readNotes')).toHaveLength(0);
    });
  }

  it('429: waited out and sent again with no read-back', async () => {
    const h = await start();
    h.fake.fail('addNote', { status: 429, headers: { 'retry-after': '0' }, times: 1 });
    const job = await jobIn(h, await post(h, makeEvent('booked')), 'completed');
    expect(h.fake.callsTo('addNote').map((call) => call.status)).toEqual([429, 201]);
    expect(h.fake.callsTo('readNotes')).toHaveLength(0);
    expect(h.fake.notes).toHaveLength(1);
    expect(job.inDoubt).toBe(false);
  });

  it('a refused connection: retried without a read-back', async () => {
    // A port nobody listens on (taken, then freed), and the console pointed at it.
    const probe = await startFakeIcims();
    const deadUrl = probe.url;
    await probe.close();
    harness = await startConsole({
      fake: NON_DEDUP,
      envOverrides: { ICIMS_BASE_URL: deadUrl, SYNC_BACKOFF_MS: '60000' },
    });
    const id = await post(harness, makeEvent('booked'));
    const job = await waitFor(
      async () => {
        const j = await harness!.engine.api.getJob({ id });
        return j.history.length > 0 ? j : null;
      },
      { what: 'the first try' },
    );
    expect(job.status).toBe('pending');
    expect(outcomes(job)).toEqual(['retryable_failure']);
    expect(job.inDoubt).toBe(false);
    expect(job.lastError).toMatch(/ECONNREFUSED/);
    // Retried inside the attempt (it never left), and no read-back was owed.
    const calls = await harness.api('GET', '/api/ops/icims', { token: null });
    expect(calls.body.metricsLast24h.totalCalls).toBe(4);
    expect(calls.body.metricsLast24h.readBackCalls).toBe(0);
  });
});

describe('notes of one application', () => {
  it('two events whose notes read the same both land, even when one of them was in doubt', async () => {
    const h = await start();
    const twin = { startsAt: '2026-01-17T20:00:00Z', reason: 'Candidate withdrew' };
    const first = await jobIn(h, await post(h, makeEvent('cancelled', twin)), 'completed');
    h.fake.fail('addNote', { afterStore: true, status: 504, times: 1 });
    const second = await jobIn(h, await post(h, makeEvent('cancelled', twin)), 'completed');
    const third = await jobIn(h, await post(h, makeEvent('cancelled', twin)), 'completed');

    expect(first.noteText).toBe(second.noteText);
    expect(second.idempotencyKey).not.toBe(first.idempotencyKey);
    // Three events, three notes: the read-back did not take the first job's note for the second's.
    expect(h.fake.notes).toHaveLength(3);
    expect(outcomes(second)).toEqual(['in_doubt', 'found_in_icims']);
    expect(outcomes(third)).toEqual(['success']);
    expect(new Set([first.icimsNoteId, second.icimsNoteId, third.icimsNoteId]).size).toBe(3);
  });

  it('a twin whose first write was lost before storing is still written (the earlier twin’s note is not taken for it)', async () => {
    const h = await start();
    const twin = { startsAt: '2026-01-17T20:00:00Z', reason: 'Candidate withdrew' };
    await jobIn(h, await post(h, makeEvent('cancelled', twin)), 'completed');
    h.fake.fail('addNote', { status: 503, times: 1 });
    const second = await jobIn(h, await post(h, makeEvent('cancelled', twin)), 'completed');
    expect(outcomes(second)).toEqual(['in_doubt', 'not_found_written']);
    expect(h.fake.notes).toHaveLength(2);
  });

  it('a booking that fails and retries still lands before the reschedule and the cancel that came after it', async () => {
    const h = await start();
    h.fake.fail('addNote', { status: 503, times: 1 });
    const app = { applicationId: 'APP-ORDER' };
    // Posted out of order: the reschedule arrives first but happened after the booking.
    const posted = await h.api('POST', '/api/events', {
      body: [
        makeEvent('rescheduled', { ...app, occurredAt: '2026-01-15T19:05:00Z' }),
        makeEvent('booked', { ...app, occurredAt: '2026-01-15T19:00:00Z' }),
        makeEvent('cancelled', { ...app, occurredAt: '2026-01-15T19:10:00Z' }),
      ],
    });
    expect(posted.status).toBe(202);
    const ids = (posted.body.jobs as { jobId: number }[]).map((job) => job.jobId);
    for (const id of ids) await jobIn(h, id, 'completed');

    expect(h.fake.notes.map((note) => note.content.split(':')[0])).toEqual([
      'Interview scheduled',
      'Interview rescheduled',
      'Interview cancelled',
    ]);
    expect(h.fake.callsTo('addNote').map((call) => call.status)).toEqual([503, 201, 201, 201]);
  });

  it('a failed earlier job no longer holds later ones back', async () => {
    const h = await start();
    h.fake.fail('addNote', { status: 400, times: 1 });
    const app = { applicationId: 'APP-HOLD' };
    const booked = await jobIn(h, await post(h, makeEvent('booked', app)), 'failed');
    expect(booked.inDoubt).toBe(false);
    await jobIn(h, await post(h, makeEvent('cancelled', app)), 'completed');
    expect(h.fake.notes).toHaveLength(1);
  });
});

describe('a read-back that fails', () => {
  it('5xx on the read-back: retried on the schedule, spending retries as a write would; then found', async () => {
    const h = await start({ SYNC_BACKOFF_MS: '100,100,100,100,100', ICIMS_CIRCUIT_THRESHOLD: '50' });
    h.fake.fail('addNote', { afterStore: true, status: 504, times: 1 });
    // Each try's read is retried inside it (a GET is safe to repeat): 4 calls a try, two tries.
    h.fake.fail('readNotes', { status: 500, times: 8 });
    const id = await post(h, makeEvent('booked'));
    const job = await jobIn(h, id, 'completed');

    expect(h.fake.notes).toHaveLength(1);
    expect(h.fake.callsTo('addNote')).toHaveLength(1);
    expect(outcomes(job)).toEqual(['in_doubt', 'retryable_failure', 'retryable_failure', 'found_in_icims']);
    expect(job.history[1]!.error).toMatch(/^Reading the notes back failed: 500/);
    expect(job.attempts).toBe(2);
    expect(job.history.map((a) => a.label)).toEqual(['initial', 'retry 1', 'retry 2', 'retry 3']);
  });

  it('a timeout on the read-back: retried, and the note is still written once', async () => {
    const h = await start({ SYNC_BACKOFF_MS: '100,100,100,100,100', ICIMS_CIRCUIT_THRESHOLD: '50' });
    h.fake.fail('addNote', { status: 503, times: 1 });
    h.fake.fail('readNotes', { hang: true, times: 4 });
    const job = await jobIn(h, await post(h, makeEvent('booked')), 'completed');
    expect(h.fake.notes).toHaveLength(1);
    expect(outcomes(job)).toEqual(['in_doubt', 'retryable_failure', 'not_found_written']);
    expect(job.history[1]!.error).toMatch(/No response .* within 400 ms/);
  });

  it('a 401 on the read-back pauses the worker like a 401 on a write', async () => {
    const h = await start();
    h.fake.fail('addNote', { afterStore: true, status: 502, times: 1 });
    h.fake.fail('readNotes', { status: 401, times: 1 });
    const job = await jobIn(h, await post(h, makeEvent('booked')), 'failed');
    expect(job.inDoubt).toBe(true);
    expect(h.fake.callsTo('addNote')).toHaveLength(1);
    const ops = await waitFor(
      async () => {
        const snapshot = (await h.api('GET', '/api/ops/icims', { token: null })).body;
        return snapshot.worker.state === 'paused' ? snapshot : null;
      },
      { what: 'the worker to pause' },
    );
    expect(ops.alerts).toContainEqual(expect.objectContaining({ id: 'auth_failure' }));
    expect(ops.metricsLast24h.readBackCalls).toBe(1);
  });
});
