import type { ApiCallRecord } from '../icims/icims-client';

/*
 * HOW A RECORDED iCIMS CALL COUNTS (docs quote this block)
 *
 * Every HTTP call the client makes is recorded, in-request retries and OAuth token calls
 * included. Each is put in exactly one class:
 *
 *   success      the call succeeded (2xx).
 *   rate limited a 429, or a call the client marked as rate limited. A failed call in
 *                metricsLast24h (failedCalls) and counted in rateLimitHits; for HEALTH it is not
 *                a failure: it makes the status `degraded` ("rate limit hit recently").
 *   data error   400, 404, 409, 422 and every other 4xx except 401, 403, 408 and 429: iCIMS
 *                answered correctly about bad input (an unknown application id, a note it will
 *                not take). A failed call in metricsLast24h and in recent failures, but left out
 *                of the health success rate: it says nothing about whether iCIMS is up.
 *   failure      everything else that did not succeed: 5xx, timeouts, connection errors, 401/403
 *                (credentials), 408, and failures with no HTTP status. These count against the
 *                health success rate.
 *
 * So in metricsLast24h: totalCalls = successfulCalls + failedCalls, and rateLimitHits ⊆ failedCalls.
 * The health success rate = successes / (successes + failures), over the recent window.
 */

export const CALL_KIND = { success: 0, failure: 1, rateLimited: 2, dataError: 3 } as const;
export type CallKind = (typeof CALL_KIND)[keyof typeof CALL_KIND];

export function classifyCall(call: Pick<ApiCallRecord, 'outcome' | 'statusCode' | 'rateLimited'>): CallKind {
  if (call.outcome === 'success') return CALL_KIND.success;
  if (call.rateLimited || call.statusCode === 429) return CALL_KIND.rateLimited;
  const status = call.statusCode;
  if (status !== null && status >= 400 && status < 500 && status !== 401 && status !== 403 && status !== 408)
    return CALL_KIND.dataError;
  return CALL_KIND.failure;
}
