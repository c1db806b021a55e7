import { describe, expect, it } from 'vitest';
import { DailyBudget } from '../../src/main/engine/icims/daily-budget';
import { DailyLimitError } from '../../src/main/engine/icims/errors';
import { ManualClock } from '../fakes/manual-clock';

describe('DailyBudget', () => {
  it('starts from the count already used today and refuses the call past the limit', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 18, 0, 0));
    const budget = new DailyBudget(3, clock, 2);
    budget.consume();
    expect(budget.snapshot()).toEqual({ used: 3, limit: 3, resetsAt: Date.UTC(2026, 0, 16) });
    const error = (() => {
      try {
        budget.consume();
      } catch (e) {
        return e as DailyLimitError;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(DailyLimitError);
    expect(error?.retryAfterMs).toBe(6 * 3_600_000);
    expect(error?.message).toBe(
      'Daily iCIMS call budget used up (3 of 3 calls today, ICIMS_DAILY_LIMIT); nothing was sent; calls resume at 2026-01-16T00:00:00.000Z (UTC midnight)',
    );
    expect(budget.snapshot().used).toBe(3);
  });

  it('starts afresh at UTC midnight', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 15, 23, 59, 59));
    const budget = new DailyBudget(1, clock, 1);
    expect(() => budget.consume()).toThrow(DailyLimitError);
    await clock.advance(1_000);
    budget.consume();
    expect(budget.snapshot()).toEqual({ used: 1, limit: 1, resetsAt: Date.UTC(2026, 0, 17) });
  });
});
