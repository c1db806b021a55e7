import { randomUUID } from 'node:crypto';

/**
 * Scheduling events as the scheduling system posts them (docs/INTERFACES.md §4), with believable
 * names and times so screenshots look like a real day's traffic.
 */

export type EventType = 'link_created' | 'booked' | 'rescheduled' | 'cancelled';

const CANDIDATES = [
  'Maria Garcia',
  'James Chen',
  'Aisha Patel',
  'Lukas Novak',
  'Sofia Rossi',
  'Daniel Okafor',
  'Emma Lindqvist',
  'Hiro Tanaka',
  'Noah Williams',
  'Chloé Martin',
];
const INTERVIEWERS = [
  'dana.reyes@company.com',
  'sam.oconnor@company.com',
  'priya.n@company.com',
  'alex.kim@company.com',
];
const ZONES = ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/London'];

let sequence = 0;

/** A valid event; `applicationId` decides which fake application it targets. */
export function schedulingEvent(
  type: EventType,
  applicationId: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  sequence += 1;
  const n = sequence;
  const day = 10 + (n % 18);
  const hour = 13 + (n % 6);
  const startsAt = `2026-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
  const base = {
    eventId: `evt-e2e-${process.pid}-${Date.now().toString(36)}-${n}`,
    type,
    applicationId,
    entityId: randomUUID(),
    occurredAt: new Date().toISOString(),
    candidateName: CANDIDATES[n % CANDIDATES.length],
    interviewerEmail: INTERVIEWERS[n % INTERVIEWERS.length],
    timezone: ZONES[n % ZONES.length],
  };
  switch (type) {
    case 'link_created':
      return {
        ...base,
        entityType: 'scheduling_request',
        schedulingLinkUrl: `https://scheduling.example.com/s/${n.toString(36)}x7`,
        ...overrides,
      };
    case 'booked':
      return { ...base, entityType: 'booking', startsAt, endsAt: startsAt.replace(':00:00Z', ':45:00Z'), ...overrides };
    case 'rescheduled':
      return {
        ...base,
        entityType: 'booking',
        startsAt,
        previousStartsAt: `2026-03-${String(day - 1).padStart(2, '0')}T${String(hour).padStart(2, '0')}:30:00Z`,
        ...overrides,
      };
    case 'cancelled':
      return { ...base, entityType: 'booking', startsAt, reason: 'Candidate withdrew', ...overrides };
  }
}

const TYPES: EventType[] = ['link_created', 'booked', 'booked', 'rescheduled', 'cancelled'];

/** `count` events of mixed types for applications APP-<start>… */
export function eventBatch(count: number, start = 20_000): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) =>
    schedulingEvent(TYPES[i % TYPES.length] ?? 'booked', `APP-${start + i}`),
  );
}
