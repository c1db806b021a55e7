const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const absolute = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});
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

export function formatAbsolute(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : absolute.format(time);
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

/** The zone times are shown in: the computer's. */
export function displayZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** "Jan 15, 2026, 2:03:07 PM EST": an exact time, not "just now", in `zone`. */
export function formatInZone(iso: string, zone: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return new Intl.DateTimeFormat('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
    timeZone: zone,
    timeZoneName: 'short',
  }).format(time);
}
