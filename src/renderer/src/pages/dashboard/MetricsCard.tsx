import type { OpsSnapshot } from '../../../../shared/ops-snapshot';
import { Card } from '../../components/Card';
import { MetricTile } from '../../components/MetricTile';
import { QueryState } from '../../components/QueryState';
import { formatCount, formatMs, formatPercent } from '../../format/numbers';
import { useSnapshot } from '../../hooks/use-ops';
import { DailyBudgetBar } from './DailyBudgetBar';

function successTone(rate: number | null): 'good' | 'warn' | 'bad' | undefined {
  if (rate === null) return undefined;
  if (rate < 0.8) return 'bad';
  if (rate < 0.95) return 'warn';
  return 'good';
}

/**
 * The health success rate, the one the status card uses (docs/OPS_CONSOLE.md): 429s and data
 * errors (a 404 for a missing application) are not iCIMS failing, so the hint says how many were
 * left out rather than folding them in.
 */
function successHint(m: OpsSnapshot['metricsLast24h']): string {
  const counted = m.successfulCalls + m.healthFailures;
  const parts = [
    `${formatCount(m.successfulCalls)} of ${formatCount(counted)} counted ${counted === 1 ? 'call' : 'calls'}`,
  ];
  if (m.dataErrors > 0)
    parts.push(`${formatCount(m.dataErrors)} data ${m.dataErrors === 1 ? 'error' : 'errors'} (404…) not counted`);
  if (m.rateLimitHits > 0) parts.push(`${formatCount(m.rateLimitHits)} rate-limited`);
  return parts.join(' · ');
}

function Metrics({ snapshot }: { snapshot: OpsSnapshot }) {
  const m = snapshot.metricsLast24h;
  const noCalls = m.totalCalls === 0;
  const rate = m.successRate;
  return (
    <>
      <div className="metric-grid">
        <MetricTile
          label="Success rate · 24 h"
          value={formatPercent(rate)}
          rawValue={rate === null ? null : Math.round(rate * 1000) / 10}
          testId="metric-success-rate"
          tone={successTone(rate)}
          hint={noCalls ? 'No calls yet' : successHint(m)}
        />
        <MetricTile
          label="Avg latency"
          value={formatMs(noCalls ? null : m.avgResponseTimeMs)}
          rawValue={m.avgResponseTimeMs}
          testId="metric-avg-latency"
          hint="per call"
        />
        <MetricTile
          label="p95 latency"
          value={formatMs(noCalls ? null : m.p95ResponseTimeMs)}
          rawValue={m.p95ResponseTimeMs}
          testId="metric-p95-latency"
          hint="95 % of calls were faster"
        />
        <MetricTile
          label="Rate-limit hits"
          value={formatCount(m.rateLimitHits)}
          rawValue={m.rateLimitHits}
          testId="metric-rate-limit-hits"
          tone={m.rateLimitHits > 0 ? 'warn' : undefined}
          hint="HTTP 429 answers"
        />
      </div>
      <DailyBudgetBar budget={snapshot.dailyBudget} team={snapshot.team !== undefined} />
    </>
  );
}

/** Whose calls the card counts: the console's, the team's, or (team database away) this engine's. */
function metricsScope(snapshot: OpsSnapshot | undefined): string {
  if (!snapshot?.team) return 'last 24 hours';
  if (snapshot.team.database.state === 'unreachable')
    return 'this engine’s calls while the team database is away · last 24 hours';
  return 'all engines · last 24 hours';
}

export function MetricsCard() {
  const query = useSnapshot();
  return (
    <Card
      title="iCIMS API"
      aside={
        <span className="muted" data-testid="metrics-scope">
          {metricsScope(query.data)}
        </span>
      }
      className="span-7"
      testId="metrics-card"
    >
      <QueryState query={query} skeletonLines={4}>
        {(snapshot) => <Metrics snapshot={snapshot} />}
      </QueryState>
    </Card>
  );
}
