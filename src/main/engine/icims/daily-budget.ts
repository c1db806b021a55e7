import type { Clock } from '../clock';
import { DailyLimitError } from './errors';

const DAY_MS = 86_400_000;

export interface DailyBudgetSnapshot {
  used: number;
  limit: number;
  /** Epoch ms of the next UTC midnight, when `used` starts again from 0. */
  resetsAt: number;
}

function utcDay(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS);
}

/**
 * ICIMS_DAILY_LIMIT: calls to iCIMS per UTC day, in-request retries included (each is a call
 * iCIMS counts). The engine passes the count already used today (from its call log) at start, so
 * a restart does not hand out a fresh budget.
 */
export class DailyBudget {
  private day: number;
  private used: number;

  constructor(
    private readonly limit: number,
    private readonly clock: Clock,
    usedToday = 0,
  ) {
    this.day = utcDay(clock.now());
    this.used = Math.max(0, Math.floor(usedToday));
  }

  private roll(now: number): void {
    const today = utcDay(now);
    if (today !== this.day) {
      this.day = today;
      this.used = 0;
    }
  }

  /** Throws DailyLimitError (nothing is sent) when the budget is used up; else counts one call. */
  consume(): void {
    const now = this.clock.now();
    this.roll(now);
    if (this.used >= this.limit) {
      const resetsAt = (this.day + 1) * DAY_MS;
      throw new DailyLimitError(
        `Daily iCIMS call budget used up (${this.used} of ${this.limit} calls today, ICIMS_DAILY_LIMIT); nothing was sent; calls resume at ${new Date(resetsAt).toISOString()} (UTC midnight)`,
        resetsAt - now,
      );
    }
    this.used += 1;
  }

  snapshot(): DailyBudgetSnapshot {
    const now = this.clock.now();
    this.roll(now);
    return { used: this.used, limit: this.limit, resetsAt: (this.day + 1) * DAY_MS };
  }
}
