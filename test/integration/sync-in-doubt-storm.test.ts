import { afterEach, describe, expect, it } from 'vitest';
import type { JobDetail } from '../../src/shared/jobs';
import type { FakeIcims } from '../fakes/fake-icims';
import { makeEvent, startConsole, waitFor } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';

/**
 * 1,000 events over 100 applications against an iCIMS that stores every POST and does not carry
 * keys in its read-back, while a fifth of the note POSTs are stored and then answered badly (a
 * 5xx, a dropped connection, an answer after the client gave up) and some fail before storing.
 * With read-back on, exactly one note per event; with it off, the same storm duplicates notes —
 * which proves the faults bite.
 */

const EVENTS = 1000;
const APPLICATIONS = 100;

let harness: ConsoleHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

/**
 * Events with a few repeated texts per application (a slot cancelled and booked again reads the
 * same), in event order per application.
 */
function stormEvents(): Record<string, unknown>[] {
  const types = ['booked', 'rescheduled', 'cancelled'] as const;
  return Array.from({ length: EVENTS }, (_, i) => {
    const type = types[i % 3]!;
    const slot = Math.floor(i / APPLICATIONS) % 2;
    return makeEvent(type, {
      applicationId: `APP-STORM-${i % APPLICATIONS}`,
      occurredAt: new Date(Date.parse('2026-01-15T10:00:00Z') + i * 1000).toISOString(),
      startsAt: `2026-01-2${slot}T15:00:00Z`,
      ...(type === 'rescheduled' ? { previousStartsAt: '2026-01-19T15:00:00Z' } : {}),
    });
  });
}

function scriptStorm(fake: FakeIcims): void {
  // Checked in this order for each note POST: roughly 20 % stored-then-lost, 7 % lost before storing.
  fake.fail('addNote', { afterStore: true, status: 504, probability: 0.05 });
  fake.fail('addNote', { afterStore: true, status: 502, probability: 0.04 });
  fake.fail('addNote', { afterStore: true, status: 500, probability: 0.03 });
  fake.fail('addNote', { afterStore: true, reset: true, probability: 0.04 });
  fake.fail('addNote', { afterStore: true, delayMs: 800, probability: 0.04 });
  fake.fail('addNote', { status: 503, probability: 0.05 });
  fake.fail('addNote', { reset: true, probability: 0.02 });
}

const STORM_ENV = {
  ICIMS_TIMEOUT_MS: '600',
  ICIMS_MAX_CONCURRENCY: '10',
  ICIMS_RATE_LIMIT_PER_MIN: '100000',
  ICIMS_CIRCUIT_THRESHOLD: '1000',
  SYNC_BACKOFF_MS: '20,20,20,20,20',
  SYNC_MAX_ATTEMPTS: '50',
};

async function runStorm(readBack: 'auto' | 'off'): Promise<{ h: ConsoleHarness; jobs: JobDetail[] }> {
  const h = await startConsole({
    fake: { dedupe: false, carryKeys: false },
    envOverrides: { ...STORM_ENV, ICIMS_READ_BACK: readBack },
  });
  harness = h;
  scriptStorm(h.fake);
  const posted = await h.api('POST', '/api/events', { body: stormEvents() });
  expect(posted.status).toBe(202);
  const ids = (posted.body.jobs as { jobId: number }[]).map((job) => job.jobId);
  await waitFor(async () => (await h.engine.api.getJobCounts({})).completed === EVENTS, {
    timeoutMs: 120_000,
    intervalMs: 200,
    what: 'every job of the storm to complete',
  });
  const jobs = await Promise.all(ids.map((id) => h.engine.api.getJob({ id })));
  return { h, jobs };
}

const countBy = (values: string[]) => {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
};

describe('a storm of in-doubt writes', () => {
  it('read-back on: exactly 1,000 notes, every job completed, reads and writes counted apart', async () => {
    const { h, jobs } = await runStorm('auto');
    const fake = h.fake;

    expect(jobs.every((job) => job.status === 'completed' && !job.inDoubt)).toBe(true);
    expect(fake.notes).toHaveLength(EVENTS);
    // The same notes, application by application, as many times as events asked for them.
    expect(countBy(fake.notes.map((n) => `${n.applicationId}\n${n.content}`))).toEqual(
      countBy(jobs.map((job) => `${job.applicationId}\n${job.noteText}`)),
    );

    const outcomes = jobs.flatMap((job) => job.history.map((a) => a.outcome));
    const found = outcomes.filter((o) => o === 'found_in_icims').length;
    const written = outcomes.filter((o) => o === 'not_found_written').length;
    // The faults hit: many writes were in doubt, and both answers of the read-back occurred.
    expect(found).toBeGreaterThan(100);
    expect(written).toBeGreaterThan(10);

    const ops = (await h.api('GET', '/api/ops/icims', { token: null })).body;
    expect(ops.syncJobs.inDoubt).toBe(0);
    expect(ops.metricsLast24h.totalCalls).toBe(fake.calls.length);
    expect(ops.metricsLast24h.readBackCalls).toBe(fake.callsTo('readNotes').length);
    expect(fake.callsTo('addNote').length + fake.callsTo('readNotes').length).toBe(fake.calls.length);
    // One read-back per in-doubt try that got an answer (a page of 20 holds an application's notes).
    expect(fake.callsTo('readNotes').length).toBeGreaterThanOrEqual(found + written);
    // Applications still ran side by side.
    expect(fake.peakConcurrency()).toBeGreaterThan(1);
  }, 180_000);

  it('read-back off against the same iCIMS: the storm duplicates notes (the faults really bite)', async () => {
    const { h, jobs } = await runStorm('off');
    expect(jobs.every((job) => job.status === 'completed')).toBe(true);
    expect(h.fake.callsTo('readNotes')).toHaveLength(0);
    expect(h.fake.notes.length).toBeGreaterThan(EVENTS + 50);
  }, 180_000);
});
