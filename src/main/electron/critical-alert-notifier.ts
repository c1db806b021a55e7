import { Notification } from 'electron';
import type { Alert } from '../../shared/ops-snapshot';

/**
 * Desktop notifications for critical alerts (auth failure, circuit open, success rate under
 * 80 %). The engine emits an alert only when it becomes active, but a notification storm is the
 * one thing an ops person learns to ignore, so this also remembers which alert ids it has shown
 * and stays quiet until the snapshot says that alert has cleared.
 */
export class CriticalAlertNotifier {
  private readonly shown = new Set<string>();
  /** Electron drops a Notification's click handler once the object is garbage-collected. */
  private readonly live = new Set<Notification>();

  constructor(private readonly onClick: () => void) {}

  notify(alert: Alert): void {
    if (alert.severity !== 'critical' || this.shown.has(alert.id) || !Notification.isSupported()) return;
    this.shown.add(alert.id);
    const notification = new Notification({ title: alert.title, body: `${alert.detail} ${alert.action}`.trim() });
    this.live.add(notification);
    notification.on('click', () => this.onClick());
    notification.on('close', () => this.live.delete(notification));
    notification.show();
  }

  /** Forgets alerts that are no longer active, so they notify again if they come back. */
  syncActive(activeAlerts: readonly Pick<Alert, 'id'>[]): void {
    const active = new Set<string>(activeAlerts.map((alert) => alert.id));
    for (const id of this.shown) if (!active.has(id)) this.shown.delete(id);
  }
}
