import type { CircuitSnapshot, OpsSnapshot, WorkerSnapshot } from '../../../shared/ops-snapshot';
import type { QueueCounts } from '../sync/job-counts';
import { buildAlerts } from './alerts';
import { buildForecast } from './forecast';
import { utcMidnight } from './api-call-repository';
import type { CallLog } from './api-call-repository';
import { DAILY_BUDGET_WARNING_RATIO, evaluateHealth, RECENT_WINDOW_MINUTES, reportedSuccessRate } from './health-rules';
import type { HealthFacts } from './health-rules';
import { quantile } from './latency-histogram';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The forecast's pace: calls of the last hour (whole minutes, from the rollup). */
const PACE_WINDOW_MINUTES = 60;

export interface OpsSnapshotInput {
  now: number;
  /** What the console runs with; never a secret (hasApiKey says whether one is set). */
  config: OpsSnapshot['config'];
  circuit: CircuitSnapshot;
  worker: WorkerSnapshot;
  /** ICIMS_DAILY_LIMIT; the used count is read from the recorded calls since UTC midnight. */
  /** `used`: the team's calls today (team mode); else this console's call log counts them. */
  dailyBudget: { limit: number; used?: number };
  /** Set while the worker is paused because iCIMS refused the credentials (401/403). */
  authFailure?: { since: number; message: string } | null;
  /** ICIMS_RATE_LIMIT_PER_MIN: the pace the backlog forecast assumes. */
  ratePerMin?: number;
  /** Issues open now. */
  openIssues?: number;
}

/**
 * `GET /api/ops/icims` and the dashboard (docs/INTERFACES.md §7). Every number comes from the
 * recorded calls and jobs: call metrics (24 h and the health window) from the per-minute rollup
 * plus the raw rows of the window's partial first minute, completions from their per-minute
 * counts, the other job counts from indexes — no scan of api_calls or sync_jobs.
 *
 * Windows are "since now − 24 h" (resp. − 15 min): anything recorded with a later time counts.
 * The calls are read through their log — this console's (SQLite) or, in team mode, the team's
 * (PostgreSQL) — which writes its buffer once for the snapshot; the queue's counts are read by
 * the caller from its job store (JobStore.queueCounts).
 */
export async function buildOpsSnapshot(
  queue: QueueCounts,
  callLog: CallLog,
  input: OpsSnapshotInput,
): Promise<OpsSnapshot> {
  const { now } = input;
  const calls = await callLog.read();
  const windowMs = RECENT_WINDOW_MINUTES * 60_000;
  const midnight = utcMidnight(now);
  // Independent reads: on the team's database they are round trips, taken together.
  const [day, recent, last, used, recentCalls, readBackCalls, recentFailures] = await Promise.all([
    calls.totals(now - DAY_MS),
    calls.totals(now - windowMs),
    calls.lastCallTimes(),
    input.dailyBudget.used ?? calls.callsSinceMinute(midnight),
    calls.callsSinceMinute(now - PACE_WINDOW_MINUTES * 60_000),
    calls.readBackCallsSince(now - DAY_MS),
    calls.recentFailures(5),
  ]);

  const limit = input.dailyBudget.limit;
  const warningCount = Math.ceil(limit * DAILY_BUDGET_WARNING_RATIO);
  // When the log cannot say since when (its calls were pruned), the warning starts now.
  const warningSince =
    limit > 0 && used >= warningCount ? ((await calls.nthCallSince(midnight, warningCount)) ?? now) : null;

  const facts: HealthFacts = {
    now,
    recent: {
      windowMinutes: RECENT_WINDOW_MINUTES,
      successes: recent.successes,
      failures: recent.healthFailures,
      rateLimitHits: recent.rateLimited,
      firstFailureAt: recent.firstHealthFailureAt,
      firstRateLimitAt: recent.firstRateLimitedAt,
    },
    authFailure: input.authFailure ?? null,
    circuit: input.circuit,
    dailyBudget: { limit, used, warningSince },
  };
  const health = evaluateHealth(facts);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const { pending, processing } = queue;
  const forecast = buildForecast({
    now,
    used,
    limit,
    resetsAt: midnight + DAY_MS,
    recentCalls,
    paceWindowMinutes: PACE_WINDOW_MINUTES,
    backlog: pending + processing,
    ratePerMin: input.ratePerMin ?? 0,
    sending: input.worker.state === 'running',
  });

  return {
    status: health.status,
    lastSuccessfulCall: iso(last.lastSuccessAt),
    lastFailedCall: iso(last.lastFailureAt),
    metricsLast24h: {
      totalCalls: day.calls,
      successfulCalls: day.successes,
      failedCalls: day.failures,
      avgResponseTimeMs: day.calls === 0 ? 0 : Math.round(day.latencySum / day.calls),
      rateLimitHits: day.rateLimited,
      p95ResponseTimeMs: Math.round(quantile(day.histogram, 0.95) ?? 0),
      readBackCalls,
      successRate: reportedSuccessRate({ successes: day.successes, failures: day.healthFailures }),
      healthFailures: day.healthFailures,
      dataErrors: day.dataErrors,
    },
    syncJobs: {
      pending,
      processing,
      completedLast24h: queue.completedLast24h,
      failedLast24h: queue.failedLast24h,
      failed: queue.failed,
      inDoubt: queue.inDoubt,
      held: queue.held,
    },
    config: input.config,
    statusReasons: health.reasons,
    alerts: buildAlerts(facts),
    circuit: input.circuit,
    worker: input.worker,
    dailyBudget: {
      limit,
      used,
      usedRatio: limit > 0 ? used / limit : 0,
      resetsAt: new Date(midnight + DAY_MS).toISOString(),
    },
    recent: {
      windowMinutes: RECENT_WINDOW_MINUTES,
      calls: recent.calls,
      successRate: reportedSuccessRate({ successes: recent.successes, failures: recent.healthFailures }),
      rateLimitHits: recent.rateLimited,
      healthFailures: recent.healthFailures,
      dataErrors: recent.dataErrors,
    },
    recentFailures,
    forecast,
    openIssues: input.openIssues ?? 0,
    generatedAt: new Date(now).toISOString(),
  };
}
