/** One bucket of the latency chart, as recharts plots it (t in epoch ms). */
export interface ChartPoint {
  t: number;
  avg: number | null;
  p95: number | null;
  errors: number;
  count: number;
}
