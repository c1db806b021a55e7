import type { TooltipContentProps } from 'recharts';
import { formatCount, formatMs } from '../../format/numbers';
import { formatClock } from '../../format/time';
import type { ChartPoint } from './chart-point';
import type { CHART_PALETTE } from './chart-palette';

type Palette = (typeof CHART_PALETTE)['light' | 'dark'];

export function LatencyTooltip({
  active,
  payload,
  palette,
}: Partial<TooltipContentProps<number, string>> & { palette: Palette }) {
  const point = payload?.[0]?.payload as ChartPoint | undefined;
  if (!active || !point) return null;
  return (
    <div className="chart-tooltip" style={{ background: palette.tooltipBg, borderColor: palette.tooltipBorder }}>
      <div className="chart-tooltip-time">{formatClock(point.t)}</div>
      <div>{formatCount(point.count)} calls</div>
      <div style={{ color: palette.avg }}>Average {formatMs(point.avg === null ? null : Math.round(point.avg))}</div>
      <div style={{ color: palette.p95 }}>p95 {formatMs(point.p95 === null ? null : Math.round(point.p95))}</div>
      <div style={{ color: palette.errors }}>{formatCount(point.errors)} failed</div>
    </div>
  );
}
