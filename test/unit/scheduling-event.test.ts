import { describe, expect, it } from 'vitest';
import { schedulingEventSchema, toInputIssues } from '../../src/shared/scheduling-event';
import { CONTRACT_BOOKED_EVENT } from '../fixtures/contract-event';

const booked = CONTRACT_BOOKED_EVENT;

function issuesOf(input: unknown) {
  const result = schedulingEventSchema.safeParse(input);
  if (result.success) throw new Error('expected the event to be rejected');
  return toInputIssues(result.error);
}

describe('scheduling event schema (docs/INTERFACES.md §4)', () => {
  it('accepts the contract example', () => {
    expect(schedulingEventSchema.parse(booked)).toMatchObject({ eventId: 'evt-0001', type: 'booked' });
  });

  it('accepts each type with its required fields', () => {
    expect(
      schedulingEventSchema.safeParse({
        ...booked,
        type: 'link_created',
        entityType: 'scheduling_request',
        schedulingLinkUrl: 'https://sched.example.com/l/abc',
      }).success,
    ).toBe(true);
    expect(
      schedulingEventSchema.safeParse({ ...booked, type: 'rescheduled', previousStartsAt: '2026-01-15T19:00:00-05:00' })
        .success,
    ).toBe(true);
    expect(
      schedulingEventSchema.safeParse({
        ...booked,
        type: 'cancelled',
        entityType: 'scheduling_request',
        startsAt: null,
      }).success,
    ).toBe(true);
  });

  it('names the field that is wrong', () => {
    expect(issuesOf({ ...booked, type: 'deleted' })[0]?.path).toBe('type');
    expect(issuesOf({ ...booked, startsAt: null }).map((i) => i.path)).toEqual(['startsAt']);
    expect(issuesOf({ ...booked, type: 'rescheduled' }).map((i) => i.path)).toEqual(['previousStartsAt']);
    expect(issuesOf({ ...booked, type: 'link_created', entityType: 'scheduling_request' }).map((i) => i.path)).toEqual([
      'schedulingLinkUrl',
    ]);
    expect(issuesOf({ ...booked, entityType: 'scheduling_request' }).map((i) => i.path)).toEqual(['entityType']);
  });

  it('enforces the field formats', () => {
    expect(issuesOf({ ...booked, applicationId: 'APP 1' })[0]?.path).toBe('applicationId');
    expect(issuesOf({ ...booked, applicationId: 'A'.repeat(101) })[0]?.path).toBe('applicationId');
    expect(issuesOf({ ...booked, eventId: '' })[0]?.path).toBe('eventId');
    expect(issuesOf({ ...booked, eventId: 'e'.repeat(201) })[0]?.path).toBe('eventId');
    expect(issuesOf({ ...booked, entityId: 'not-a-uuid' })[0]?.path).toBe('entityId');
    expect(issuesOf({ ...booked, occurredAt: '2026-01-15T18:59:00' })[0]?.path).toBe('occurredAt');
    expect(issuesOf({ ...booked, timezone: 'Mars/Olympus' })[0]?.path).toBe('timezone');
  });

  it('prefixes array positions in issue paths', () => {
    const result = schedulingEventSchema.safeParse({ ...booked, startsAt: 'tomorrow' });
    expect(result.success).toBe(false);
    if (!result.success) expect(toInputIssues(result.error, [3])[0]?.path).toBe('3.startsAt');
  });
});
