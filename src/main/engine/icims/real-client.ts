import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Redactor } from '../redaction';
import type { AuthProvider } from './auth/auth-provider';
import type { CallPipeline, CallResult, CallSpec } from './call-pipeline';
import { parseJsonBody } from './error-parsing';
import type { IcimsError } from './errors';
import { AuthError, CircuitOpenError, NetworkError, RateLimitError, ServerError, TimeoutError } from './errors';
import type {
  CallOptions,
  IcimsApplication,
  IcimsClient,
  IcimsNote,
  IcimsOperation,
  NoteWriteResult,
} from './icims-client';
import type { RandomSource } from './retry-delays';
import {
  MAX_IN_REQUEST_RATE_LIMIT_WAIT_MS,
  MAX_IN_REQUEST_RATE_LIMIT_WAITS,
  MAX_IN_REQUEST_RETRIES,
  retryDelayMs,
} from './retry-delays';
import type { WireRequest, WireStyle } from './wire-style';
import { idText } from './wire-style';

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
  return new Cls(`${error.message} (gave up after ${attempts} attempts)`, error.statusCode, {
    mayHaveArrived: error.inDoubt,
  });
}

/** A read-back that pages on and on is a broken server, not a busy application. */
const MAX_NOTE_PAGES = 200;

/** The note id of a 201 body (`{ "id": … }`); an odd body still means the note exists. */
function noteIdOf(body: string): string | null {
  if (body === '') return null;
  try {
    const parsed = JSON.parse(body) as { id?: unknown } | null;
    return parsed !== null && typeof parsed === 'object' ? idText(parsed.id) : null;
  } catch {
    return null;
  }
}

/**
 * The IcimsClient over HTTP (the mock client is this same class over a simulated transport).
 *
 * In-request retries are a hand-rolled loop around CallPipeline.call rather than undici's
 * RetryHandler/RetryAgent, deliberately:
 * - a note POST is retried here only when it provably did not reach iCIMS (refused connection,
 *   429): an in-doubt POST (5xx, timeout, reset) is handed back to the worker, which reads the
 *   application's notes before it sends it again (iCIMS does not promise to drop a repeated
 *   Idempotency-Key);
 * - RetryHandler caps Retry-After at its own maxTimeout, where we need "wait when < 30 s, else
 *   hand the wait to the worker as a RateLimitError";
 * - every retry must pass through the breaker, rate limiter, daily budget and metrics as a call
 *   of its own, which a dispatcher-level retry would hide from them.
 */
export class IcimsHttpClient implements IcimsClient {
  constructor(private readonly deps: HttpClientDeps) {}

  async getApplication(applicationId: string, options: CallOptions = {}): Promise<IcimsApplication> {
    const result = await this.run(
      'getApplication',
      applicationId,
      this.deps.style.getApplication(applicationId),
      {},
      options,
    );
    const body = parseJsonBody(result.response, 'application', this.deps.redact);
    return this.deps.style.parseApplication(body, applicationId);
  }

  async addApplicationNote(
    applicationId: string,
    note: string,
    idempotencyKey: string,
    options: CallOptions = {},
  ): Promise<NoteWriteResult> {
    const started = this.deps.clock.now();
    const request = this.deps.style.addNote(applicationId, note, idempotencyKey);
    const result = await this.run(
      'addApplicationNote',
      applicationId,
      request,
      { 'idempotency-key': idempotencyKey },
      options,
    );
    return {
      statusCode: result.response.status,
      latencyMs: Math.max(0, this.deps.clock.now() - started),
      noteId: noteIdOf(result.response.body),
    };
  }

  async readNotes(applicationId: string, options: CallOptions = {}): Promise<IcimsNote[]> {
    const notes: IcimsNote[] = [];
    const seen = new Set<string>();
    let page: string | null = null;
    for (let pages = 0; pages < MAX_NOTE_PAGES; pages += 1) {
      const result = await this.run(
        'readNotes',
        applicationId,
        this.deps.style.readNotes(applicationId, page),
        {},
        options,
      );
      const parsed = this.deps.style.parseNotes(parseJsonBody(result.response, 'notes', this.deps.redact));
      notes.push(...parsed.notes);
      if (parsed.nextPage === null || seen.has(parsed.nextPage)) return notes;
      seen.add(parsed.nextPage);
      page = parsed.nextPage;
    }
    throw new ServerError(
      this.deps.redact(`The notes of application ${applicationId} ran past ${MAX_NOTE_PAGES} pages; read-back gave up`),
      null,
      { mayHaveArrived: true },
    );
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
    options: CallOptions,
  ): Promise<CallResult> {
    const { pipeline, clock, auth, logger } = this.deps;
    const { signal } = options;
    const spec: CallSpec = {
      operation,
      applicationId,
      method: request.method,
      url: this.urlFor(request),
      body: request.body,
      headers,
    };
    // A write that may have reached iCIMS is never repeated here (see the class comment).
    const writes = request.method === 'POST';
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
        result = await pipeline.call(spec, options);
      } catch (error) {
        // The breaker opened because of this request's own failures: its real story is the last
        // failure (after `retries` calls were sent), not "circuit open".
        if (error instanceof CircuitOpenError && lastFailure)
          throw isTransient(lastFailure) ? afterAttempts(lastFailure, retries) : lastFailure;
        if (isTransient(error) && retries < MAX_IN_REQUEST_RETRIES && !(writes && error.inDoubt)) {
          await retryAfterPause(error);
          continue;
        }
        throw isTransient(error) ? afterAttempts(error, retries + 1) : error;
      }

      const error = result.error;
      if (!error) return result;
      if (error instanceof ServerError && retries < MAX_IN_REQUEST_RETRIES && !(writes && error.inDoubt)) {
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
