const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const clock = new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', hour12: false });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "5 minutes ago", "in 3 hours", "just now". */
export function formatRelative(iso: string, now: number): string {
  const diff = Date.parse(iso) - now;
  if (Number.isNaN(diff)) return iso;
  if (Math.abs(diff) < 45_000) return diff > 0 ? 'in a few seconds' : 'just now';
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms || unit === 'minute') return relative.format(Math.round(diff / ms), unit);
  }
  return iso;
}

/** "Jan 15, 2026, 2:03:07 PM EST": an exact time in `zone` (default: this computer's), with its short name. */
export function formatAbsolute(iso: string, zone?: string): string {
  return formatInZone(iso, zone ?? displayZone());
}

/** "14:05", for chart axes. */
export function formatClock(epochMs: number): string {
  return clock.format(epochMs);
}

/** "in 44 s" under 90 s, else "in 3 min"; "now" once passed. The engine's health reasons say it the same way. */
export function formatCountdown(iso: string, now: number): string {
  const seconds = Math.max(0, Math.ceil((Date.parse(iso) - now) / 1000));
  if (Number.isNaN(seconds)) return iso;
  if (seconds === 0) return 'now';
  return `in ${seconds < 90 ? `${seconds} s` : `${Math.round(seconds / 60)} min`}`;
}

/** This computer's zone: where times are shown when Settings names no display time zone. */
export function displayZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * The zone the screens show times in: Settings' "Display time zone" when it is a zone this
 * runtime knows, else this computer's.
 */
export function resolveDisplayZone(setting: string | null | undefined): string {
  const zone = setting?.trim() ?? '';
  if (zone === '') return displayZone();
  return formatterFor(zone) ? zone : displayZone();
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(zone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        second: '2-digit',
        timeZone: zone,
        timeZoneName: 'short',
      });
    } catch {
      formatter = null;
    }
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** "Jan 15, 2026, 2:03:07 PM EST": an exact time, not "just now", in `zone`, with its short name. */
export function formatInZone(iso: string, zone: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return (formatterFor(zone) ?? formatterFor(displayZone()))!.format(time);
}

/** "CET", "EST", "GMT+5:30": the short name of `zone` at the given moment (default now). */
export function zoneShortName(zone: string, at: number = Date.now()): string {
  const formatter = formatterFor(zone);
  if (!formatter) return zone;
  return formatter.formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? zone;
}
