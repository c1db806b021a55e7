import { Notification } from 'electron';
import type { IssueTransition } from '../engine/issues/issue-store';

const TITLE: Record<IssueTransition['type'], (title: string) => string> = {
  opened: (title) => title,
  escalated: (title) => `Worse: ${title}`,
  resolved: (title) => `Resolved: ${title}`,
};

/**
 * Desktop notifications follow the Issues screen: a critical issue that opens or escalates, and
 * its resolution. The engine announces each transition once and says nothing about a snoozed
 * issue, so a snooze silences the desktop as it silences the webhook. Warnings stay on screen.
 */
export class IssueNotifier {
  /** Electron drops a Notification's click handler once the object is garbage-collected. */
  private readonly live = new Set<Notification>();

  constructor(private readonly onClick: () => void) {}

  notify({ type, issue }: IssueTransition): void {
    if (issue.severity !== 'critical' || !Notification.isSupported()) return;
    const notification = new Notification({ title: TITLE[type](issue.title), body: issue.detail });
    this.live.add(notification);
    notification.on('click', () => this.onClick());
    notification.on('close', () => this.live.delete(notification));
    notification.show();
  }
}
