/**
 * In-request retry policy (docs/INTERFACES.md §6): a 5xx, timeout or connection error is retried up
 * to 3 times inside one attempt, after ICIMS_HTTP_RETRY_BASE_MS, then twice that, then four
 * times that, each ±20 % so that clients that failed together do not retry together.
 */

export const MAX_IN_REQUEST_RETRIES = 3;

/** A 429 whose wait is shorter than this is waited out inside the request (docs/INTERFACES.md §6). */
export const MAX_IN_REQUEST_RATE_LIMIT_WAIT_MS = 30_000;

/** How many 429s one request may wait out before it gives up with a RateLimitError. */
export const MAX_IN_REQUEST_RATE_LIMIT_WAITS = 3;

/** Random source in [0, 1); injectable so tests get exact delays. */
export type RandomSource = () => number;

/** Delay before in-request retry number `retry` (0-based). */
export function retryDelayMs(retry: number, baseMs: number, random: RandomSource = Math.random): number {
  const nominal = baseMs * 2 ** retry;
  return Math.round(nominal * (0.8 + 0.4 * random()));
}
