import type { Clock } from '../../src/main/engine/clock';

/**
 * A clock that moves only when a test says so. `sleep` resolves when `advance` passes its wake-up
 * time; sleepers wake in time order, and after each wake-up the event loop turns once so the code
 * it resumes can schedule its next sleep before the clock moves on.
 */
export class ManualClock implements Clock {
  private sleepers: {
    at: number;
    resolve: () => void;
    reject: (e: unknown) => void;
    signal?: AbortSignal;
    onAbort?: () => void;
  }[] = [];

  constructor(private time = Date.UTC(2026, 0, 15, 10, 0, 0)) {}

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const sleeper: (typeof this.sleepers)[number] = { at: this.time + Math.max(0, ms), resolve, reject, signal };
      if (signal) {
        sleeper.onAbort = () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          reject(signal.reason);
        };
        signal.addEventListener('abort', sleeper.onAbort, { once: true });
      }
      this.sleepers.push(sleeper);
    });
  }

  /** Number of pending sleeps. */
  get pending(): number {
    return this.sleepers.length;
  }

  /** The earliest wake-up time, or null. */
  nextWake(): number | null {
    return this.sleepers.length === 0 ? null : Math.min(...this.sleepers.map((s) => s.at));
  }

  /** Moves time forward by `ms`, waking every sleeper due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await flush();
      const due = this.sleepers.filter((s) => s.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.time = Math.max(this.time, due.at);
      this.sleepers = this.sleepers.filter((s) => s !== due);
      if (due.onAbort) due.signal?.removeEventListener('abort', due.onAbort);
      due.resolve();
    }
    this.time = target;
    await flush();
  }

  /** Runs `work` to completion, advancing to each next wake-up while it waits. */
  async drive<T>(work: Promise<T>, limitMs = 3_600_000): Promise<T> {
    let settled = false;
    const tracked = work.finally(() => {
      settled = true;
    });
    tracked.catch(() => {});
    const end = this.time + limitMs;
    while (!settled) {
      await flush();
      if (settled) break;
      const next = this.nextWake();
      if (next === null || next > end)
        throw new Error('ManualClock.drive: the work is stuck (nothing to wake within the limit)');
      await this.advance(next - this.time);
    }
    return tracked;
  }

  /** Advances to each next wake-up until nothing sleeps or `limitMs` has passed. */
  async runAll(limitMs = 3_600_000): Promise<void> {
    const end = this.time + limitMs;
    for (;;) {
      await flush();
      const next = this.nextWake();
      if (next === null || next > end) return;
      await this.advance(next - this.time);
    }
  }
}

/** Lets every queued microtask (and the ones they queue) run before time moves on. */
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
