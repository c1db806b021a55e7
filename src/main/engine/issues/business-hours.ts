import { BUSINESS_HOURS_PATTERN } from '../../../shared/alert-settings';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
/** Silence is measured in 5-minute steps: precise enough for an alert, cheap over a weekend. */
const STEP_MINUTES = 5;
const STEP_MS = STEP_MINUTES * 60_000;

export interface BusinessHours {
  days: Set<number>;
  startMinute: number;
  endMinute: number;
  timeZone: string;
}

/** `Mon-Fri 09:00-17:00` in the console's time zone; empty text means "around the clock" (null). */
export function parseBusinessHours(text: string, timeZone: string): BusinessHours | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const match = BUSINESS_HOURS_PATTERN.exec(trimmed);
  if (!match) throw new Error(`Business hours "${trimmed}" must read like "Mon-Fri 09:00-17:00"`);
  const [, dayList = '', sh, sm, eh, em] = match;
  const days = new Set<number>();
  for (const part of dayList.split(',')) {
    const [from, to = from] = part.split('-') as [string, string?];
    let day = DAYS.indexOf(from as (typeof DAYS)[number]);
    const last = DAYS.indexOf(to as (typeof DAYS)[number]);
    // Fri-Mon wraps over the weekend.
    for (let guard = 0; guard < 7; guard += 1) {
      days.add(day);
      if (day === last) break;
      day = (day + 1) % 7;
    }
  }
  return { days, startMinute: Number(sh) * 60 + Number(sm), endMinute: Number(eh) * 60 + Number(em), timeZone };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function withinBusinessHours(hours: BusinessHours | null, at: number): boolean {
  if (!hours) return true;
  const parts = formatter(hours.timeZone).formatToParts(new Date(at));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = DAYS.indexOf(get('weekday') as (typeof DAYS)[number]);
  const minute = Number(get('hour')) * 60 + Number(get('minute'));
  return hours.days.has(day) && minute >= hours.startMinute && minute < hours.endMinute;
}

/**
 * Minutes of silence that count: only those inside business hours, so a quiet night or weekend
 * does not raise "events stopped" at 9:01 on Monday. Counted backwards from `now` in 5-minute
 * steps and stopped as soon as `enough` is reached, so a long silence costs at most `enough`
 * in-hours steps plus the out-of-hours ones (bounded to two weeks back).
 */
export function businessMinutesBetween(hours: BusinessHours | null, from: number, now: number, enough: number): number {
  if (now <= from) return 0;
  if (!hours) return Math.floor((now - from) / 60_000);
  const floor = Math.max(from, now - 14 * 24 * 60 * 60_000);
  let counted = 0;
  for (let t = now - STEP_MS; t >= floor && counted < enough; t -= STEP_MS) {
    if (withinBusinessHours(hours, t)) counted += STEP_MINUTES;
  }
  return counted;
}
