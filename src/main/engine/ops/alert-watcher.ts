import type { Alert, OpsSnapshot } from '../../../shared/ops-snapshot';
import type { Logger } from '../logger';

const CHECK_INTERVAL_MS = 5_000;

/**
 * Turns the snapshot's alerts into "a critical alert just became active" events for the desktop
 * notification. An alert that stays active is announced once; after it clears it may be
 * announced again.
 */
export class AlertWatcher {
  private readonly listeners = new Set<(alert: Alert) => void>();
  private active = new Set<Alert['id']>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly snapshot: () => Promise<OpsSnapshot>,
    private readonly logger: Logger,
  ) {}

  subscribe(listener: (alert: Alert) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.check(), CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async check(): Promise<void> {
    let alerts: Alert[];
    try {
      alerts = (await this.snapshot()).alerts;
    } catch (error) {
      this.logger.log('warn', 'alerts.check_failed', { error: (error as Error).message });
      return;
    }
    const critical = alerts.filter((alert) => alert.severity === 'critical');
    const now = new Set(critical.map((alert) => alert.id));
    for (const alert of critical) {
      if (this.active.has(alert.id)) continue;
      this.logger.log('warn', 'alert.raised', { id: alert.id, title: alert.title });
      for (const listener of this.listeners) listener(alert);
    }
    this.active = now;
  }
}
