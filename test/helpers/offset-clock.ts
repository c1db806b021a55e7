import type { Clock } from '../../src/main/engine/clock';

interface Sleeper {
  at: number;
  resolve: () => void;
  timer: NodeJS.Timeout;
}

/**
 * Real time plus an offset a test can jump forward. Unlike a fully manual clock, everything keeps
 * running on its own (HTTP, the fake, the worker's short waits), but a wait of 30 s or an hour can
 * be skipped with `advance`: every sleeper whose wake-up time the jump passes wakes at once.
 *
 * Used where a real wait is too long for a test (a 429 whose Retry-After is over the in-request
 * limit) while the rest of the run should stay real.
 */
export class OffsetClock implements Clock {
  private offset = 0;
  private readonly sleepers = new Set<Sleeper>();
  private sleepStarted: (() => void)[] = [];

  now(): number {
    return Date.now() + this.offset;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    const started = this.sleepStarted;
    this.sleepStarted = [];
    for (const resolve of started) resolve();
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<void>((resolve, reject) => {
      const wake = () => {
        this.sleepers.delete(sleeper);
        clearTimeout(sleeper.timer);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        this.sleepers.delete(sleeper);
        clearTimeout(sleeper.timer);
        reject(signal?.reason as Error);
      };
      const sleeper: Sleeper = {
        at: this.now() + Math.max(0, ms),
        resolve: wake,
        timer: setTimeout(wake, Math.max(0, ms)),
      };
      this.sleepers.add(sleeper);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Resolves when the next sleep begins. The worker's pass over the queue runs synchronously up
   * to its sleep, so a sleep that begins after this call ends a pass that began after it: with
   * no call in flight (nothing else sleeps then), that is one whole worker turn. (The push hub
   * times its trailing push with a plain timer, not a sleep, so it cannot end a turn early.)
   */
  nextSleep(): Promise<void> {
    return new Promise((resolve) => this.sleepStarted.push(resolve));
  }

  /** Jumps `ms` forward and wakes every sleep that is now due. */
  advance(ms: number): void {
    this.offset += ms;
    const now = this.now();
    for (const sleeper of [...this.sleepers]) if (sleeper.at <= now) sleeper.resolve();
  }
}
