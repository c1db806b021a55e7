/**
 * Typed iCIMS errors. They are created once, at the edge (the HTTP layer, the auth layer, the
 * limiter and the breaker), and everything else reads `retryable` and the class — never the
 * message text. Messages are already redacted when an error is built: they may be stored in
 * `last_error`, logged and shown in the console as they are.
 */

export type IcimsErrorCode =
  | 'rate_limited'
  | 'daily_limit'
  | 'auth'
  | 'not_found'
  | 'validation'
  | 'server'
  | 'timeout'
  | 'network'
  | 'circuit_open'
  | 'config';

/**
 * The answers with which iCIMS provably refused a note: nothing was stored (docs/INTERFACES.md §6).
 * Every other status — any 5xx (a gateway may answer after forwarding), 409, anything unlisted —
 * leaves a write in doubt.
 */
export const NOT_WRITTEN_STATUSES: ReadonlySet<number> = new Set([400, 401, 403, 404, 413, 415, 422, 429]);

export interface IcimsErrorOptions {
  /**
   * For a failure without an HTTP answer: whether the request may have reached iCIMS (a timeout
   * after sending, a connection closed mid-exchange) rather than provably never left (refused,
   * DNS, TLS, connect timeout). Default false: nothing was sent.
   */
  mayHaveArrived?: boolean;
}

export abstract class IcimsError extends Error {
  abstract readonly code: IcimsErrorCode;
  /**
   * For a note write: true when iCIMS may have stored the note although the call failed, so the
   * write must not be sent again blindly (docs/INTERFACES.md §6). Decided here, at the edge, from
   * the status or from how the exchange broke off — never from the message.
   */
  readonly inDoubt: boolean;
  /** True when the same request may succeed later (docs/INTERFACES.md §6). */
  abstract readonly retryable: boolean;

  constructor(
    message: string,
    /** HTTP status when iCIMS answered, else null. */
    readonly statusCode: number | null = null,
    options: IcimsErrorOptions = {},
  ) {
    super(message);
    this.name = new.target.name;
    this.inDoubt = statusCode !== null ? !NOT_WRITTEN_STATUSES.has(statusCode) : options.mayHaveArrived === true;
  }
}

/**
 * "Not now", saying nothing about the job itself (429, daily budget, open circuit): the job waits
 * `retryAfterMs` without spending a retry.
 */
export abstract class WaitError extends IcimsError {
  readonly retryable = true;
  constructor(
    message: string,
    statusCode: number | null,
    readonly retryAfterMs: number,
  ) {
    super(message, statusCode);
  }
}

/** 429, or a 429 whose wait (Retry-After or X-RateLimit-Reset) was too long to take inside the request. */
export class RateLimitError extends WaitError {
  readonly code = 'rate_limited';
  constructor(message: string, retryAfterMs: number) {
    super(message, 429, retryAfterMs);
  }
}

/** The client-side per-UTC-day budget (ICIMS_DAILY_LIMIT) is used up until the next UTC day. */
export class DailyLimitError extends WaitError {
  readonly code = 'daily_limit';
  constructor(message: string, retryAfterMs: number) {
    super(message, null, retryAfterMs);
  }
}

/** 401/403, or an OAuth token endpoint that refuses the client credentials. */
export class AuthError extends IcimsError {
  readonly code = 'auth';
  readonly retryable = false;
}

export class NotFoundError extends IcimsError {
  readonly code = 'not_found';
  readonly retryable = false;
}

/** 400 and every other 4xx not named above. */
export class ValidationError extends IcimsError {
  readonly code = 'validation';
  readonly retryable = false;
}

/** 5xx (after the in-request retries). */
export class ServerError extends IcimsError {
  readonly code = 'server';
  readonly retryable = true;
}

/** No complete answer in time. In doubt unless it was the connect that timed out. */
export class TimeoutError extends IcimsError {
  readonly code = 'timeout';
  readonly retryable = true;
}

/** Connection refused/reset, DNS, TLS: nothing usable came back. In doubt unless nothing was sent. */
export class NetworkError extends IcimsError {
  readonly code = 'network';
  readonly retryable = true;
}

/** The breaker is open: nothing was sent; the wait lasts until it lets its probe through. */
export class CircuitOpenError extends WaitError {
  readonly code = 'circuit_open';
  constructor(message: string, retryAfterMs: number) {
    super(message, null, retryAfterMs);
  }
}

/** The configuration cannot work (bad base URL, missing credential). Not retryable. */
export class ConfigError extends IcimsError {
  readonly code = 'config';
  readonly retryable = false;
}

export function isIcimsError(error: unknown): error is IcimsError {
  return error instanceof IcimsError;
}
