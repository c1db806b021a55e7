import { describe, expect, it } from 'vitest';
import { formatAxisMs, formatCount, formatMs, formatPercent } from '../../src/renderer/src/format/numbers';
import {
  displayZone,
  formatAbsolute,
  formatClock,
  formatRelative,
  resolveDisplayZone,
  zoneShortName,
} from '../../src/renderer/src/format/time';

/** The numbers and times ops staff read off the screens, the same on every machine. */

describe('numbers', () => {
  it('counts with thousands separators', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(2.6)).toBe('3');
  });

  it('milliseconds, switching to seconds from 10 s; a missing value is a dash', () => {
    expect(formatMs(245)).toBe('245 ms');
    expect(formatMs(9_999)).toBe('9,999 ms');
    expect(formatMs(10_000)).toBe('10.0 s');
    expect(formatMs(15_250)).toBe('15.3 s');
    expect(formatMs(null)).toBe('—');
    expect(formatMs(undefined)).toBe('—');
  });

  it('percentages never round up to a reassuring 100 %', () => {
    expect(formatPercent(1)).toBe('100.0 %');
    expect(formatPercent(0.9995)).toBe('99.9 %');
    expect(formatPercent(0.95)).toBe('95.0 %');
    expect(formatPercent(0.79999)).toBe('79.9 %');
    expect(formatPercent(0)).toBe('0.0 %');
    expect(formatPercent(null)).toBe('—');
  });

  it('short chart axis labels', () => {
    expect(formatAxisMs(0)).toBe('0 ms');
    expect(formatAxisMs(750)).toBe('750 ms');
    expect(formatAxisMs(1000)).toBe('1 s');
    expect(formatAxisMs(1500)).toBe('1.5 s');
  });
});

describe('times', () => {
  const now = Date.parse('2026-01-15T10:00:00Z');
  const at = (offsetMs: number) => new Date(now + offsetMs).toISOString();

  it('relative times: "just now" within 45 s either way, then minutes, hours, days', () => {
    expect(formatRelative(at(0), now)).toBe('just now');
    expect(formatRelative(at(-44_000), now)).toBe('just now');
    expect(formatRelative(at(30_000), now)).toBe('in a few seconds');
    expect(formatRelative(at(-50_000), now)).toBe('1 minute ago');
    expect(formatRelative(at(-5 * 60_000), now)).toBe('5 minutes ago');
    expect(formatRelative(at(59_000), now)).toBe('in 1 minute');
    expect(formatRelative(at(-3 * 3_600_000), now)).toBe('3 hours ago');
    expect(formatRelative(at(-26 * 3_600_000), now)).toBe('yesterday');
    expect(formatRelative(at(3 * 86_400_000), now)).toBe('in 3 days');
  });

  it('a string that is not a time is shown as is rather than "NaN"', () => {
    expect(formatRelative('not a time', now)).toBe('not a time');
    expect(formatAbsolute('not a time')).toBe('not a time');
  });

  it('absolute times name the date, the time to the second and a zone', () => {
    const text = formatAbsolute('2026-01-15T18:59:07Z');
    expect(text).toMatch(/2026/);
    expect(text).toMatch(/:07/);
    expect(text).toMatch(/[A-Z]{2,}|GMT|UTC/);
  });

  it('absolute times follow the display time zone and name it; an empty or unknown zone means this computer', () => {
    expect(formatAbsolute('2026-01-15T18:59:07Z', 'Asia/Kolkata')).toBe('Jan 16, 2026, 12:29:07 AM GMT+5:30');
    expect(formatAbsolute('2026-07-15T18:59:07Z', 'America/Chicago')).toBe('Jul 15, 2026, 1:59:07 PM CDT');
    expect(resolveDisplayZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(resolveDisplayZone(' Europe/Berlin ')).toBe('Europe/Berlin');
    expect(resolveDisplayZone('')).toBe(displayZone());
    expect(resolveDisplayZone(undefined)).toBe(displayZone());
    expect(resolveDisplayZone('Mars/Olympus_Mons')).toBe(displayZone());
    expect(zoneShortName('UTC')).toBe('UTC');
    expect(zoneShortName('America/New_York', Date.parse('2026-01-15T12:00:00Z'))).toBe('EST');
  });

  it('chart clock labels are 24-hour HH:MM', () => {
    expect(formatClock(now)).toMatch(/^\d{2}:\d{2}$/);
  });
});
