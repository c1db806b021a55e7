import { describe, expect, it } from 'vitest';
import { buildForecast } from '../../src/main/engine/ops/forecast';
import { businessMinutesBetween, parseBusinessHours } from '../../src/main/engine/issues/business-hours';

const NOON = Date.parse('2026-03-02T12:00:00Z');
const MIDNIGHT = Date.parse('2026-03-03T00:00:00Z');
const base = {
  now: NOON,
  used: 5000,
  limit: 10_000,
  resetsAt: MIDNIGHT,
  recentCalls: 600,
  paceWindowMinutes: 60,
  backlog: 1200,
  ratePerMin: 100,
};

describe('budget and backlog forecast', () => {
  it('at 10 calls a minute the remaining 5000 calls run out at 20:20 UTC; 1200 jobs drain in 12 minutes', () => {
    const forecast = buildForecast(base);
    expect(forecast.budget).toEqual({
      used: 5000,
      limit: 10_000,
      callsPerHour: 600,
      projectedToday: 12_200,
      runsOutAt: '2026-03-02T20:20:00.000Z',
    });
    expect(forecast.backlog).toMatchObject({ jobs: 1200, drainMinutes: 12, drainsAt: '2026-03-02T12:12:00.000Z' });
    expect(forecast.backlog.waitsForBudgetReset).toBe(false);
  });

  it('a pace that lasts until midnight does not run out; no calls means no projection', () => {
    expect(buildForecast({ ...base, recentCalls: 60 }).budget.runsOutAt).toBeNull();
    expect(buildForecast({ ...base, recentCalls: 0 }).budget).toMatchObject({ runsOutAt: null, projectedToday: 5000 });
    expect(buildForecast({ ...base, used: 10_000 }).budget.runsOutAt).toBe(new Date(NOON).toISOString());
  });

  it('a backlog larger than what is left of the budget waits for midnight UTC', () => {
    const forecast = buildForecast({ ...base, used: 9_900, backlog: 300 });
    // 100 go today, the other 200 after the reset at 100/min.
    expect(forecast.backlog).toMatchObject({ waitsForBudgetReset: true, drainsAt: '2026-03-03T00:02:00.000Z' });
    expect(buildForecast({ ...base, backlog: 0 }).backlog.drainMinutes).toBe(0);
  });

  it('promises no drain time while nothing sends (worker paused or off)', () => {
    expect(buildForecast({ ...base, sending: false }).backlog).toMatchObject({
      jobs: 1200,
      drainMinutes: null,
      drainsAt: null,
    });
    expect(buildForecast({ ...base, sending: true }).backlog.drainMinutes).toBe(12);
  });
});

describe('business hours for the silence alert', () => {
  const hours = parseBusinessHours('Mon-Fri 09:00-17:00', 'UTC');

  it('counts only minutes inside business hours: a weekend is not silence', () => {
    const fridayEvening = Date.parse('2026-02-27T17:00:00Z');
    const mondayMorning = Date.parse('2026-03-02T09:30:00Z');
    expect(businessMinutesBetween(hours, fridayEvening, mondayMorning, 1000)).toBe(30);
    expect(businessMinutesBetween(null, fridayEvening, mondayMorning, 1000)).toBe(2 * 24 * 60 + 16 * 60 + 30);
  });

  it('reads day lists and ranges in the given time zone, and refuses what it cannot read', () => {
    const ny = parseBusinessHours('Sat,Sun 10:00-12:00', 'America/New_York');
    expect([...ny!.days].sort()).toEqual([0, 6]);
    expect(parseBusinessHours('', 'UTC')).toBeNull();
    expect(() => parseBusinessHours('weekdays 9-5', 'UTC')).toThrow(/Mon-Fri 09:00-17:00/);
  });
});
