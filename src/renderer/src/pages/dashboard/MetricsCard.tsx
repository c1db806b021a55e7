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

/** "2 of 3 calls (1 rate-limited)": 429s count as failed calls here, unlike in the health rate. */
function successHint(m: OpsSnapshot['metricsLast24h']): string {
  const of = `${formatCount(m.successfulCalls)} of ${formatCount(m.totalCalls)} ${m.totalCalls === 1 ? 'call' : 'calls'}`;
  return m.rateLimitHits > 0 ? `${of} (${formatCount(m.rateLimitHits)} rate-limited)` : of;
}

function Metrics({ snapshot }: { snapshot: OpsSnapshot }) {
  const m = snapshot.metricsLast24h;
  const noCalls = m.totalCalls === 0;
  const rate = noCalls ? null : m.successfulCalls / m.totalCalls;
  return (
    <>
      <div className="metric-grid">
        <MetricTile
          label="Success rate"
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
      <DailyBudgetBar budget={snapshot.dailyBudget} />
    </>
  );
}

export function MetricsCard() {
  const query = useSnapshot();
  return (
    <Card
      title="iCIMS API"
      aside={<span className="muted">last 24 hours</span>}
      className="span-7"
      testId="metrics-card"
    >
      <QueryState query={query} skeletonLines={4}>
        {(snapshot) => <Metrics snapshot={snapshot} />}
      </QueryState>
    </Card>
  );
}
