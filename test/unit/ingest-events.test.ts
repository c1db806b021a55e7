import { describe, expect, it } from 'vitest';
import { claimJobs } from '../../src/main/engine/sync/claim-jobs';
import { idempotencyKey } from '../../src/main/engine/sync/idempotency-key';
import { ingestEvents } from '../../src/main/engine/sync/ingest';
import type { IngestOptions } from '../../src/main/engine/sync/ingest';
import { sqliteJobStore } from '../../src/main/engine/sync/job-store';
import { getJobDetail } from '../../src/main/engine/sync/job-detail';
import { readJob } from '../helpers/read-job';
import { countJobs } from '../../src/main/engine/sync/job-counts';
import type { Database } from '../../src/main/engine/sync/database';
import { openTempDb } from '../helpers/temp-db';
import { CONTRACT_BOOKED_EVENT } from '../fixtures/contract-event';

const NOW = Date.parse('2026-01-15T23:59:59.500Z');
const options: IngestOptions = { defaultTimezone: 'America/Chicago', maxAttempts: 5, now: NOW };

function booked(eventId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...CONTRACT_BOOKED_EVENT, eventId, ...overrides };
}

function jobCount(db: Database): number {
  const c = countJobs(db);
  return c.pending + c.processing + c.completed + c.failed + c.cancelled;
}

describe('ingestEvents', () => {
  it('stores valid events as pending jobs due now, with note text and the idempotency key fixed at creation', async () => {
    const { db } = openTempDb();
    const result = await ingestEvents(
      sqliteJobStore(db),
      [booked('evt-1'), booked('evt-2', { timezone: null, applicationId: 'APP-2' })],
      options,
    );
    expect(result).toEqual({
      ok: true,
      jobs: [
        { eventId: 'evt-1', jobId: 1, duplicate: false },
        { eventId: 'evt-2', jobId: 2, duplicate: false },
      ],
    });
    const first = readJob(db, 1)!;
    expect(first).toMatchObject({
      status: 'pending',
      runAfter: NOW,
      createdAt: NOW,
      attempts: 0,
      maxAttempts: 5,
      type: 'booked',
      applicationId: 'APP-12345',
      entityType: 'booking',
      noteText: 'Interview scheduled: 2026-01-16 at 2:00 PM EST with interviewer@company.com',
      idempotencyKey: idempotencyKey(
        'evt-1',
        'APP-12345',
        'Interview scheduled: 2026-01-16 at 2:00 PM EST with interviewer@company.com',
        NOW,
      ),
    });
    expect(first.idempotencyKey).toMatch(/^sched-APP-12345-[0-9a-f]{8}-2026-01-15$/);
    // No timezone: the console default applies.
    expect(readJob(db, 2)?.noteText).toBe(
      'Interview scheduled: 2026-01-16 at 1:00 PM CST with interviewer@company.com',
    );
    // The stored event is what was validated.
    expect(getJobDetail(db, 1).event).toMatchObject({
      eventId: 'evt-1',
      startsAt: '2026-01-16T19:00:00Z',
      candidateName: 'John Doe',
    });
    // Due at once: the worker's first claim takes them.
    expect(claimJobs(db, { owner: 'w', leaseMs: 1000, now: NOW, limit: 10 })).toHaveLength(2);
  });

  it('stores nothing when any event in the batch is invalid, and names each problem by position', async () => {
    const { db } = openTempDb();
    await ingestEvents(sqliteJobStore(db), [booked('evt-0')], options);
    const result = await ingestEvents(
      sqliteJobStore(db),
      [
        booked('evt-1'),
        booked('evt-2', { startsAt: 'tomorrow' }),
        booked('evt-3'),
        { ...booked('evt-4'), applicationId: 'APP 4', type: 'booked' },
        'not an object',
      ],
      options,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path)).toEqual(['1.startsAt', '3.applicationId', '4']);
    expect(result.issues[0]?.message).toMatch(/ISO-8601/);
    expect(jobCount(db)).toBe(1);
    expect(readJob(db, 2)).toBeNull();
  });

  it('can report issue paths without the position, for a single posted object', async () => {
    const { db } = openTempDb();
    const result = await ingestEvents(sqliteJobStore(db), [booked('evt-1', { type: 'rescheduled' })], {
      ...options,
      issuePaths: 'none',
    });
    expect(result).toEqual({ ok: false, issues: [{ path: 'previousStartsAt', message: expect.any(String) }] });
  });

  it('answers a repeated eventId with the existing job and creates nothing, across batches and within one', async () => {
    const { db } = openTempDb();
    await ingestEvents(sqliteJobStore(db), [booked('evt-1')], options);
    const result = await ingestEvents(
      sqliteJobStore(db),
      [booked('evt-2'), booked('evt-1', { startsAt: '2026-02-01T10:00:00Z' }), booked('evt-2'), booked('evt-3')],
      { ...options, now: NOW + 1000 },
    );
    expect(result).toEqual({
      ok: true,
      jobs: [
        { eventId: 'evt-2', jobId: 2, duplicate: false },
        { eventId: 'evt-1', jobId: 1, duplicate: true },
        { eventId: 'evt-2', jobId: 2, duplicate: true },
        { eventId: 'evt-3', jobId: 3, duplicate: false },
      ],
    });
    expect(jobCount(db)).toBe(3);
    // The original job is untouched by the re-post.
    expect(readJob(db, 1)).toMatchObject({
      createdAt: NOW,
      noteText: 'Interview scheduled: 2026-01-16 at 2:00 PM EST with interviewer@company.com',
    });
  });

  it('refuses more than 1000 events at once and accepts an empty batch', async () => {
    const { db } = openTempDb();
    const tooMany = Array.from({ length: 1001 }, (_, i) => booked(`evt-${i}`));
    const result = await ingestEvents(sqliteJobStore(db), tooMany, options);
    expect(result).toMatchObject({ ok: false, issues: [{ path: '(root)' }] });
    expect(jobCount(db)).toBe(0);
    expect(await ingestEvents(sqliteJobStore(db), [], options)).toEqual({ ok: true, jobs: [] });
  });

  it('writes all four event types', async () => {
    const { db } = openTempDb();
    const result = await ingestEvents(
      sqliteJobStore(db),
      [
        booked('l', {
          type: 'link_created',
          entityType: 'scheduling_request',
          startsAt: null,
          schedulingLinkUrl: 'https://sched.example.com/l/1',
        }),
        booked('b'),
        booked('r', {
          type: 'rescheduled',
          startsAt: '2026-01-17T19:00:00Z',
          previousStartsAt: '2026-01-16T19:00:00Z',
        }),
        booked('c', { type: 'cancelled', reason: 'No longer available' }),
      ],
      options,
    );
    expect(result.ok).toBe(true);
    expect([1, 2, 3, 4].map((id) => readJob(db, id)?.noteText)).toEqual([
      'Scheduling link sent: 2026-01-15 at 1:59 PM EST (https://sched.example.com/l/1)',
      'Interview scheduled: 2026-01-16 at 2:00 PM EST with interviewer@company.com',
      'Interview rescheduled: 2026-01-17 at 2:00 PM EST with interviewer@company.com (was 2026-01-16 at 2:00 PM EST)',
      'Interview cancelled: 2026-01-16 at 2:00 PM EST with interviewer@company.com (reason: No longer available)',
    ]);
  });
});
