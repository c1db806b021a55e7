import type { Clock } from '../clock';
import { RateLimitError } from './errors';
import type { HeaderMap } from './rate-limit-headers';
import { remainingCalls, resetInMs } from './rate-limit-headers';
import { MAX_IN_REQUEST_RATE_LIMIT_WAIT_MS } from './retry-delays';

const WINDOW_MS = 60_000;

export interface RateLimiterOptions {
  /** ICIMS_RATE_LIMIT_PER_MIN. */
  perMinute: number;
  /** Calls that may go back to back after a quiet spell; default min(5, perMinute). */
  burst?: number;
  clock: Clock;
}

export interface RateLimiterSnapshot {
  perMinute: number;
  /** Set while a 429 or `X-RateLimit-Remaining: 0` holds every call back. */
  pausedUntil: number | null;
  /** The slower spacing iCIMS' headers asked for, while it lasts. */
  adaptiveIntervalMs: number | null;
  sentLastMinute: number;
}

/**
 * Client-side request pacing, three rules at once; a call may go at the latest of them:
 *
 * 1. Even pacing (GCRA): one call per T = 60000/N ms, with up to `burst` calls back to back after
 *    a quiet spell, so a queue of jobs drains smoothly instead of in minute-sized bursts.
 * 2. A hard cap of N calls in any rolling 60 s window. GCRA alone would allow N + burst − 1 in a
 *    minute; the window log makes the budget a promise.
 * 3. What iCIMS tells us: a 429's Retry-After (or `X-RateLimit-Remaining: 0`) pauses everyone
 *    until the reset; a low remaining count spreads the calls left evenly until the reset.
 *
 * `acquire` does not reserve a future slot: a waiter sleeps until the earliest allowed time and
 * then re-evaluates. That keeps a later pause (a 429 seen by another call) effective for callers
 * already waiting, at the cost of a few extra wake-ups with ICIMS_MAX_CONCURRENCY waiters.
 */
export class RateLimiter {
  private readonly intervalMs: number;
  private readonly burst: number;
  private readonly clock: Clock;
  private tat = Number.NEGATIVE_INFINITY;
  private sends: number[] = [];
  private lastSend = Number.NEGATIVE_INFINITY;
  private pausedUntil = 0;
  private adaptive: { intervalMs: number; until: number } | null = null;

  constructor(private readonly options: RateLimiterOptions) {
    this.intervalMs = WINDOW_MS / options.perMinute;
    this.burst = Math.max(1, Math.min(options.burst ?? 5, options.perMinute));
    this.clock = options.clock;
  }

  /** The earliest time a call may be sent, as of `now`. */
  earliestSendAt(now: number): number {
    while (this.sends.length > 0 && (this.sends[0] ?? 0) <= now - WINDOW_MS) this.sends.shift();
    let at = Math.max(now, this.pausedUntil, this.tat - (this.burst - 1) * this.intervalMs);
    const n = this.options.perMinute;
    if (this.sends.length >= n) at = Math.max(at, (this.sends[this.sends.length - n] ?? 0) + WINDOW_MS);
    if (this.adaptive && now < this.adaptive.until)
      at = Math.max(at, Math.min(this.lastSend + this.adaptive.intervalMs, this.adaptive.until));
    return at;
  }

  /**
   * Waits until a call may be sent and counts it as sent. Fails fast with a RateLimitError,
   * sending nothing, while iCIMS has asked for a pause of 30 s or more: such a wait belongs to the
   * worker's schedule, not to a request holding a connection slot.
   */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock.now();
      const at = this.earliestSendAt(now);
      if (at <= now) {
        this.tat = Math.max(this.tat, now) + this.intervalMs;
        this.sends.push(now);
        this.lastSend = now;
        return;
      }
      const paused = this.pausedUntil - now;
      if (paused >= MAX_IN_REQUEST_RATE_LIMIT_WAIT_MS) {
        throw new RateLimitError(
          `iCIMS rate limit: all calls are held for another ${Math.ceil(paused / 1000)} s, nothing was sent`,
          paused,
        );
      }
      await this.clock.sleep(at - now, signal);
    }
  }

  /** Holds every call until `until` (epoch ms), e.g. after a 429. */
  pauseUntil(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /** Adapts to X-RateLimit-Remaining / X-RateLimit-Reset of any iCIMS response. */
  observe(headers: HeaderMap, now: number): void {
    const remaining = remainingCalls(headers);
    const reset = resetInMs(headers, now);
    if (remaining === null || reset === null) return;
    if (remaining === 0) {
      this.pauseUntil(now + reset);
      return;
    }
    const lowWater = Math.max(this.burst, Math.ceil(this.options.perMinute * 0.1));
    this.adaptive = remaining <= lowWater && reset > 0 ? { intervalMs: reset / remaining, until: now + reset } : null;
  }

  snapshot(): RateLimiterSnapshot {
    const now = this.clock.now();
    this.earliestSendAt(now);
    return {
      perMinute: this.options.perMinute,
      pausedUntil: this.pausedUntil > now ? this.pausedUntil : null,
      adaptiveIntervalMs: this.adaptive && now < this.adaptive.until ? Math.round(this.adaptive.intervalMs) : null,
      sentLastMinute: this.sends.length,
    };
  }
}
