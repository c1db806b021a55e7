import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import type { LatencySeries } from '../../../../shared/ops-snapshot';
import { formatAxisMs } from '../../format/numbers';
import { formatClock } from '../../format/time';
import { useColorScheme } from '../../hooks/use-color-scheme';
import { CHART_PALETTE } from './chart-palette';
import type { ChartPoint } from './chart-point';
import { isolatedDot } from './isolated-dot';
import { LatencyTooltip } from './LatencyTooltip';

export function LatencyChart({ series }: { series: LatencySeries }) {
  const palette = CHART_PALETTE[useColorScheme()];
  const points: ChartPoint[] = series.buckets.map((b) => ({
    t: Date.parse(b.t),
    avg: b.avgMs,
    p95: b.p95Ms,
    errors: b.errors,
    count: b.count,
  }));
  const maxErrors = Math.max(1, ...points.map((p) => p.errors));
  return (
    <ComposedChart
      responsive
      data={points}
      style={{ width: '100%', height: 280 }}
      margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
    >
      <CartesianGrid stroke={palette.grid} vertical={false} />
      <XAxis
        dataKey="t"
        type="number"
        scale="time"
        domain={[Date.parse(series.from), Date.parse(series.to)]}
        tickFormatter={formatClock}
        tick={{ fill: palette.axis, fontSize: 12 }}
        stroke={palette.grid}
        minTickGap={40}
      />
      <YAxis
        yAxisId="ms"
        tickFormatter={formatAxisMs}
        tick={{ fill: palette.axis, fontSize: 12 }}
        stroke={palette.grid}
        width={64}
      />
      {/* Failures get their own hidden scale, kept to the lower third so bars never hide the lines. */}
      <YAxis yAxisId="errors" orientation="right" hide domain={[0, maxErrors * 3]} />
      <Tooltip content={<LatencyTooltip palette={palette} />} />
      <Legend wrapperStyle={{ fontSize: 13, color: palette.axis }} />
      <Bar
        yAxisId="errors"
        dataKey="errors"
        name="Failed calls"
        fill={palette.errors}
        fillOpacity={0.75}
        isAnimationActive={false}
        maxBarSize={8}
      />
      <Line
        yAxisId="ms"
        type="monotone"
        dataKey="avg"
        name="Average"
        stroke={palette.avg}
        strokeWidth={2}
        dot={isolatedDot(points, 'avg', palette.avg)}
        connectNulls={false}
        isAnimationActive={false}
      />
      <Line
        yAxisId="ms"
        type="monotone"
        dataKey="p95"
        name="p95"
        stroke={palette.p95}
        strokeWidth={2}
        strokeDasharray="5 4"
        dot={isolatedDot(points, 'p95', palette.p95)}
        connectNulls={false}
        isAnimationActive={false}
      />
    </ComposedChart>
  );
}
