/**
 * Reading iCIMS' rate-limit headers (docs/INTERFACES.md §5). All results are milliseconds from
 * `now`, never negative; `null` means the header is absent or unreadable.
 */

export type HeaderMap = Record<string, string>;

/** X-RateLimit-Reset: epoch seconds, or seconds from now when under 10^9. */
export function resetInMs(headers: HeaderMap, now: number): number | null {
  const raw = headers['x-ratelimit-reset'];
  if (raw === undefined || raw.trim() === '') return null;
  const value = Number(raw.trim());
  if (!Number.isFinite(value) || value < 0) return null;
  const ms = value < 1e9 ? value * 1000 : value * 1000 - now;
  return Math.max(0, Math.ceil(ms));
}

/** Retry-After: delta seconds or an HTTP date. */
export function retryAfterMs(headers: HeaderMap, now: number): number | null {
  const raw = headers['retry-after']?.trim();
  if (raw === undefined || raw === '') return null;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.ceil(Number(raw) * 1000);
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

export function remainingCalls(headers: HeaderMap): number | null {
  const raw = headers['x-ratelimit-remaining'];
  if (raw === undefined || !/^\s*\d+\s*$/.test(raw)) return null;
  return Number(raw);
}

/** When no header says how long to wait after a 429: one full per-minute window. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

/** How long a 429 asks us to wait: Retry-After, else X-RateLimit-Reset, else a minute. */
export function rateLimitWaitMs(headers: HeaderMap, now: number): number {
  return retryAfterMs(headers, now) ?? resetInMs(headers, now) ?? DEFAULT_RATE_LIMIT_WAIT_MS;
}
