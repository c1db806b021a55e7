import { describe, expect, it } from 'vitest';
import { schedulingEventSchema } from '../../src/shared/scheduling-event';
import type { SchedulingEvent } from '../../src/shared/scheduling-event';
import { idempotencyKey } from '../../src/main/engine/sync/idempotency-key';
import { formatMoment, noteText } from '../../src/main/engine/sync/note-text';
import { CONTRACT_BOOKED_EVENT } from '../fixtures/contract-event';

const booked = CONTRACT_BOOKED_EVENT;

/** Events go through the contract schema first, exactly as ingest does. */
function event(overrides: Record<string, unknown>): SchedulingEvent {
  return schedulingEventSchema.parse({ ...booked, ...overrides });
}

describe('note text (docs/INTERFACES.md §4)', () => {
  it('writes the contract example exactly', () => {
    expect(noteText(event({}))).toBe('Interview scheduled: 2026-01-16 at 2:00 PM EST with interviewer@company.com');
  });

  it.each([
    {
      name: 'link_created: when the link was sent, and the link',
      overrides: {
        type: 'link_created',
        entityType: 'scheduling_request',
        startsAt: null,
        schedulingLinkUrl: 'https://sched.example.com/l/abc',
      },
      note: 'Scheduling link sent: 2026-01-15 at 1:59 PM EST (https://sched.example.com/l/abc)',
    },
    {
      name: 'rescheduled: new time, and the previous one',
      overrides: { type: 'rescheduled', startsAt: '2026-01-17T15:30:00Z', previousStartsAt: '2026-01-16T19:00:00Z' },
      note: 'Interview rescheduled: 2026-01-17 at 10:30 AM EST with interviewer@company.com (was 2026-01-16 at 2:00 PM EST)',
    },
    {
      name: 'cancelled booking with a reason',
      overrides: { type: 'cancelled', reason: 'Candidate withdrew' },
      note: 'Interview cancelled: 2026-01-16 at 2:00 PM EST with interviewer@company.com (reason: Candidate withdrew)',
    },
    {
      name: 'cancelled scheduling request without a booking time',
      overrides: { type: 'cancelled', entityType: 'scheduling_request', startsAt: null, interviewerEmail: null },
      note: 'Interview cancelled: scheduling request cancelled on 2026-01-15 at 1:59 PM EST',
    },
    {
      name: 'cancelled booking without its time, multi-line reason made one line',
      overrides: { type: 'cancelled', startsAt: null, reason: '  Hiring freeze.\nRole closed. ' },
      note: 'Interview cancelled: booking cancelled on 2026-01-15 at 1:59 PM EST (reason: Hiring freeze. Role closed.)',
    },
    {
      name: 'booked without an interviewer',
      overrides: { interviewerEmail: null },
      note: 'Interview scheduled: 2026-01-16 at 2:00 PM EST',
    },
    {
      name: 'booked with the interviewer field left out entirely',
      overrides: { interviewerEmail: undefined, candidateName: undefined, endsAt: undefined },
      note: 'Interview scheduled: 2026-01-16 at 2:00 PM EST',
    },
    {
      name: 'summer time in New York is EDT',
      overrides: { startsAt: '2026-07-16T18:00:00Z' },
      note: 'Interview scheduled: 2026-07-16 at 2:00 PM EDT with interviewer@company.com',
    },
    {
      name: 'a zone west of New York, across midnight: the local date',
      overrides: { startsAt: '2026-01-17T03:30:00Z', timezone: 'America/Los_Angeles' },
      note: 'Interview scheduled: 2026-01-16 at 7:30 PM PST with interviewer@company.com',
    },
    {
      name: 'a non-US zone with a half-hour offset',
      overrides: { startsAt: '2026-01-16T19:00:00Z', timezone: 'Asia/Kolkata' },
      note: 'Interview scheduled: 2026-01-17 at 12:30 AM GMT+5:30 with interviewer@company.com',
    },
    {
      name: 'Berlin in summer',
      overrides: { startsAt: '2026-07-16T10:00:00Z', timezone: 'Europe/Berlin' },
      note: 'Interview scheduled: 2026-07-16 at 12:00 PM GMT+2 with interviewer@company.com',
    },
    {
      name: 'an input time with its own offset is the same instant',
      overrides: { startsAt: '2026-01-16T14:00:00-05:00' },
      note: 'Interview scheduled: 2026-01-16 at 2:00 PM EST with interviewer@company.com',
    },
  ])('$name', ({ overrides, note }) => {
    expect(noteText(event(overrides))).toBe(note);
  });

  it('uses the console default zone when the event has none, else UTC', () => {
    expect(noteText(event({ timezone: null }), 'Europe/London')).toBe(
      'Interview scheduled: 2026-01-16 at 7:00 PM GMT with interviewer@company.com',
    );
    expect(noteText(event({ timezone: undefined }), 'America/Chicago')).toBe(
      'Interview scheduled: 2026-01-16 at 1:00 PM CST with interviewer@company.com',
    );
    expect(noteText(event({ timezone: null }))).toBe(
      'Interview scheduled: 2026-01-16 at 7:00 PM UTC with interviewer@company.com',
    );
    expect(noteText(event({ timezone: null }), 'Not/AZone')).toBe(
      'Interview scheduled: 2026-01-16 at 7:00 PM UTC with interviewer@company.com',
    );
    // The event's own zone wins over the default.
    expect(noteText(event({}), 'Europe/London')).toContain('2:00 PM EST');
  });

  it('names midnight and noon as 12 AM / 12 PM', () => {
    expect(formatMoment('2026-03-01T00:05:00Z', 'UTC')).toBe('2026-03-01 at 12:05 AM UTC');
    expect(formatMoment('2026-03-01T12:00:00Z', 'UTC')).toBe('2026-03-01 at 12:00 PM UTC');
  });

  it('agrees with Intl at every quarter hour around DST changes and in odd zones', () => {
    const zones = [
      'America/New_York',
      'Europe/Berlin',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
      'America/St_Johns',
      'Pacific/Chatham',
    ];
    const formats = new Map(
      zones.map((zone) => [
        zone,
        new Intl.DateTimeFormat('en-US', {
          timeZone: zone,
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: 'numeric',
          minute: '2-digit',
          hour12: true,
          timeZoneName: 'short',
        }),
      ]),
    );
    const reference = (iso: string, zone: string): string => {
      const p: Partial<Record<string, string>> = {};
      for (const part of formats.get(zone)!.formatToParts(new Date(iso))) p[part.type] = part.value;
      return `${p.year}-${p.month}-${p.day} at ${p.hour}:${p.minute} ${p.dayPeriod} ${p.timeZoneName}`;
    };
    // Two-day windows around spring and autumn changes in both hemispheres, every 7 minutes.
    const starts = [
      '2026-03-07T00:00:00Z',
      '2026-03-28T00:00:00Z',
      '2026-04-04T00:00:00Z',
      '2026-09-26T00:00:00Z',
      '2026-10-31T00:00:00Z',
    ];
    for (const start of starts) {
      for (let t = Date.parse(start); t < Date.parse(start) + 3 * 86_400_000; t += 7 * 60_000) {
        const iso = new Date(t).toISOString();
        for (const zone of zones) {
          const ours = formatMoment(iso, zone);
          const intl = reference(iso, zone);
          if (ours !== intl) expect(ours, `${iso} ${zone}`).toBe(intl);
        }
      }
    }
  });
});

