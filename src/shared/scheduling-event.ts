import { z } from 'zod';

/**
 * The scheduling event of docs/INTERFACES.md §4: the only input the engine accepts from the
 * scheduling system. Unknown keys are dropped rather than rejected so that a newer scheduling
 * system can add fields without breaking ingest.
 */

export const EVENT_TYPES = ['link_created', 'booked', 'rescheduled', 'cancelled'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const isoWithOffset = z.iso.datetime({
  offset: true,
  message: 'must be an ISO-8601 time with an offset, e.g. 2026-01-16T19:00:00Z',
});

const knownZones = new Map<string, boolean>();

/**
 * Building an Intl.DateTimeFormat would cap ingest, so the answers for the few zones a scheduling
 * system uses are cached (bounded: junk zone names cannot grow the map without end).
 */
export function isIanaTimeZone(zone: string): boolean {
  const known = knownZones.get(zone);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    valid = true;
  } catch {
    valid = false;
  }
  if (knownZones.size < 1000) knownZones.set(zone, valid);
  return valid;
}

export const ianaTimeZone = z
  .string()
  .min(1)
  .max(100)
  .refine(isIanaTimeZone, { message: 'must be an IANA time zone, e.g. America/New_York' });

export const applicationIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^[A-Za-z0-9._:-]+$/, 'may contain only letters, digits and . _ : -');

const common = {
  eventId: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  applicationId: applicationIdSchema,
  entityId: z.guid({ message: 'must be a UUID' }),
  occurredAt: isoWithOffset,
  candidateName: z.string().max(200).nullish(),
  interviewerEmail: z.email({ message: 'must be an email address' }).nullish(),
  startsAt: isoWithOffset.nullish(),
  endsAt: isoWithOffset.nullish(),
  previousStartsAt: isoWithOffset.nullish(),
  timezone: ianaTimeZone.nullish(),
  schedulingLinkUrl: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).nullish(),
  reason: z.string().max(1000).nullish(),
};

export const schedulingEventSchema = z.discriminatedUnion(
  'type',
  [
    z.object({
      ...common,
      type: z.literal('link_created'),
      entityType: z.literal('scheduling_request'),
      schedulingLinkUrl: z.url({ protocol: /^https?$/, message: 'is required for link_created (an http(s) URL)' }),
    }),
    z.object({
      ...common,
      type: z.literal('booked'),
      entityType: z.literal('booking'),
      startsAt: isoWithOffset,
    }),
    z.object({
      ...common,
      type: z.literal('rescheduled'),
      entityType: z.literal('booking'),
      startsAt: isoWithOffset,
      previousStartsAt: isoWithOffset,
    }),
    z.object({
      ...common,
      type: z.literal('cancelled'),
      entityType: z.enum(['scheduling_request', 'booking']),
    }),
  ],
  { error: () => `type must be one of ${EVENT_TYPES.join(', ')}` },
);

export type SchedulingEvent = z.infer<typeof schedulingEventSchema>;

export const MAX_EVENTS_PER_REQUEST = 1000;

/** An issue as the local API reports it: `path` is dotted, array indexes included (`"3.startsAt"`). */
export interface InputIssue {
  path: string;
  message: string;
}

export function toInputIssues(error: z.ZodError, prefix: (string | number)[] = []): InputIssue[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join('.') || '(root)',
    message: issue.message,
  }));
}
