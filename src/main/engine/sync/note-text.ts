import { isIanaTimeZone } from '../../../shared/scheduling-event';
import type { SchedulingEvent } from '../../../shared/scheduling-event';

/**
 * The note each event becomes (docs/INTERFACES.md §4). Times are written in the event's own zone
 * (else the console's default zone, else UTC) and always carry the date, the time and the zone's
 * short name, because a recruiter reads the note without knowing where it was written from:
 *
 *   link_created  Scheduling link sent: 2026-01-15 at 1:59 PM EST (https://sched.example.com/l/abc)
 *   booked        Interview scheduled: 2026-01-16 at 2:00 PM EST with interviewer@company.com
 *   rescheduled   Interview rescheduled: 2026-01-17 at 10:30 AM EST with interviewer@company.com (was 2026-01-16 at 2:00 PM EST)
 *   cancelled     Interview cancelled: 2026-01-16 at 2:00 PM EST with interviewer@company.com (reason: Candidate withdrew)
 *                 Interview cancelled: scheduling request cancelled on 2026-01-15 at 1:59 PM EST
 *
 * en-US short zone names are abbreviations in North America (EST, PDT) and offsets elsewhere
 * (GMT+1, GMT+5:30) — both name the zone unambiguously. The text is assembled by hand, not taken
 * from Intl's formatted string, because newer ICU puts a narrow no-break space before AM/PM, which
 * would make note text (and with it the idempotency key) depend on the runtime's ICU version.
 */

/**
 * Intl formatting is most of ingest's time, so it is asked once per zone and UTC day, and the
 * rest is arithmetic. That is exact because a zone changes its offset or name only on a quarter
 * hour and never twice in a day: when a day's first and last quarter hours agree, the whole day
 * does; a day whose ends disagree is answered quarter hour by quarter hour.
 */
const QUARTER_HOUR_MS = 15 * 60_000;
const DAY_MS = 24 * 60 * 60_000;
const MAX_CACHED_SLICES = 50_000;

interface ZoneSlice {
  offsetMs: number;
  abbreviation: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const slices = new Map<string, ZoneSlice>();
/** Per zone and UTC day: the slice that holds all day, or null when the day has a transition. */
const days = new Map<string, ZoneSlice | null>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

function quarterSliceOf(zone: string, ms: number): ZoneSlice {
  const start = Math.floor(ms / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  const key = `${zone}|${start}`;
  let slice = slices.get(key);
  if (!slice) {
    const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
    for (const part of formatterFor(zone).formatToParts(new Date(start))) parts[part.type] = part.value;
    const wall = Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
    );
    slice = { offsetMs: wall - start, abbreviation: parts.timeZoneName ?? zone };
    if (slices.size >= MAX_CACHED_SLICES) slices.clear();
    slices.set(key, slice);
  }
  return slice;
}

function sliceOf(zone: string, ms: number): ZoneSlice {
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  const key = `${zone}|${day}`;
  let whole = days.get(key);
  if (whole === undefined) {
    const first = quarterSliceOf(zone, day);
    const last = quarterSliceOf(zone, day + DAY_MS - QUARTER_HOUR_MS);
    whole = first.offsetMs === last.offsetMs && first.abbreviation === last.abbreviation ? first : null;
    if (days.size >= MAX_CACHED_SLICES) days.clear();
    days.set(key, whole);
  }
  return whole ?? quarterSliceOf(zone, ms);
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `2026-01-16 at 2:00 PM EST` */
export function formatMoment(iso: string, zone: string): string {
  const ms = Date.parse(iso);
  const slice = sliceOf(zone, ms);
  const local = new Date(ms + slice.offsetMs);
  const hour = local.getUTCHours();
  return (
    `${local.getUTCFullYear()}-${pad2(local.getUTCMonth() + 1)}-${pad2(local.getUTCDate())} at ` +
    `${hour % 12 === 0 ? 12 : hour % 12}:${pad2(local.getUTCMinutes())} ${hour < 12 ? 'AM' : 'PM'} ${slice.abbreviation}`
  );
}

/** Zones already checked: checking builds an Intl formatter, which would otherwise happen per event. */
const checkedZones = new Map<string, boolean>();

function isUsableZone(zone: string): boolean {
  let usable = checkedZones.get(zone);
  if (usable === undefined) {
    usable = isIanaTimeZone(zone);
    if (checkedZones.size < 1000) checkedZones.set(zone, usable);
  }
  return usable;
}

/** The zone a note is written in: the event's, else the console default, else UTC. */
export function noteTimeZone(event: Pick<SchedulingEvent, 'timezone'>, defaultTimezone?: string | null): string {
  if (event.timezone) return event.timezone;
  if (defaultTimezone && isUsableZone(defaultTimezone)) return defaultTimezone;
  return 'UTC';
}

export function noteText(event: SchedulingEvent, defaultTimezone?: string | null): string {
  const zone = noteTimeZone(event, defaultTimezone);
  const withWhom = event.interviewerEmail ? ` with ${event.interviewerEmail}` : '';
  switch (event.type) {
    case 'link_created':
      return `Scheduling link sent: ${formatMoment(event.occurredAt, zone)} (${event.schedulingLinkUrl})`;
    case 'booked':
      return `Interview scheduled: ${formatMoment(event.startsAt, zone)}${withWhom}`;
    case 'rescheduled':
      return `Interview rescheduled: ${formatMoment(event.startsAt, zone)}${withWhom} (was ${formatMoment(event.previousStartsAt, zone)})`;
    case 'cancelled': {
      const what = event.startsAt
        ? `${formatMoment(event.startsAt, zone)}${withWhom}`
        : `${event.entityType === 'booking' ? 'booking' : 'scheduling request'} cancelled on ${formatMoment(event.occurredAt, zone)}`;
      const reason = event.reason ? oneLine(event.reason) : '';
      return `Interview cancelled: ${what}${reason ? ` (reason: ${reason})` : ''}`;
    }
  }
}

/** Notes are one line: a reason typed with line breaks must not break the timeline entry. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
