import { afterEach, describe, expect, it } from 'vitest';
import { makeEvent, startConsole } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';

const DAY = 86_400_000;

let harness: ConsoleHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

/*
 * SQLite mode only: retention of the team's queue is tested in test/team/. The engine prunes when
 * it starts and hourly after; moving its clock 31 days and restarting it stands in for a month.
 */
describe('retention of the embedded queue', () => {
  it('a month on, the written job and its candidate data are gone, and the same event re-sent is a duplicate that writes no second note', async () => {
    harness = await startConsole();
    const event = makeEvent('booked', { applicationId: 'APP-RETAIN', candidateName: 'Ada Retained' });
    const first = await harness.api('POST', '/api/events', { body: event });
    expect(first.body).toMatchObject({ duplicate: false });
    const jobId = first.body.jobId as number;
    await harness.waitForJob(jobId, 'completed');
    expect(harness.fake.notes.filter((note) => note.applicationId === 'APP-RETAIN')).toHaveLength(1);

    harness.clock.advance(31 * DAY);
    harness = await harness.restart();
    const h = harness;

    // The job, its event and its note text are gone from every view, and nothing breaks on it.
    expect((await h.api('GET', `/api/jobs/${jobId}`)).status).toBe(404);
    expect((await h.api('GET', '/api/jobs?applicationId=APP-RETAIN')).body.jobs).toEqual([]);
    const timeline = await h.api('GET', '/api/applications/APP-RETAIN/timeline');
    expect(timeline.status).toBe(200);
    expect(timeline.body.events).toEqual([]);
    const bundle = await h.api('GET', '/api/diagnostics?includePersonalData=true');
    expect(bundle.status).toBe(200);
    expect(JSON.stringify(bundle.body)).not.toContain('Ada Retained');

    // Re-sent: answered as a duplicate of the old job, nothing stored, nothing written.
    const again = await h.api('POST', '/api/events', { body: event });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ eventId: event.eventId, jobId, duplicate: true });
    await h.workerTurn();
    expect((await h.api('GET', '/api/jobs?applicationId=APP-RETAIN')).body.jobs).toEqual([]);
    expect(h.fake.notes.filter((note) => note.applicationId === 'APP-RETAIN')).toHaveLength(1);
  });
});
