import type { Database } from 'better-sqlite3';
import type { AlertSettingsValues } from '../../../shared/alert-settings';
import type { OpsSnapshot } from '../../../shared/ops-snapshot';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { currentConditions } from './issue-conditions';
import type { IssueStore, IssueTransition } from './issue-store';

const CHECK_INTERVAL_MS = 5_000;

export interface IssueMonitorDeps {
  db: Database;
  store: IssueStore;
  clock: Clock;
  logger: Logger;
  snapshot: () => Promise<OpsSnapshot>;
  settings: () => AlertSettingsValues;
  timeZone: () => string;
  /** Someone should hear about it: the webhook. */
  onTransition: (transition: IssueTransition) => void;
  /** The issues changed: the renderer refetches. */
  onChange: () => void;
}

/**
 * Looks at the console every few seconds and keeps the issues in line with what it sees. A check
 * that throws is logged and the next one tries again: watching must never stop the sync.
 */
export class IssueMonitor {
  private timer: NodeJS.Timeout | null = null;
  private readonly startedAt: number;
  private checking = false;

  constructor(private readonly deps: IssueMonitorDeps) {
    this.startedAt = deps.clock.now();
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

  /** One look. Tests call it directly instead of waiting for the interval. */
  async check(): Promise<IssueTransition[]> {
    if (this.checking) return [];
    this.checking = true;
    try {
      const snapshot = await this.deps.snapshot();
      const now = this.deps.clock.now();
      const conditions = currentConditions(this.deps.db, {
        now,
        snapshot,
        settings: this.deps.settings(),
        timeZone: this.deps.timeZone(),
        startedAt: this.startedAt,
      });
      const transitions = this.deps.store.evaluate(conditions, now);
      for (const transition of transitions) {
        this.deps.logger.log(transition.type === 'resolved' ? 'info' : 'warn', `issue.${transition.type}`, {
          id: transition.issue.id,
          kind: transition.issue.kind,
          severity: transition.issue.severity,
          title: transition.issue.title,
        });
        this.deps.onTransition(transition);
      }
      if (transitions.length > 0) this.deps.onChange();
      return transitions;
    } catch (error) {
      this.deps.logger.log('warn', 'issues.check_failed', { error: (error as Error).message });
      return [];
    } finally {
      this.checking = false;
    }
  }
}
