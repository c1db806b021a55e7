import type { DotItemDotProps } from 'recharts';
import type { ChartPoint } from './chart-point';

/**
 * A line needs two neighbouring points to be drawn, so a bucket with calls between two quiet
 * ones would vanish from the chart. Such lone points get a dot; all others stay plain lines.
 */
export function isolatedDot(points: ChartPoint[], key: 'avg' | 'p95', color: string) {
  return function IsolatedDot(props: DotItemDotProps) {
    const { index, cx, cy } = props;
    const hasValue = (i: number) => points[i]?.[key] != null;
    if (!hasValue(index) || hasValue(index - 1) || hasValue(index + 1) || cx == null || cy == null) return null;
    return <circle key={`${key}-${index}`} cx={cx} cy={cy} r={3} fill={color} />;
  };
}
