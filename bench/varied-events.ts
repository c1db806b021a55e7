import { randomUUID } from 'node:crypto';

const ZONES = [
  'America/New_York',
  'America/Los_Angeles',
  'America/Chicago',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Australia/Sydney',
  'UTC',
];
const TYPES = ['link_created', 'booked', 'rescheduled', 'cancelled'] as const;
const BASE = Date.parse('2026-01-15T09:00:00Z');
const MINUTE = 60_000;

/**
 * `count` valid contract events (docs/INTERFACES.md §4), all four types in turn, spread over
 * applications, interviewers, zones and times, every one with its own (application, note) pair:
 * a note seen twice at the fake is a real duplicate, never two events that happen to read alike.
 */
export function variedEvents(count: number, runTag: string): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => {
    const type = TYPES[i % TYPES.length]!;
    const startsAt = new Date(BASE + (i + 1) * 15 * MINUTE).toISOString();
    const base = {
      eventId: `bench-${runTag}-${i}`,
      type,
      applicationId: `APP-${10000 + (i % 3000)}`,
      entityId: randomUUID(),
      occurredAt: new Date(BASE + i * MINUTE).toISOString(),
      candidateName: `Candidate ${i}`,
      interviewerEmail: `interviewer${i % 40}@company.com`,
      timezone: ZONES[i % ZONES.length],
    };
    switch (type) {
      case 'link_created':
        return {
          ...base,
          entityType: 'scheduling_request',
          schedulingLinkUrl: `https://scheduling.example.com/s/${runTag}-${i}`,
        };
      case 'booked':
        return {
          ...base,
          entityType: 'booking',
          startsAt,
          endsAt: new Date(Date.parse(startsAt) + 45 * MINUTE).toISOString(),
        };
      case 'rescheduled':
        return {
          ...base,
          entityType: 'booking',
          startsAt,
          previousStartsAt: new Date(Date.parse(startsAt) - 24 * 60 * MINUTE).toISOString(),
        };
      case 'cancelled':
        return { ...base, entityType: 'booking', startsAt, reason: `Candidate withdrew (${i})` };
    }
  });
}
