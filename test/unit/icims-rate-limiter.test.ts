import { describe, expect, it } from 'vitest';
import { ConcurrencyGate } from '../../src/main/engine/icims/concurrency-gate';
import { RateLimitError } from '../../src/main/engine/icims/errors';
import { RateLimiter } from '../../src/main/engine/icims/rate-limiter';
import { ManualClock } from '../fakes/manual-clock';

/** Starts `n` acquires and records the clock time at which each one is let through. */
function startSends(limiter: RateLimiter, clock: ManualClock, n: number): number[] {
  const sent: number[] = [];
  for (let i = 0; i < n; i += 1) void limiter.acquire().then(() => sent.push(clock.now()));
  return sent;
}

describe('RateLimiter', () => {
  it('lets a burst of 5 through, then paces one call per 60000/N ms', async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter({ perMinute: 60, clock });
    const sent = startSends(limiter, clock, 8);
    await clock.advance(0);
    expect(sent).toEqual([0, 0, 0, 0, 0]);
    await clock.advance(3000);
    expect(sent).toEqual([0, 0, 0, 0, 0, 1000, 2000, 3000]);
  });

  it('never sends more than N calls in any rolling 60 s window', async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter({ perMinute: 10, burst: 10, clock });
    const sent = startSends(limiter, clock, 25);
    await clock.runAll(10 * 60_000);
    expect(sent).toHaveLength(25);
    for (let i = 0; i < sent.length; i += 1) {
      const inWindow = sent.filter((t) => t > (sent[i] ?? 0) - 60_000 && t <= (sent[i] ?? 0));
      expect(inWindow.length).toBeLessThanOrEqual(10);
    }
    // GCRA alone with burst 10 would allow a second call at 6 s; the window holds it to 60 s.
    expect(sent.slice(0, 11)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 60_000]);
  });

  it('with a small N the burst is N', async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter({ perMinute: 2, clock });
    const sent = startSends(limiter, clock, 3);
    await clock.advance(0);
    expect(sent).toEqual([0, 0]);
    await clock.runAll();
    expect(sent).toEqual([0, 0, 60_000]);
  });

  it('a pause (429) holds callers that are already waiting, too', async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter({ perMinute: 60, burst: 1, clock });
    const sent = startSends(limiter, clock, 2);
    await clock.advance(0);
    expect(sent).toEqual([0]);
    limiter.pauseUntil(5_000);
    await clock.advance(4_999);
    expect(sent).toEqual([0]);
    await clock.advance(1);
    expect(sent).toEqual([0, 5_000]);
  });

  it('X-RateLimit-Remaining: 0 pauses until X-RateLimit-Reset (epoch seconds)', async () => {
    const clock = new ManualClock(1_800_000_000_000);
    const limiter = new RateLimiter({ perMinute: 600, clock });
    limiter.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(1_800_000_000 + 10) }, clock.now());
    expect(limiter.snapshot().pausedUntil).toBe(1_800_000_010_000);
    const sent = startSends(limiter, clock, 1);
    await clock.advance(9_999);
    expect(sent).toEqual([]);
    await clock.advance(1);
    expect(sent).toEqual([1_800_000_010_000]);
  });

  it('a low remaining count spreads the calls left until the reset', async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter({ perMinute: 600, clock });
    await limiter.acquire();
    limiter.observe({ 'x-ratelimit-remaining': '4', 'x-ratelimit-reset': '20' }, clock.now());
    expect(limiter.snapshot().adaptiveIntervalMs).toBe(5_000);
    const sent = startSends(limiter, clock, 3);
    await clock.advance(15_000);
    expect(sent).toEqual([5_000, 10_000, 15_000]);
    // Plenty remaining again: back to the configured pace.
    limiter.observe({ 'x-ratelimit-remaining': '500', 'x-ratelimit-reset': '60' }, clock.now());
    expect(limiter.snapshot().adaptiveIntervalMs).toBeNull();
  });

  it('fails fast with RateLimitError, sending nothing, while paused for 30 s or more', async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter({ perMinute: 60, clock });
    limiter.pauseUntil(45_000);
    const error = await limiter.acquire().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(45_000);
    expect(limiter.snapshot().sentLastMinute).toBe(0);
  });

  it('a waiting caller can be aborted', async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter({ perMinute: 1, clock });
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal).catch((e: unknown) => e);
    controller.abort(new Error('stop'));
    expect(((await waiting) as Error).message).toBe('stop');
  });
});

describe('ConcurrencyGate', () => {
  it('admits at most `limit` holders, first come first served, and skips aborted waiters', async () => {
    const gate = new ConcurrencyGate(2);
    const order: string[] = [];
    const a = await gate.acquire();
    const b = await gate.acquire();
    const controller = new AbortController();
    const c = gate.acquire(controller.signal).catch(() => 'aborted');
    const d = gate.acquire().then((release) => {
      order.push('d');
      return release;
    });
    expect(gate.inFlight).toBe(2);
    controller.abort();
    expect(await c).toBe('aborted');
    a();
    a(); // releasing twice frees one slot only
    const releaseD = await d;
    expect(order).toEqual(['d']);
    expect(gate.inFlight).toBe(2);
    b();
    releaseD();
    expect(gate.inFlight).toBe(0);
  });
});
