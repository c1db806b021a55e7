/**
 * A small log-scale latency histogram, stored sparsely per minute in `api_call_minutes`, so a
 * p95 over a minute, a chart bucket or 24 hours is a merge of at most 1,440 short strings.
 *
 * Buckets: 0 holds [0, 1) ms; bucket i ≥ 1 holds [1.1^(i-1), 1.1^i) ms; the last one is open
 * (above ~9 minutes). Latencies are stored as whole milliseconds.
 *
 * Error bound of `quantile`: the estimate lies in the same bucket as the true value (the
 * order statistic at rank ceil(q·n)), and a bucket spans at most 10 % of its lower edge, so the
 * estimate is within 10 % of the true p95 — and exact below 10 ms, where every bucket holds at
 * most one whole millisecond. Interpolation inside the bucket usually does much better.
 */

const RATIO = 1.1;
const LOG_RATIO = Math.log(RATIO);
export const HISTOGRAM_BUCKETS = 140;

export type Histogram = number[];

export function emptyHistogram(): Histogram {
  return new Array<number>(HISTOGRAM_BUCKETS).fill(0);
}

export function bucketOf(latencyMs: number): number {
  if (!(latencyMs >= 1)) return 0;
  // The epsilon keeps exact powers of 1.1 in the bucket they start, despite float rounding.
  return Math.min(HISTOGRAM_BUCKETS - 1, 1 + Math.floor(Math.log(latencyMs) / LOG_RATIO + 1e-9));
}

/** [low, high) of a bucket in ms; the last bucket's high is Infinity. */
export function bucketBounds(bucket: number): [number, number] {
  if (bucket <= 0) return [0, 1];
  const low = RATIO ** (bucket - 1);
  return [low, bucket >= HISTOGRAM_BUCKETS - 1 ? Infinity : RATIO ** bucket];
}

export function addLatency(histogram: Histogram, latencyMs: number, count = 1): void {
  const bucket = bucketOf(latencyMs);
  histogram[bucket] = (histogram[bucket] ?? 0) + count;
}

export function mergeHistogram(into: Histogram, from: Histogram): void {
  for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
    const n = from[i] ?? 0;
    if (n !== 0) into[i] = (into[i] ?? 0) + n;
  }
}

/**
 * Sparse binary form for the rollup's BLOB column: 5 bytes per non-empty bucket (u8 bucket,
 * u32 little-endian count). Decoding 1,440 of these for a 24 h window takes well under a
 * millisecond, where a text form took several.
 */
export function encodeHistogram(histogram: Histogram): Buffer {
  let used = 0;
  for (let i = 0; i < HISTOGRAM_BUCKETS; i++) if ((histogram[i] ?? 0) !== 0) used++;
  const out = Buffer.allocUnsafe(used * 5);
  let offset = 0;
  for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
    const n = histogram[i] ?? 0;
    if (n === 0) continue;
    out.writeUInt8(i, offset);
    out.writeUInt32LE(Math.min(n, 0xffffffff), offset + 1);
    offset += 5;
  }
  return out;
}

/** Adds an encoded histogram into `into` (decoding and merging in one pass). */
export function addEncodedHistogram(into: Histogram, encoded: Uint8Array): void {
  const view = Buffer.isBuffer(encoded) ? encoded : Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  for (let offset = 0; offset + 5 <= view.length; offset += 5) {
    const bucket = view.readUInt8(offset);
    if (bucket < HISTOGRAM_BUCKETS) into[bucket] = (into[bucket] ?? 0) + view.readUInt32LE(offset + 1);
  }
}

/** Estimated q-quantile (0 < q ≤ 1) in ms, or null for an empty histogram. */
export function quantile(histogram: Histogram, q: number): number | null {
  let total = 0;
  for (let i = 0; i < HISTOGRAM_BUCKETS; i++) total += histogram[i] ?? 0;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
    const n = histogram[i] ?? 0;
    if (n === 0) continue;
    if (seen + n >= rank) {
      const [low, high] = bucketBounds(i);
      if (i === 0) return 0;
      // Whole milliseconds only: the bucket can hold ceil(low) … ceil(high) - 1.
      const first = Math.ceil(low);
      const last = high === Infinity ? first : Math.max(first, Math.ceil(high) - 1);
      // Spread the bucket's calls evenly over its range; a lone call sits in the middle.
      const position = n === 1 ? 0.5 : (rank - seen - 1) / (n - 1);
      return first + position * (last - first);
    }
    seen += n;
  }
  return null;
}
