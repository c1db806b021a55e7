import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { applicationTimelineSchema, jobPageSchema, jobSummarySchema } from '../../src/shared/jobs';
import { makeEvent, startConsole, waitFor } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';

let harness: ConsoleHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

describe('finding a note', () => {
  it('search is partial and case-insensitive over application id, event id and candidate name; the timeline says when each note landed', async () => {
    harness = await startConsole();
    const h = harness;
    const booked = makeEvent('booked', { applicationId: 'APP-71267', candidateName: 'Zoë Okafor' });
    const moved = makeEvent('rescheduled', {
      applicationId: 'APP-71267',
      startsAt: '2026-01-17T19:00:00Z',
      previousStartsAt: '2026-01-16T19:00:00Z',
    });
    const other = makeEvent('booked', { applicationId: 'APP-99', candidateName: 'Someone Else' });
    const posted = await h.api('POST', '/api/events', { body: [booked, moved, other] });
    const ids = (posted.body.jobs as { jobId: number }[]).map((j) => j.jobId);
    await waitFor(async () => (await h.api('GET', '/api/jobs?status=completed')).body.jobs.length === 3, {
      what: 'all three notes to land',
    });

    const search = async (query: string) =>
      jobPageSchema
        .extend({ jobs: z.array(jobSummarySchema.omit({ destination: true })) })
        .parse((await h.api('GET', `/api/jobs?${query}`)).body)
        .jobs.map((j) => j.id);
    expect(await search('q=app-71267')).toEqual([ids[1], ids[0]]);
    expect(await search('q=71267')).toEqual([ids[1], ids[0]]);
    expect(await search('q=okafor')).toEqual([ids[0]]);
    expect(await search(`q=${encodeURIComponent(String(other.eventId).toUpperCase())}`)).toEqual([ids[2]]);
    expect(await search('q=71267&type=rescheduled')).toEqual([ids[1]]);
    expect(await search('q=%25')).toEqual([]);
    expect(await search(`q=71267&from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([]);
    expect((await h.api('GET', '/api/jobs?from=yesterday')).status).toBe(400);
    // The Jobs screen's status tabs count what its search finds, not the whole queue.
    expect(await h.engine.api.getJobCounts({ q: '71267' })).toMatchObject({ completed: 2, pending: 0, failed: 0 });
    expect(await h.engine.api.getJobCounts({ q: '71267', type: 'booked' })).toMatchObject({ completed: 1 });
    expect(await h.engine.api.getJobCounts({})).toMatchObject({ completed: 3 });

    const answer = await h.api('GET', '/api/applications/APP-71267/timeline');
    expect(answer.status).toBe(200);
    const timeline = applicationTimelineSchema.parse(answer.body);
    expect(timeline.applicationId).toBe('APP-71267');
    expect(timeline.events.map((e) => [e.eventId, e.type, e.status, e.jobId])).toEqual([
      [booked.eventId, 'booked', 'completed', ids[0]],
      [moved.eventId, 'rescheduled', 'completed', ids[1]],
    ]);
    const notes = h.fake.notes.filter((n) => n.applicationId === 'APP-71267');
    expect(timeline.events.map((e) => e.note)).toEqual(notes.map((n) => n.content));
    // Each landed entry carries the id the (fake) iCIMS gave its note.
    expect(timeline.events.map((e) => e.icimsNoteId)).toEqual(notes.map((n) => String(n.id)));
    for (const event of timeline.events) {
      expect(Date.parse(event.landedAt!)).toBeGreaterThanOrEqual(Date.parse(event.receivedAt));
    }
    expect((await h.api('GET', '/api/applications/APP-71267/timeline', { token: null })).status).toBe(401);
    expect((await h.api('GET', '/api/applications/bad%20id/timeline')).status).toBe(400);
    expect((await h.api('GET', '/api/applications/%E0%A4%A/timeline')).status).toBe(400);
    expect(
      applicationTimelineSchema.parse((await h.api('GET', '/api/applications/APP-NONE/timeline')).body).events,
    ).toEqual([]);
  });
});
