import type { CircuitSnapshot, HealthStatus } from '../../../shared/ops-snapshot';

/*
 * HEALTH RULES (docs/INTERFACES.md §7; docs quote this block)
 *
 * "Recent" is the last 15 minutes. The recent success rate is
 *   successes / (successes + failures)
 * where failures are 5xx, timeouts, connection errors, 401/403 and 408 (see
 * call-classification.ts): 429s are rate-limit hits, not failures, and data errors (404, 400,
 * 422, other 4xx) say nothing about iCIMS' health. The rate only decides anything once at least
 * 5 such calls were made in the window; with fewer it is reported but not acted on, so a single
 * timeout on a quiet afternoon does not page anyone (5 failures in a row open the circuit anyway).
 *
 *   down      iCIMS refused our credentials (the worker is paused for auth), or the circuit
 *             breaker is open or half-open (nothing, or only a probe, is sent), or the recent
 *             success rate is below 80 %.
 *   degraded  the recent success rate is below 95 %, or a rate limit was hit in the window, or
 *             80 % or more of the daily call budget is used.
 *   healthy   otherwise — also when no call was made yet.
 *
 * Boundaries: exactly 80 % is degraded (not down), exactly 95 % is healthy, exactly 80 % of the
 * budget is degraded.
 */

export const RECENT_WINDOW_MINUTES = 15;
export const MIN_CALLS_FOR_SUCCESS_RATE = 5;
export const SUCCESS_RATE_DEGRADED_BELOW = 0.95;
export const SUCCESS_RATE_DOWN_BELOW = 0.8;
export const DAILY_BUDGET_WARNING_RATIO = 0.8;

/** What the health rules and alerts look at. Times are epoch ms. */
export interface HealthFacts {
  now: number;
  recent: {
    windowMinutes: number;
    successes: number;
    /** Failures that count against the success rate. */
    failures: number;
    rateLimitHits: number;
    firstFailureAt: number | null;
    firstRateLimitAt: number | null;
  };
  /** Set while the worker is paused because iCIMS refused the credentials. */
  authFailure: { since: number; message: string } | null;
  circuit: CircuitSnapshot;
  dailyBudget: {
    limit: number;
    used: number;
    /** When 80 % was reached today, if it was. */ warningSince: number | null;
  };
}

/** The success rate the rules act on, or null when too few calls were made to judge. */
export function decisiveSuccessRate(recent: HealthFacts['recent']): number | null {
  const judged = recent.successes + recent.failures;
  if (judged < MIN_CALLS_FOR_SUCCESS_RATE) return null;
  return recent.successes / judged;
}

/** The rate as reported (any number of calls), or null with none. */
export function reportedSuccessRate(recent: Pick<HealthFacts['recent'], 'successes' | 'failures'>): number | null {
  const judged = recent.successes + recent.failures;
  return judged === 0 ? null : recent.successes / judged;
}

export function budgetRatio(budget: HealthFacts['dailyBudget']): number {
  return budget.limit > 0 ? budget.used / budget.limit : 0;
}

export function evaluateHealth(facts: HealthFacts): { status: HealthStatus; reasons: string[] } {
  const down: string[] = [];
  const degraded: string[] = [];
  const { recent, circuit } = facts;

  if (facts.authFailure) {
    down.push(
      `iCIMS refused the credentials (${facts.authFailure.message}); the worker is paused and no retries are made.`,
    );
  }
  if (circuit.state === 'open') {
    down.push(
      `The circuit breaker is open after ${circuit.consecutiveFailures} consecutive failed calls: nothing is sent${untilNextProbe(circuit.nextProbeAt, facts.now)}.`,
    );
  } else if (circuit.state === 'half_open') {
    down.push('The circuit breaker is half-open: one probe call decides whether sending resumes.');
  }

  const rate = decisiveSuccessRate(recent);
  if (rate !== null && rate < SUCCESS_RATE_DEGRADED_BELOW) {
    const sentence = `${percent(rate)} of iCIMS calls succeeded in the last ${recent.windowMinutes} minutes (${recent.successes} of ${recent.successes + recent.failures})`;
    if (rate < SUCCESS_RATE_DOWN_BELOW) down.push(`Only ${sentence}, below 80 %.`);
    else degraded.push(`${capitalize(sentence)}, below 95 %.`);
  }
  if (recent.rateLimitHits > 0) {
    degraded.push(
      `iCIMS answered 429 (rate limit) ${recent.rateLimitHits} ${recent.rateLimitHits === 1 ? 'time' : 'times'} in the last ${recent.windowMinutes} minutes; sending waits for the limit to reset.`,
    );
  }
  const ratio = budgetRatio(facts.dailyBudget);
  if (ratio >= DAILY_BUDGET_WARNING_RATIO) {
    degraded.push(
      `${facts.dailyBudget.used} of ${facts.dailyBudget.limit} daily iCIMS calls are used (${percent(ratio)}).`,
    );
  }

  if (down.length > 0) return { status: 'down', reasons: [...down, ...degraded] };
  if (degraded.length > 0) return { status: 'degraded', reasons: degraded };
  return { status: 'healthy', reasons: [] };
}

/**
 * " until the next probe in 45 s": people read these sentences on screen, where an ISO time
 * would need converting in one's head (circuit.nextProbeAt keeps the exact time for scripts).
 */
export function untilNextProbe(nextProbeAt: string | null, now: number): string {
  if (!nextProbeAt) return '';
  const seconds = Math.max(0, Math.ceil((Date.parse(nextProbeAt) - now) / 1000));
  return ` until the next probe in ${seconds < 90 ? `${seconds} s` : `${Math.round(seconds / 60)} min`}`;
}

/** 0.9512 → "95.1 %", 1 → "100 %". */
export function percent(ratio: number): string {
  const value = Math.floor(ratio * 1000) / 10;
  return `${Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1)} %`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
