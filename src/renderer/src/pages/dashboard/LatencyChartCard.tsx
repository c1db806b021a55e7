import { lazy, Suspense, useState } from 'react';
import type { LatencySeries } from '../../../../shared/ops-snapshot';
import { Card } from '../../components/Card';
import { QueryState } from '../../components/QueryState';
import { formatCount, formatMs } from '../../format/numbers';
import { Skeleton } from '../../components/Skeleton';
import { useLatencySeries } from '../../hooks/use-ops';

// The charting library is most of the Dashboard's code: the cards paint without waiting for it.
const LatencyChart = lazy(() => import('./LatencyChart').then((m) => ({ default: m.LatencyChart })));

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

/** An incident is read in the last hour; a day shows the pattern. */
const RANGES = [
  { hours: 1, label: '1 h', title: 'last hour' },
  { hours: 6, label: '6 h', title: 'last 6 hours' },
  { hours: 24, label: '24 h', title: 'last 24 hours' },
] as const;
type RangeHours = (typeof RANGES)[number]['hours'];

function RangePicker({ value, onChange }: { value: RangeHours; onChange: (hours: RangeHours) => void }) {
  return (
    <div className="segmented compact" role="group" aria-label="Time range">
      {RANGES.map((range) => (
        <button
          key={range.hours}
          type="button"
          className="segment"
          aria-pressed={value === range.hours}
          onClick={() => onChange(range.hours)}
        >
          {range.label}
        </button>
      ))}
    </div>
  );
}

/** The range last chosen, so a trip to the Jobs screen and back does not reset it. */
let rememberedHours: RangeHours = 24;

export function LatencyChartCard() {
  const [hours, setHoursState] = useState<RangeHours>(rememberedHours);
  const setHours = (next: RangeHours) => {
    rememberedHours = next;
    setHoursState(next);
  };
  const range = RANGES.find((r) => r.hours === hours) ?? RANGES[2];
  const query = useLatencySeries(hours);
  return (
    <Card
      title={`Latency, ${range.title}`}
      className="span-12"
      aside={<RangePicker value={hours} onChange={setHours} />}
    >
      <QueryState query={query} skeletonLines={6}>
        {(series) => {
          const s = summarise(series);
          const description =
            s.calls === 0
              ? `No calls to iCIMS in the ${range.title}.`
              : `${formatCount(s.calls)} ${s.calls === 1 ? 'call' : 'calls'} in the ${range.title}, average ${formatMs(s.avg === null ? null : Math.round(s.avg))}, worst p95 ${formatMs(s.worstP95)}, ${formatCount(s.errors)} failed.`;
          return (
            <>
              <div className="chart-frame" data-testid="latency-chart" role="img" aria-label={description}>
                <Suspense fallback={<Skeleton lines={6} label="Loading the chart…" />}>
                  <LatencyChart series={series} />
                </Suspense>
                {s.calls === 0 ? <p className="chart-empty">No calls to iCIMS in the {range.title}.</p> : null}
              </div>
              <p className="card-footnote">Average and p95 latency per bucket; red bars count failed calls.</p>
            </>
          );
        }}
      </QueryState>
    </Card>
  );
}
