import { describe, expect, it } from 'vitest';
import { alertSchema } from '../../src/shared/ops-snapshot';
import type { CircuitSnapshot } from '../../src/shared/ops-snapshot';
import { buildAlerts } from '../../src/main/engine/ops/alerts';
import { evaluateHealth, MIN_CALLS_FOR_SUCCESS_RATE } from '../../src/main/engine/ops/health-rules';
import type { HealthFacts } from '../../src/main/engine/ops/health-rules';

const NOW = Date.UTC(2026, 0, 15, 10, 30);
const closed: CircuitSnapshot = {
  state: 'closed',
  consecutiveFailures: 0,
  threshold: 5,
  openedAt: null,
  nextProbeAt: null,
};

function facts(
  overrides: { successes?: number; failures?: number; rateLimitHits?: number; used?: number; limit?: number } & Partial<
    Pick<HealthFacts, 'authFailure' | 'circuit'>
  > = {},
): HealthFacts {
  return {
    now: NOW,
    recent: {
      windowMinutes: 15,
      successes: overrides.successes ?? 0,
      failures: overrides.failures ?? 0,
      rateLimitHits: overrides.rateLimitHits ?? 0,
      firstFailureAt: (overrides.failures ?? 0) > 0 ? NOW - 60_000 : null,
      firstRateLimitAt: (overrides.rateLimitHits ?? 0) > 0 ? NOW - 120_000 : null,
    },
    authFailure: overrides.authFailure ?? null,
    circuit: overrides.circuit ?? closed,
    dailyBudget: { limit: overrides.limit ?? 10_000, used: overrides.used ?? 0, warningSince: null },
  };
}

const ids = (f: HealthFacts) => buildAlerts(f).map((a) => `${a.id}:${a.severity}`);

describe('health status (docs/INTERFACES.md §7)', () => {
  it('is healthy with no calls at all', () => {
    expect(evaluateHealth(facts())).toEqual({ status: 'healthy', reasons: [] });
    expect(buildAlerts(facts())).toEqual([]);
  });

  it.each([
    // successes, failures → status, alert
    [95, 5, 'healthy', []], // exactly 95 %
    [94, 6, 'degraded', ['success_rate_warning:warning']], // 94 %
    [80, 20, 'degraded', ['success_rate_warning:warning']], // exactly 80 %
    [79, 21, 'down', ['success_rate_critical:critical']], // 79 %
    [0, 5, 'down', ['success_rate_critical:critical']],
  ] as const)('success rate %i/%i → %s', (successes, failures, status, alerts) => {
    const f = facts({ successes, failures });
    const health = evaluateHealth(f);
    expect(health.status).toBe(status);
    expect(ids(f)).toEqual(alerts);
    if (status !== 'healthy') expect(health.reasons[0]).toMatch(/of iCIMS calls succeeded in the last 15 minutes/);
  });

  it(`judges the success rate only from ${MIN_CALLS_FOR_SUCCESS_RATE} calls on`, () => {
    expect(evaluateHealth(facts({ successes: 0, failures: MIN_CALLS_FOR_SUCCESS_RATE - 1 })).status).toBe('healthy');
    expect(evaluateHealth(facts({ successes: 0, failures: MIN_CALLS_FOR_SUCCESS_RATE })).status).toBe('down');
  });

  it('a rate-limit hit in the window is degraded, with an info alert', () => {
    const f = facts({ successes: 100, rateLimitHits: 1 });
    expect(evaluateHealth(f)).toEqual({
      status: 'degraded',
      reasons: [expect.stringMatching(/429 \(rate limit\) 1 time in the last 15 minutes/)],
    });
    expect(ids(f)).toEqual(['rate_limit_hit:info']);
  });

  it('the daily budget degrades at 80 % used, and is critical when used up', () => {
    expect(evaluateHealth(facts({ used: 7_999 })).status).toBe('healthy');
    expect(evaluateHealth(facts({ used: 8_000 }))).toEqual({
      status: 'degraded',
      reasons: ['8000 of 10000 daily iCIMS calls are used (80 %).'],
    });
    expect(ids(facts({ used: 8_000 }))).toEqual(['daily_budget:warning']);
    expect(ids(facts({ used: 10_000 }))).toEqual(['daily_budget:critical']);
  });

  it('rejected credentials are down with a critical "retries stopped" alert', () => {
    const f = facts({ successes: 100, authFailure: { since: NOW - 5_000, message: 'HTTP 401: invalid API key' } });
    const health = evaluateHealth(f);
    expect(health.status).toBe('down');
    expect(health.reasons[0]).toMatch(/refused the credentials.*paused/);
    const [alert] = buildAlerts(f);
    expect(alert).toMatchObject({
      id: 'auth_failure',
      severity: 'critical',
      since: new Date(NOW - 5_000).toISOString(),
    });
    expect(alert?.title).toMatch(/retries stopped/);
    expect(alert?.action).toMatch(/Settings/);
  });

  it('an open or half-open circuit is down with a critical alert', () => {
    const open: CircuitSnapshot = {
      state: 'open',
      consecutiveFailures: 5,
      threshold: 5,
      openedAt: new Date(NOW - 10_000).toISOString(),
      nextProbeAt: new Date(NOW + 50_000).toISOString(),
    };
    const f = facts({ circuit: open });
    expect(evaluateHealth(f).status).toBe('down');
    expect(evaluateHealth(f).reasons[0]).toMatch(/circuit breaker is open after 5 consecutive failed calls/);
    expect(buildAlerts(f)).toEqual([
      expect.objectContaining({ id: 'circuit_open', severity: 'critical', since: open.openedAt }),
    ]);
    expect(evaluateHealth(facts({ circuit: { ...open, state: 'half_open' } })).status).toBe('down');
  });

  it('lists every reason and sorts alerts critical first; every alert fits the contract schema', () => {
    const f = facts({
      successes: 70,
      failures: 30,
      rateLimitHits: 2,
      used: 9_000,
      authFailure: { since: NOW, message: 'HTTP 403' },
    });
    const health = evaluateHealth(f);
    expect(health.status).toBe('down');
    expect(health.reasons).toHaveLength(4);
    const alerts = buildAlerts(f);
    expect(alerts.map((a) => a.severity)).toEqual(['critical', 'critical', 'warning', 'info']);
    for (const alert of alerts) {
      alertSchema.parse(alert);
      expect(alert.title.length).toBeGreaterThan(0);
      expect(alert.detail.length).toBeGreaterThan(0);
      expect(alert.action.length).toBeGreaterThan(0);
    }
  });
});
