import { describe, expect, it } from 'vitest';
import {
  addEncodedHistogram,
  addLatency,
  bucketBounds,
  bucketOf,
  emptyHistogram,
  encodeHistogram,
  HISTOGRAM_BUCKETS,
  quantile,
} from '../../src/main/engine/ops/latency-histogram';

function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

/** A small deterministic generator, so a failure can be replayed. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('latency histogram', () => {
  it('puts every latency in the bucket whose bounds hold it', () => {
    for (const ms of [0, 0.4, 1, 2, 9, 10, 11, 99, 100, 245, 1000, 15_000, 120_000]) {
      const [low, high] = bucketBounds(bucketOf(ms));
      expect(ms >= low && ms < high, `${ms} in [${low}, ${high})`).toBe(true);
    }
    expect(bucketOf(10 ** 9)).toBe(HISTOGRAM_BUCKETS - 1);
  });

  it('round-trips through its stored form', () => {
    const h = emptyHistogram();
    for (const ms of [1, 1, 5, 250, 250, 250, 30_000]) addLatency(h, ms);
    const decoded = emptyHistogram();
    addEncodedHistogram(decoded, encodeHistogram(h));
    expect(decoded).toEqual(h);
    // Merging twice adds up.
    addEncodedHistogram(decoded, encodeHistogram(h));
    expect(decoded.reduce((a, b) => a + b, 0)).toBe(14);
  });

  it('estimates p95 within 10 % of the exact value, and exactly below 10 ms', () => {
    const random = lcg(42);
    for (const shape of ['uniform', 'long tail', 'fast'] as const) {
      const values = Array.from({ length: 5000 }, () => {
        const r = random();
        if (shape === 'uniform') return Math.round(50 + r * 900);
        if (shape === 'long tail') return Math.round(20 * Math.exp(r * 7));
        return Math.round(r * 9);
      });
      const h = emptyHistogram();
      for (const v of values) addLatency(h, v);
      for (const q of [0.5, 0.95, 0.99]) {
        const exact = exactQuantile(values, q);
        const estimate = quantile(h, q)!;
        if (exact < 10) expect(estimate).toBe(exact);
        else expect(Math.abs(estimate - exact) / exact, `${shape} q${q}: ${estimate} vs ${exact}`).toBeLessThan(0.1);
      }
    }
  });

  it('has no quantile when empty, and a single value is its own p95', () => {
    expect(quantile(emptyHistogram(), 0.95)).toBeNull();
    const h = emptyHistogram();
    addLatency(h, 7);
    expect(quantile(h, 0.95)).toBe(7);
  });
});
