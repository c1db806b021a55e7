import type { Database } from 'better-sqlite3';
import type { LatencySeries } from '../../../shared/ops-snapshot';
import { perDatabase } from '../sync/per-database';
import type { TeamDatabase } from '../team/pg-connection';
import { addEncodedHistogram, emptyHistogram, quantile } from './latency-histogram';
import type { Histogram } from './latency-histogram';

const MINUTE_MS = 60_000;
/** Bucket sizes a chart reads well; the smallest that keeps a series at ≤ 360 points wins. */
const BUCKET_CHOICES = [1, 5, 15, 30, 60, 120, 240, 360, 720, 1440];
const MAX_POINTS = 360;

export interface LatencySeriesQuery {
  now: number;
  hours: number;
  /** Default: 1 min up to 6 h, 5 min for 24 h (288 points), 30 min for 7 days. */
  bucketMinutes?: number;
}

interface MinuteRow {
  minute: number;
  calls: number;
  failures: number;
  latency_sum: number;
  histogram: Buffer;
}

// SQLite and PostgreSQL (the team's calls, bigint read back as text) side by side.
const SQLITE_MINUTES =
  'SELECT minute, calls, failures, latency_sum, histogram FROM api_call_minutes WHERE minute >= ? AND minute < ? ORDER BY minute';
const PG_MINUTES = `SELECT minute::float8 AS minute, calls, failures, latency_sum::float8 AS latency_sum, histogram
  FROM api_call_minutes WHERE minute >= $1 AND minute < $2 ORDER BY minute`;

const statements = perDatabase((db) => ({
  minutes: db.prepare<[number, number], MinuteRow>(SQLITE_MINUTES),
}));

export function defaultBucketMinutes(hours: number): number {
  const minutes = hours * 60;
  return BUCKET_CHOICES.find((b) => minutes / b <= MAX_POINTS) ?? BUCKET_CHOICES[BUCKET_CHOICES.length - 1]!;
}

/**
 * Call latency per time bucket from the per-minute rollup, oldest first, ending with the bucket
 * that holds `now`. Buckets are aligned to UTC multiples of their size. Every bucket is present:
 * one without calls has count 0 and null latencies, so the chart shows the gap instead of
 * drawing a line across it. p95 is estimated from the histogram (within 10 %, see
 * latency-histogram.ts); avg is exact.
 */
export function latencySeries(db: Database, query: LatencySeriesQuery): LatencySeries {
  const range = seriesRange(query);
  return seriesOf(range, statements(db).minutes.all(range.from, range.to));
}

/** latencySeries over the team's calls. */
export async function pgLatencySeries(db: TeamDatabase, query: LatencySeriesQuery): Promise<LatencySeries> {
  const range = seriesRange(query);
  return seriesOf(range, await db.query<MinuteRow>(PG_MINUTES, [range.from, range.to]));
}

interface SeriesRange {
  bucketMinutes: number;
  bucketMs: number;
  count: number;
  from: number;
  to: number;
}

function seriesRange(query: LatencySeriesQuery): SeriesRange {
  const bucketMinutes = Math.max(1, Math.trunc(query.bucketMinutes ?? defaultBucketMinutes(query.hours)));
  const bucketMs = bucketMinutes * MINUTE_MS;
  const count = Math.max(1, Math.ceil((query.hours * 60) / bucketMinutes));
  const to = (Math.floor(query.now / bucketMs) + 1) * bucketMs;
  return { bucketMinutes, bucketMs, count, from: to - count * bucketMs, to };
}

function seriesOf({ bucketMinutes, bucketMs, count, from, to }: SeriesRange, rows: MinuteRow[]): LatencySeries {
  const sums = Array.from({ length: count }, () => ({
    calls: 0,
    failures: 0,
    latencySum: 0,
    histogram: null as Histogram | null,
  }));
  for (const row of rows) {
    const bucket = sums[Math.floor((row.minute - from) / bucketMs)];
    if (!bucket || row.calls === 0) continue;
    bucket.calls += row.calls;
    bucket.failures += row.failures;
    bucket.latencySum += row.latency_sum;
    bucket.histogram ??= emptyHistogram();
    addEncodedHistogram(bucket.histogram, row.histogram);
  }
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    bucketMinutes,
    buckets: sums.map((b, i) => ({
      t: new Date(from + i * bucketMs).toISOString(),
      count: b.calls,
      avgMs: b.calls === 0 ? null : Math.round(b.latencySum / b.calls),
      p95Ms: b.histogram === null ? null : Math.round(quantile(b.histogram, 0.95) ?? 0),
      errors: b.failures,
    })),
  };
}
