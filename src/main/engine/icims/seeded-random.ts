import type { RandomSource } from './retry-delays';

/**
 * mulberry32: a tiny, fast PRNG with a 32-bit state. Not for secrets — for a mock iCIMS whose
 * latencies and failures repeat exactly under the same seed.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
