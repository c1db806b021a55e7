import { isIcimsError, WaitError } from '../icims/errors';
import type { FailureVerdict } from './fail-job';

/**
 * Reads the verdict the HTTP layer put on an error (its class and `retryable`) — never its text.
 * An error that is not an IcimsError is a bug on our side, not iCIMS saying no: it is treated as
 * retryable so the job is neither lost nor retried forever.
 */
export function failureVerdict(error: unknown): FailureVerdict {
  if (!isIcimsError(error)) return { kind: 'retryable' };
  if (error instanceof WaitError) return { kind: 'wait', waitMs: error.retryAfterMs };
  return error.retryable ? { kind: 'retryable' } : { kind: 'permanent' };
}
