import type { Database } from 'better-sqlite3';
import type { AlertSettingsValues } from '../../../shared/alert-settings';
import type { OpsSnapshot } from '../../../shared/ops-snapshot';
import { perDatabase } from '../sync/per-database';
import { businessMinutesBetween, parseBusinessHours } from './business-hours';
import type { IssueCondition } from './issue-store';

/** Failed jobs with the same error in a day before they are an issue of their own. */
export const FAILURE_GROUP_MIN_JOBS = 3;
/** …and before the group's issue turns critical. */
export const FAILURE_GROUP_CRITICAL_JOBS = 25;
const DAY_MS = 24 * 60 * 60 * 1000;

const statements = perDatabase((db) => ({
  failedByError: db.prepare<[number], { last_error: string | null; jobs: number }>(
    `SELECT last_error, count(*) AS jobs FROM sync_jobs
      WHERE status = 'failed' AND updated_at >= ? GROUP BY last_error`,
  ),
  lastEventAt: db.prepare<[], number>('SELECT created_at FROM sync_jobs ORDER BY id DESC LIMIT 1').pluck(),
  oldestPending: db.prepare<[], { id: number; created_at: number }>(
    "SELECT id, created_at FROM sync_jobs WHERE status = 'pending' ORDER BY id LIMIT 1",
  ),
}));

export interface ConditionFacts {
  now: number;
  snapshot: OpsSnapshot;
  settings: AlertSettingsValues;
  timeZone: string;
  /** When the engine started: silence is never counted from before it ran. */
  startedAt: number;
}

/** Every problem present now, one condition per issue key. */
export function currentConditions(db: Database, facts: ConditionFacts): IssueCondition[] {
  return [
    ...fromAlerts(facts.snapshot),
    ...failureGroups(db, facts.now),
    ...silence(db, facts),
    ...stalePending(db, facts),
  ];
}

function fromAlerts(snapshot: OpsSnapshot): IssueCondition[] {
  const out: IssueCondition[] = [];
  for (const alert of snapshot.alerts) {
    const base = { severity: alert.severity, title: alert.title, detail: `${alert.detail} ${alert.action}` };
    if (alert.id === 'auth_failure') out.push({ ...base, key: 'auth_failure', kind: 'auth_failure' });
    if (alert.id === 'circuit_open') out.push({ ...base, key: 'circuit_open', kind: 'circuit_open' });
    if (alert.id === 'rate_limit_hit')
      out.push({ ...base, key: 'rate_limited', kind: 'rate_limited', count: snapshot.recent.rateLimitHits });
    if (alert.id === 'success_rate_warning' || alert.id === 'success_rate_critical')
      out.push({ ...base, key: 'success_rate_low', kind: 'success_rate_low' });
  }
  const budget = budgetCondition(snapshot);
  if (budget) out.push(budget);
  return out;
}

/** The daily-budget alert (80 % used) or, earlier, a forecast that says it runs out before midnight. */
function budgetCondition(snapshot: OpsSnapshot): IssueCondition | null {
  const alert = snapshot.alerts.find((a) => a.id === 'daily_budget');
  const { runsOutAt, callsPerHour } = snapshot.forecast.budget;
  const forecastLine = runsOutAt
    ? ` At the pace of the last hour (${callsPerHour} calls/hour) it runs out at ${clock(runsOutAt)} UTC.`
    : '';
  if (alert) {
    return {
      key: 'budget',
      kind: 'budget',
      severity: alert.severity,
      title: alert.title,
      detail: `${alert.detail}${forecastLine} ${alert.action}`,
    };
  }
  if (!runsOutAt) return null;
  return {
    key: 'budget',
    kind: 'budget',
    severity: 'warning',
    title: `Daily iCIMS call budget runs out at ${clock(runsOutAt)} UTC at this pace`,
    detail: `${snapshot.dailyBudget.used} of ${snapshot.dailyBudget.limit} calls used today (UTC).${forecastLine} Jobs then wait until midnight UTC.`,
  };
}

/** Failed jobs of the last day grouped by their error, digits evened out (ids, counts, times). */
function failureGroups(db: Database, now: number): IssueCondition[] {
  const groups = new Map<string, { error: string; jobs: number }>();
  for (const row of statements(db).failedByError.all(now - DAY_MS)) {
    const error = row.last_error ?? 'failed without an error message';
    const signature = error.replace(/\d+/g, '#').slice(0, 200);
    const group = groups.get(signature);
    if (group) group.jobs += row.jobs;
    else groups.set(signature, { error, jobs: row.jobs });
  }
  const out: IssueCondition[] = [];
  for (const [signature, group] of groups) {
    if (group.jobs < FAILURE_GROUP_MIN_JOBS) continue;
    out.push({
      key: `failure_group:${signature}`,
      kind: 'failure_group',
      severity: group.jobs >= FAILURE_GROUP_CRITICAL_JOBS ? 'critical' : 'warning',
      title: `${group.jobs} jobs failed with the same error`,
      detail: `Failed in the last 24 hours with: ${group.error}. Fix the cause, then retry them from the Jobs screen (filter Failed).`,
      count: group.jobs,
    });
  }
  return out;
}

function silence(db: Database, facts: ConditionFacts): IssueCondition[] {
  const threshold = facts.settings.silenceMinutes;
  if (threshold <= 0) return [];
  const last = statements(db).lastEventAt.get() ?? null;
  const since = Math.max(last ?? facts.startedAt, facts.startedAt);
  const hours = parseBusinessHours(facts.settings.businessHours, facts.timeZone);
  const silent = businessMinutesBetween(hours, since, facts.now, threshold);
  if (silent < threshold) return [];
  const window = hours ? ` during business hours (${facts.settings.businessHours}, ${facts.timeZone})` : '';
  return [
    {
      key: 'events_stopped',
      kind: 'events_stopped',
      severity: 'warning',
      title: `No scheduling event for ${threshold}+ minutes`,
      detail: `The last event arrived ${last ? `at ${new Date(last).toISOString()}` : 'before the console started'}; the alert fires after ${threshold} silent minutes${window}. Check that the scheduling system still sends to this console (its ingest token, the URL, the network).`,
    },
  ];
}

function stalePending(db: Database, facts: ConditionFacts): IssueCondition[] {
  const threshold = facts.settings.pendingAgeMinutes;
  if (threshold <= 0) return [];
  const oldest = statements(db).oldestPending.get();
  if (!oldest) return [];
  const ageMinutes = Math.floor((facts.now - oldest.created_at) / 60_000);
  if (ageMinutes < threshold) return [];
  return [
    {
      key: 'pending_too_old',
      kind: 'pending_too_old',
      severity: 'warning',
      title: `Oldest pending job has waited ${ageMinutes} minutes`,
      detail: `Job #${oldest.id} has been pending since ${new Date(oldest.created_at).toISOString()} (threshold ${threshold} minutes). Look at the worker (paused? rate limited? circuit open?) on the Dashboard.`,
    },
  ];
}

function clock(iso: string): string {
  return iso.slice(11, 16);
}
