import { MAX_EVENTS_PER_REQUEST, schedulingEventSchema, toInputIssues } from '../../../shared/scheduling-event';
import type { InputIssue, SchedulingEvent } from '../../../shared/scheduling-event';
import type { IngestResult } from '../engine-types';
import type { NewJob } from './enqueue-jobs';
import { idempotencyKey } from './idempotency-key';
import type { JobStore } from './job-store';
import { noteText } from './note-text';

export interface IngestOptions {
  /** The console's zone, for events without `timezone`. */
  defaultTimezone: string;
  /** SYNC_MAX_ATTEMPTS, stored on each new job. */
  maxAttempts: number;
  now: number;
  /** Where the new jobs may be written (destination.ts); null only in tests of the queue alone. */
  destination?: string | null;
  /**
   * `index` (default) prefixes issue paths with the event's position (`3.startsAt`), as the
   * array form of POST /api/events reports them; `none` suits a single posted object.
   */
  issuePaths?: 'index' | 'none';
}

/**
 * Validates every event and stores them all in one transaction, or — if any is invalid — stores
 * nothing and reports every issue. New jobs are pending and due at once: the worker makes the
 * initial write right away instead of waiting for a poll. A repeated eventId (stored before, or
 * earlier in this batch) creates nothing and answers with the existing job, `duplicate: true`.
 */
export async function ingestEvents(
  jobs: Pick<JobStore, 'enqueue'>,
  events: readonly unknown[],
  options: IngestOptions,
): Promise<IngestResult> {
  if (events.length > MAX_EVENTS_PER_REQUEST) {
    return {
      ok: false,
      issues: [
        { path: '(root)', message: `at most ${MAX_EVENTS_PER_REQUEST} events per request (got ${events.length})` },
      ],
    };
  }
  const issues: InputIssue[] = [];
  const valid: SchedulingEvent[] = [];
  events.forEach((input, index) => {
    const parsed = schedulingEventSchema.safeParse(input);
    if (parsed.success) valid.push(parsed.data);
    else issues.push(...toInputIssues(parsed.error, options.issuePaths === 'none' ? [] : [index]));
  });
  if (issues.length > 0) return { ok: false, issues };

  const { now, maxAttempts, defaultTimezone } = options;
  const newJobs: NewJob[] = valid.map((event) => {
    const note = noteText(event, defaultTimezone);
    return {
      eventId: event.eventId,
      type: event.type,
      applicationId: event.applicationId,
      entityType: event.entityType,
      entityId: event.entityId,
      payload: JSON.stringify(event),
      noteText: note,
      idempotencyKey: idempotencyKey(event.eventId, event.applicationId, note, now),
      maxAttempts,
      runAfter: now,
      occurredAt: occurredAtMs(event.occurredAt, now),
      destination: options.destination ?? null,
    };
  });
  return { ok: true, jobs: await jobs.enqueue(newJobs, now) };
}

/** The schema has checked the timestamp; an unparseable one (never expected) orders by arrival. */
function occurredAtMs(occurredAt: string, now: number): number {
  const ms = Date.parse(occurredAt);
  return Number.isNaN(ms) ? now : ms;
}
