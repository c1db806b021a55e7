import type { Alert } from '../../../shared/ops-snapshot';
import {
  budgetRatio,
  DAILY_BUDGET_WARNING_RATIO,
  decisiveSuccessRate,
  percent,
  SUCCESS_RATE_DEGRADED_BELOW,
  SUCCESS_RATE_DOWN_BELOW,
  untilNextProbe,
} from './health-rules';
import type { HealthFacts } from './health-rules';

/**
 * The alert table of docs/INTERFACES.md §7, from the same facts as the health status:
 *
 *   success rate < 95 %        warning   success_rate_warning
 *   success rate < 80 %        critical  success_rate_critical (instead of the warning)
 *   rate limit hit (15 min)    info      rate_limit_hit
 *   auth failure (401/403)     critical  auth_failure — retries stopped
 *   circuit open / half-open   critical  circuit_open
 *   daily budget ≥ 80 %        warning   daily_budget (critical once used up)
 *
 * `id` is stable per condition so the dashboard and the desktop notifier can tell a new alert
 * from one still going; `since` is when the condition began, as far as the data shows.
 * Sorted critical first.
 */
export function buildAlerts(facts: HealthFacts): Alert[] {
  const alerts: Alert[] = [];
  const iso = (ms: number | null): string => new Date(ms ?? facts.now).toISOString();
  const { recent, circuit } = facts;

  if (facts.authFailure) {
    alerts.push({
      id: 'auth_failure',
      severity: 'critical',
      title: 'iCIMS rejected the credentials — retries stopped',
      detail: `${facts.authFailure.message}. The worker is paused: no job is sent until the credentials change or an admin resumes it.`,
      action:
        'Check the credentials in Settings, use Test connection, save, then resume the worker. Jobs that failed with 401/403 can be retried afterwards.',
      since: iso(facts.authFailure.since),
    });
  }
  if (circuit.state !== 'closed') {
    alerts.push({
      id: 'circuit_open',
      severity: 'critical',
      title: circuit.state === 'open' ? 'Circuit breaker open — iCIMS calls stopped' : 'Circuit breaker probing iCIMS',
      detail:
        circuit.state === 'open'
          ? `${circuit.consecutiveFailures} consecutive calls failed (threshold ${circuit.threshold}). Nothing is sent and no retry is spent${untilNextProbe(circuit.nextProbeAt, facts.now)}.`
          : 'The cool-down is over; one probe call decides whether sending resumes.',
      action:
        'Check iCIMS status and the network from this machine (Test connection in Settings). Sending resumes by itself when the probe succeeds; Reset breaker forces it.',
      since: circuit.openedAt ?? iso(null),
    });
  }
  const rate = decisiveSuccessRate(recent);
  if (rate !== null && rate < SUCCESS_RATE_DEGRADED_BELOW) {
    const critical = rate < SUCCESS_RATE_DOWN_BELOW;
    alerts.push({
      id: critical ? 'success_rate_critical' : 'success_rate_warning',
      severity: critical ? 'critical' : 'warning',
      title: `iCIMS success rate ${percent(rate)}`,
      detail: `${recent.successes} of ${recent.successes + recent.failures} calls succeeded in the last ${recent.windowMinutes} minutes (server errors, timeouts, connection and auth failures count; 429s and 4xx data errors do not).`,
      action: critical
        ? 'See Recent failures for the errors. Failed writes are retried on the backoff schedule; if iCIMS is down, nothing needs doing until it is back.'
        : 'Watch Recent failures; failed writes are retried on the backoff schedule.',
      since: iso(recent.firstFailureAt),
    });
  }
  const ratio = budgetRatio(facts.dailyBudget);
  if (ratio >= DAILY_BUDGET_WARNING_RATIO) {
    const usedUp = ratio >= 1;
    alerts.push({
      id: 'daily_budget',
      severity: usedUp ? 'critical' : 'warning',
      title: usedUp ? 'Daily iCIMS call budget used up' : `Daily iCIMS call budget ${percent(ratio)} used`,
      detail: `${facts.dailyBudget.used} of ${facts.dailyBudget.limit} calls used today (UTC).${usedUp ? ' Jobs wait, without spending retries, until the budget resets at UTC midnight.' : ''}`,
      action:
        'Look for unusual traffic (Jobs screen). Raise ICIMS_DAILY_LIMIT only if your iCIMS contract allows more calls.',
      since: iso(facts.dailyBudget.warningSince),
    });
  }
  if (recent.rateLimitHits > 0) {
    alerts.push({
      id: 'rate_limit_hit',
      severity: 'info',
      title: 'iCIMS rate limit hit',
      detail: `${recent.rateLimitHits} ${recent.rateLimitHits === 1 ? 'call was' : 'calls were'} answered 429 in the last ${recent.windowMinutes} minutes. Sending waits for the limit to reset; no retry is spent.`,
      action: 'Nothing, if it is rare. If it keeps happening, lower ICIMS_RATE_LIMIT_PER_MIN or ICIMS_MAX_CONCURRENCY.',
      since: iso(recent.firstRateLimitAt),
    });
  }
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  return alerts.sort((a, b) => rank[a.severity] - rank[b.severity]);
}
