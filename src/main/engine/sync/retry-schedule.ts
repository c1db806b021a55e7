/**
 * The retry arithmetic of docs/INTERFACES.md §6, kept pure so every step can be table-tested.
 *
 * `attempts` counts RETRIES. The initial write is not one: when it fails retryably the job waits
 * backoff[0] with attempts still 0 and `initialFailed` set. When retry k (k = attempts + 1) fails
 * retryably, attempts becomes k; at k >= maxAttempts the job is failed, else it waits backoff[k]
 * (the last delay repeats if the list is shorter). With the defaults: 1, 5, 15, 30, 60 minutes,
 * then failed after the fifth failed retry.
 */

export const DEFAULT_BACKOFF_MS: readonly number[] = [60_000, 300_000, 900_000, 1_800_000, 3_600_000];
export const DEFAULT_MAX_ATTEMPTS = 5;

export interface RetryState {
  attempts: number;
  initialFailed: boolean;
  maxAttempts: number;
}

export interface RetryDecision {
  status: 'pending' | 'failed';
  attempts: number;
  initialFailed: boolean;
  /** When the next try may run (for `failed`: `now`, meaningless). */
  runAfter: number;
}

export function backoffDelay(backoffMs: readonly number[], index: number): number {
  if (backoffMs.length === 0) return 0;
  const clamped = Math.min(Math.max(0, index), backoffMs.length - 1);
  return backoffMs[clamped] ?? 0;
}

export function afterRetryableFailure(state: RetryState, backoffMs: readonly number[], now: number): RetryDecision {
  if (!state.initialFailed) {
    // With no retries allowed at all, the failed initial write is the end.
    if (state.maxAttempts <= 0) return { status: 'failed', attempts: 0, initialFailed: true, runAfter: now };
    return { status: 'pending', attempts: 0, initialFailed: true, runAfter: now + backoffDelay(backoffMs, 0) };
  }
  const retry = state.attempts + 1;
  if (retry >= state.maxAttempts) return { status: 'failed', attempts: retry, initialFailed: true, runAfter: now };
  return { status: 'pending', attempts: retry, initialFailed: true, runAfter: now + backoffDelay(backoffMs, retry) };
}

/**
 * Where a failed try leaves its job: `permanent` fails it; `wait` (429, open circuit, daily budget)
 * makes it due after `waitMs` without spending a retry; `retryable` follows the backoff schedule.
 */
export function afterFailure(
  state: RetryState,
  verdict: { kind: 'permanent' } | { kind: 'wait'; waitMs: number } | { kind: 'retryable' },
  backoffMs: readonly number[],
  now: number,
): RetryDecision {
  const unchanged = { attempts: state.attempts, initialFailed: state.initialFailed };
  if (verdict.kind === 'permanent') return { status: 'failed', ...unchanged, runAfter: now };
  if (verdict.kind === 'wait') return { status: 'pending', ...unchanged, runAfter: now + Math.max(0, verdict.waitMs) };
  return afterRetryableFailure(state, backoffMs, now);
}

/** What the next try of a job is called in its history: `initial`, `manual retry`, `retry 3`. */
export function attemptLabel(state: { attempts: number; initialFailed: boolean; manualRetries: number }): string {
  if (!state.initialFailed) return state.manualRetries > 0 ? 'manual retry' : 'initial';
  return `retry ${state.attempts + 1}`;
}
