import { describe, expect, it } from 'vitest';
import type { CircuitBreakerSnapshot } from '../../src/main/engine/icims/circuit-breaker';
import { CircuitBreaker } from '../../src/main/engine/icims/circuit-breaker';
import { CircuitOpenError } from '../../src/main/engine/icims/errors';
import { ManualClock } from '../fakes/manual-clock';

function failTimes(breaker: CircuitBreaker, n: number): void {
  for (let i = 0; i < n; i += 1) breaker.recordFailure(breaker.acquire());
}

describe('CircuitBreaker', () => {
  it('opens after `threshold` consecutive failures and then fails fast with the time to the probe', async () => {
    const clock = new ManualClock(1_000);
    const breaker = new CircuitBreaker(5, 60_000, clock);
    failTimes(breaker, 4);
    expect(breaker.snapshot()).toEqual({
      state: 'closed',
      consecutiveFailures: 4,
      threshold: 5,
      openedAt: null,
      nextProbeAt: null,
    });
    failTimes(breaker, 1);
    expect(breaker.snapshot()).toEqual({
      state: 'open',
      consecutiveFailures: 5,
      threshold: 5,
      openedAt: 1_000,
      nextProbeAt: 61_000,
    });
    await clock.advance(15_000);
    const error = (() => {
      try {
        breaker.acquire();
      } catch (e) {
        return e as CircuitOpenError;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(error?.retryAfterMs).toBe(45_000);
    expect(error?.message).toBe(
      'Circuit open after 5 consecutive failed iCIMS calls; nothing was sent (next probe in 45 s)',
    );
  });

  it('a success in between resets the count', () => {
    const breaker = new CircuitBreaker(3, 1_000, new ManualClock());
    failTimes(breaker, 2);
    breaker.recordSuccess(breaker.acquire());
    failTimes(breaker, 2);
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', consecutiveFailures: 2 });
  });

  it('after the cool-down lets exactly one probe through; success closes', async () => {
    const clock = new ManualClock(0);
    const breaker = new CircuitBreaker(1, 10_000, clock);
    failTimes(breaker, 1);
    await clock.advance(10_000);
    const probe = breaker.acquire();
    expect(probe.probe).toBe(true);
    expect(breaker.snapshot().state).toBe('half_open');
    expect(() => breaker.acquire()).toThrow(CircuitOpenError);
    breaker.recordSuccess(probe);
    expect(breaker.snapshot()).toEqual({
      state: 'closed',
      consecutiveFailures: 0,
      threshold: 1,
      openedAt: null,
      nextProbeAt: null,
    });
    expect(breaker.acquire().probe).toBe(false);
  });

  it('a failed probe opens the circuit for another full cool-down', async () => {
    const clock = new ManualClock(0);
    const breaker = new CircuitBreaker(2, 10_000, clock);
    failTimes(breaker, 2);
    await clock.advance(10_000);
    breaker.recordFailure(breaker.acquire());
    expect(breaker.snapshot()).toMatchObject({ state: 'open', openedAt: 10_000, nextProbeAt: 20_000 });
    expect(() => breaker.acquire()).toThrow(CircuitOpenError);
  });

  it('an aborted probe hands the probe back at once', async () => {
    const clock = new ManualClock(0);
    const breaker = new CircuitBreaker(1, 10_000, clock);
    failTimes(breaker, 1);
    await clock.advance(10_000);
    breaker.recordNeutral(breaker.acquire());
    expect(breaker.snapshot().state).toBe('open');
    expect(breaker.acquire().probe).toBe(true);
  });

  it('reset() closes it by hand; listeners hear every change', () => {
    const breaker = new CircuitBreaker(1, 10_000, new ManualClock(0));
    const seen: CircuitBreakerSnapshot[] = [];
    const off = breaker.onChange((s) => seen.push(s));
    failTimes(breaker, 1);
    breaker.reset();
    off();
    failTimes(breaker, 1);
    expect(seen.map((s) => s.state)).toEqual(['open', 'closed']);
    expect(breaker.snapshot().state).toBe('open');
  });
});
