import type { PushEvent, PushTopic } from '../../shared/console-api';

/**
 * Fans "something changed" out to the transports. A busy queue changes many times a second;
 * each topic is sent at most once per `intervalMs` (leading and trailing edge), which is all
 * the renderer needs to refetch, and keeps IPC and SSE quiet.
 */
export class PushHub {
  private readonly listeners = new Set<(event: PushEvent) => void>();
  private readonly lastSent = new Map<PushTopic, number>();
  private readonly timers = new Map<PushTopic, NodeJS.Timeout>();

  constructor(private readonly intervalMs = 250) {}

  subscribe(listener: (event: PushEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(topic: PushTopic): void {
    if (this.timers.has(topic)) return;
    const since = Date.now() - (this.lastSent.get(topic) ?? 0);
    if (since >= this.intervalMs) {
      this.send(topic);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(topic);
      this.send(topic);
    }, this.intervalMs - since);
    timer.unref();
    this.timers.set(topic, timer);
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.listeners.clear();
  }

  private send(topic: PushTopic): void {
    this.lastSent.set(topic, Date.now());
    for (const listener of this.listeners) {
      try {
        listener({ topic });
      } catch {
        // A broken listener (closed window, dropped stream) must not stop the others.
      }
    }
  }
}
