import type { PushEvent, PushTopic } from '../../shared/console-api';
import { TOPICS_BY_CHANGE } from '../../shared/live-updates';
import type { Change } from '../../shared/live-updates';
import type { Clock } from './clock';

/** The least time between two pushes of one topic. */
export const PUSH_INTERVAL_MS = 250;

/** Waits `ms` or until `signal` aborts (then rejects). */
export type Wait = (ms: number, signal: AbortSignal) => Promise<void>;

/** A plain timer: the trailing push is a screen refresh, not queue scheduling. */
const timerWait: Wait = (ms, signal) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

/**
 * Fans "something changed" out to the transports. The engine says what it wrote
 * (`changed('jobs')`); the shared map (src/shared/live-updates.ts) says which topics that makes
 * stale. A busy queue changes many times a second; each topic is sent at most once per
 * `intervalMs` of the engine's clock (leading and trailing edge), which is all the renderer needs
 * to refetch, and keeps IPC and SSE quiet. This is the only place pushes are coalesced.
 */
export class PushHub {
  private readonly listeners = new Set<(event: PushEvent) => void>();
  private readonly lastSent = new Map<PushTopic, number>();
  /** Topics waiting for their trailing push, with the abort that cancels the wait. */
  private readonly waiting = new Map<PushTopic, AbortController>();

  /**
   * `clock` times the interval. The trailing push waits on `wait`, a plain timer by default and
   * not the clock's sleep: the clock's sleeps are the worker's, and tests read "the worker
   * finished a turn" from them (a push waiting there would look like one).
   */
  constructor(
    private readonly clock: Clock,
    private readonly intervalMs = PUSH_INTERVAL_MS,
    private readonly wait: Wait = timerWait,
  ) {}

  subscribe(listener: (event: PushEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(change: Change): void {
    for (const topic of TOPICS_BY_CHANGE[change]) this.notify(topic);
  }

  close(): void {
    for (const wait of this.waiting.values()) wait.abort();
    this.waiting.clear();
    this.listeners.clear();
  }

  private notify(topic: PushTopic): void {
    if (this.waiting.has(topic)) return;
    const since = this.clock.now() - (this.lastSent.get(topic) ?? Number.NEGATIVE_INFINITY);
    if (since >= this.intervalMs) {
      this.send(topic);
      return;
    }
    const wait = new AbortController();
    this.waiting.set(topic, wait);
    this.wait(this.intervalMs - since, wait.signal).then(
      () => {
        this.waiting.delete(topic);
        this.send(topic);
      },
      () => {
        // Closed: nobody is listening any more.
      },
    );
  }

  private send(topic: PushTopic): void {
    this.lastSent.set(topic, this.clock.now());
    for (const listener of this.listeners) {
      try {
        listener({ topic });
      } catch {
        // A broken listener (closed window, dropped stream) must not stop the others.
      }
    }
  }
}
