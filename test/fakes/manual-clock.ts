import type { Clock } from '../../src/main/engine/clock';

/**
 * A clock that moves only when a test says so. `sleep` resolves when `advance` passes its wake-up
 * time; sleepers wake in time order, and each wake-up gets a few microtask turns so the code it
 * resumes can schedule its next sleep before the clock moves on.
 */
export class ManualClock implements Clock {
  private sleepers: { at: number; resolve: () => void; reject: (e: unknown) => void; signal?: AbortSignal; onAbort?: () => void }[] = [];

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

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}
