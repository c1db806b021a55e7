import type { LatencySeries } from '../../../../shared/ops-snapshot';
import { Card } from '../../components/Card';
import { QueryState } from '../../components/QueryState';
import { formatCount, formatMs } from '../../format/numbers';
import { useLatencySeries } from '../../hooks/use-ops';
import { LatencyChart } from './LatencyChart';

function summarise(series: LatencySeries) {
  let calls = 0;
  let errors = 0;
  let weighted = 0;
  let worstP95 = 0;
  for (const b of series.buckets) {
    calls += b.count;
    errors += b.errors;
    if (b.avgMs !== null) weighted += b.avgMs * b.count;
    if (b.p95Ms !== null) worstP95 = Math.max(worstP95, b.p95Ms);
  }
  return { calls, errors, avg: calls > 0 ? weighted / calls : null, worstP95 };
}

export function LatencyChartCard() {
  const query = useLatencySeries(24);
  return (
    <Card title="Latency, last 24 hours" className="span-12" aside={<span className="muted">average and p95 per bucket; red bars are failed calls</span>}>
      <QueryState query={query} skeletonLines={6}>
        {(series) => {
          const s = summarise(series);
          const description =
            s.calls === 0
              ? 'No calls to iCIMS in the last 24 hours.'
              : `${formatCount(s.calls)} calls in the last 24 hours, average ${formatMs(s.avg === null ? null : Math.round(s.avg))}, worst p95 ${formatMs(s.worstP95)}, ${formatCount(s.errors)} failed.`;
          return (
            <div className="chart-frame" data-testid="latency-chart" role="img" aria-label={description}>
              <LatencyChart series={series} />
              {s.calls === 0 ? <p className="chart-empty">No calls to iCIMS in the last 24 hours.</p> : null}
            </div>
          );
        }}
      </QueryState>
    </Card>
  );
}