describe('idempotency key (docs/INTERFACES.md §5)', () => {
  const note = 'Interview scheduled: 2026-01-16 at 2:00 PM EST with interviewer@company.com';

  it('is sched-{applicationId}-{8 hex of sha256(eventId + "\\n" + note)}-{UTC day the job was created}', () => {
    // printf '%s\n%s' evt-1 "$note" | sha256sum → f1496a17…
    const expectedHash = 'f1496a17';
    expect(idempotencyKey('evt-1', 'APP-12345', note, Date.parse('2026-01-15T18:59:00Z'))).toBe(
      `sched-APP-12345-${expectedHash}-2026-01-15`,
    );
  });

  it('takes the UTC day, not the local one', () => {
    // 23:30 in New York on the 15th is already the 16th in UTC.
    expect(idempotencyKey('evt-1', 'APP-1', note, Date.parse('2026-01-15T23:30:00-05:00'))).toMatch(/-2026-01-16$/);
  });

  it('differs for different notes, events and applications, and is stable for the same inputs', () => {
    const day = Date.parse('2026-01-15T10:00:00Z');
    const key = idempotencyKey('evt-1', 'APP-1', note, day);
    expect(idempotencyKey('evt-1', 'APP-1', note, day + 3_600_000)).toBe(key);
    expect(idempotencyKey('evt-1', 'APP-1', `${note}.`, day)).not.toBe(key);
    expect(idempotencyKey('evt-1', 'APP-2', note, day)).not.toBe(key);
    // A slot cancelled and booked again: the same text, two events, two keys.
    expect(idempotencyKey('evt-2', 'APP-1', note, day)).not.toBe(key);
  });
});
