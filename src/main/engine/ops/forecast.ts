import type { Forecast } from '../../../shared/ops-snapshot';

const MINUTE_MS = 60_000;

export interface ForecastFacts {
  now: number;
  /** Calls since UTC midnight, and the daily limit. */
  used: number;
  limit: number;
  /** When the budget resets (next UTC midnight). */
  resetsAt: number;
  /** Calls made in the last `paceWindowMinutes`: the current pace. */
  recentCalls: number;
  paceWindowMinutes: number;
  /** Jobs still to send (pending + processing), and the client-side rate limit. */
  backlog: number;
  ratePerMin: number;
  /** False while the worker is paused or off: then no drain time is promised. */
  sending?: boolean;
}

/**
 * The budget and backlog forecast: at the pace of the last hour, when does today's call budget
 * run out, and how long does the pending backlog take at the allowed rate. A job is counted as
 * one call: retries and read-backs make the real number a little higher, so the drain time is a
 * lower bound and the dashboard says "about".
 */
export function buildForecast(facts: ForecastFacts): Forecast {
  const { now, used, limit, resetsAt } = facts;
  const perMinute = facts.paceWindowMinutes > 0 ? facts.recentCalls / facts.paceWindowMinutes : 0;
  const minutesLeftToday = Math.max(0, (resetsAt - now) / MINUTE_MS);
  const remaining = Math.max(0, limit - used);
  const projectedToday = Math.round(used + perMinute * minutesLeftToday);
  let runsOutAt: number | null = null;
  if (limit > 0 && used >= limit) runsOutAt = now;
  else if (perMinute > 0 && remaining / perMinute < minutesLeftToday)
    runsOutAt = now + (remaining / perMinute) * MINUTE_MS;

  const rate = Math.max(0, facts.ratePerMin);
  let drainMinutes: number | null = null;
  let waitsForReset = false;
  if (facts.backlog === 0) drainMinutes = 0;
  else if (facts.sending !== false && rate > 0 && limit > 0) {
    const today = Math.min(facts.backlog, remaining);
    const atRate = (n: number) => n / rate;
    if (today === facts.backlog) drainMinutes = atRate(facts.backlog);
    else {
      // The budget runs dry first: what is left waits for midnight UTC, then goes at the rate
      // (a backlog larger than a whole day's budget takes more days; the estimate says so).
      waitsForReset = true;
      const rest = facts.backlog - today;
      const fullDays = Math.floor(rest / limit);
      drainMinutes = minutesLeftToday + fullDays * 24 * 60 + atRate(rest - fullDays * limit);
    }
  }
  return {
    budget: {
      used,
      limit,
      callsPerHour: Math.round(perMinute * 60),
      projectedToday,
      runsOutAt: runsOutAt === null ? null : new Date(runsOutAt).toISOString(),
    },
    backlog: {
      jobs: facts.backlog,
      ratePerMin: rate,
      drainMinutes: drainMinutes === null ? null : Math.ceil(drainMinutes),
      drainsAt: drainMinutes === null ? null : new Date(now + Math.ceil(drainMinutes) * MINUTE_MS).toISOString(),
      waitsForBudgetReset: waitsForReset,
    },
  };
}
