import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Redactor } from '../redaction';
import type { AuthProvider } from './auth/auth-provider';
import type { CallPipeline, CallResult, CallSpec } from './call-pipeline';
import { parseJsonBody } from './error-parsing';
import type { IcimsError } from './errors';
import { AuthError, CircuitOpenError, NetworkError, RateLimitError, ServerError, TimeoutError } from './errors';
import type { IcimsApplication, IcimsClient, IcimsOperation, NoteWriteResult } from './icims-client';
import type { RandomSource } from './retry-delays';
import {
  MAX_IN_REQUEST_RATE_LIMIT_WAIT_MS,
  MAX_IN_REQUEST_RATE_LIMIT_WAITS,
  MAX_IN_REQUEST_RETRIES,
  retryDelayMs,
} from './retry-delays';
import type { WireRequest, WireStyle } from './wire-style';

export interface HttpClientDeps {
  pipeline: CallPipeline;
  style: WireStyle;
  /** Without a trailing slash; may carry a path prefix. */
  baseUrl: string;
  auth: AuthProvider;
  clock: Clock;
  random: RandomSource;
  retryBaseMs: number;
  redact: Redactor;
  logger: Logger;
}

type Transient = ServerError | TimeoutError | NetworkError;

function isTransient(error: unknown): error is Transient {
  return error instanceof ServerError || error instanceof TimeoutError || error instanceof NetworkError;
}

/** The same error class with "(gave up after N attempts)" appended, so last_error tells the story. */
function afterAttempts(error: Transient, attempts: number): Transient {
  if (attempts <= 1) return error;
  const Cls = error.constructor as typeof ServerError;
  return new Cls(`${error.message} (gave up after ${attempts} attempts)`, error.statusCode);
}

/**
 * The IcimsClient over HTTP (the mock client is this same class over a simulated transport).
 *
 * In-request retries are a hand-rolled loop around CallPipeline.call rather than undici's
 * RetryHandler/RetryAgent, deliberately:
 * - RetryHandler does not retry POST, and the note POST is exactly what must survive a reset
 *   connection (the Idempotency-Key makes repeating it safe);
 * - RetryHandler caps Retry-After at its own maxTimeout, where we need "wait when < 30 s, else
 *   hand the wait to the worker as a RateLimitError";
 * - every retry must pass through the breaker, rate limiter, daily budget and metrics as a call
 *   of its own, which a dispatcher-level retry would hide from them.
 */
export class IcimsHttpClient implements IcimsClient {
  constructor(private readonly deps: HttpClientDeps) {}

  async getApplication(applicationId: string, signal?: AbortSignal): Promise<IcimsApplication> {
    const result = await this.run(
      'getApplication',
      applicationId,
      this.deps.style.getApplication(applicationId),
      {},
      signal,
    );
    const body = parseJsonBody(result.response, 'application', this.deps.redact);
    return this.deps.style.parseApplication(body, applicationId);
  }

  async addApplicationNote(
    applicationId: string,
    note: string,
    idempotencyKey: string,
    signal?: AbortSignal,
  ): Promise<NoteWriteResult> {
    const started = this.deps.clock.now();
    const request = this.deps.style.addNote(applicationId, note, idempotencyKey);
    // The response body is not needed: a 201 whose body is odd still means the note exists.
    const result = await this.run(
      'addApplicationNote',
      applicationId,
      request,
      { 'idempotency-key': idempotencyKey },
      signal,
    );
    return { statusCode: result.response.status, latencyMs: Math.max(0, this.deps.clock.now() - started) };
  }

  async close(): Promise<void> {}

  urlFor(request: WireRequest): string {
    return `${this.deps.baseUrl}${request.path}`;
  }

  private async run(
    operation: IcimsOperation,
    applicationId: string,
    request: WireRequest,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<CallResult> {
    const { pipeline, clock, auth, logger } = this.deps;
    const spec: CallSpec = {
      operation,
      applicationId,
      method: request.method,
      url: this.urlFor(request),
      body: request.body,
      headers,
    };
    let retries = 0;
    let rateLimitWaits = 0;
    let refreshedAuth = false;
    let lastFailure: IcimsError | null = null;

    const retryAfterPause = async (error: Transient) => {
      const delay = retryDelayMs(retries, this.deps.retryBaseMs, this.deps.random);
      retries += 1;
      lastFailure = error;
      logger.log('info', 'icims.retry', {
        operation,
        applicationId,
        retry: retries,
        delayMs: delay,
        error: error.message,
      });
      await clock.sleep(delay, signal);
    };

    for (;;) {
      let result: CallResult;
      try {
        result = await pipeline.call(spec, signal);
      } catch (error) {
        // The breaker opened because of this request's own failures: its real story is the last
        // failure (after `retries` calls were sent), not "circuit open".
        if (error instanceof CircuitOpenError && lastFailure)
          throw isTransient(lastFailure) ? afterAttempts(lastFailure, retries) : lastFailure;
        if (isTransient(error) && retries < MAX_IN_REQUEST_RETRIES) {
          await retryAfterPause(error);
          continue;
        }
        throw isTransient(error) ? afterAttempts(error, retries + 1) : error;
      }

      const error = result.error;
      if (!error) return result;
      if (error instanceof ServerError && retries < MAX_IN_REQUEST_RETRIES) {
        await retryAfterPause(error);
        continue;
      }
      // The pipeline already paused the limiter until the reset; the next call waits there.
      if (
        error instanceof RateLimitError &&
        error.retryAfterMs < MAX_IN_REQUEST_RATE_LIMIT_WAIT_MS &&
        rateLimitWaits < MAX_IN_REQUEST_RATE_LIMIT_WAITS
      ) {
        rateLimitWaits += 1;
        lastFailure = error;
        logger.log('info', 'icims.rate_limited_wait', { operation, applicationId, waitMs: error.retryAfterMs });
        continue;
      }
      if (
        error instanceof AuthError &&
        error.statusCode === 401 &&
        !refreshedAuth &&
        auth.rejected(result.authorization)
      ) {
        refreshedAuth = true;
        logger.log('info', 'icims.auth_refresh', { operation, applicationId });
        continue;
      }
      throw isTransient(error) ? afterAttempts(error, retries + 1) : error;
    }
  }
}
