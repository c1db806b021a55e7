import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Redactor } from '../redaction';
import type { AuthProvider } from './auth/auth-provider';
import type { CircuitBreaker, CircuitPermit } from './circuit-breaker';
import type { ConcurrencyGate } from './concurrency-gate';
import type { DailyBudget } from './daily-budget';
import { errorFromResponse } from './error-parsing';
import type { IcimsError } from './errors';
import { NetworkError, RateLimitError, ServerError, TimeoutError } from './errors';
import type { HttpResponse, Transport } from './http-transport';
import type { ApiCallSink, CallOptions, IcimsOperation } from './icims-client';
import type { RateLimiter } from './rate-limiter';

export interface PipelineDeps {
  transport: Transport;
  auth: AuthProvider;
  limiter: RateLimiter;
  gate: ConcurrencyGate;
  budget: DailyBudget;
  breaker: CircuitBreaker;
  clock: Clock;
  sink: ApiCallSink;
  redact: Redactor;
  logger: Logger;
  /**
   * Team mode: the iCIMS account's limits shared by every engine (team/team-pacer.ts). Asked
   * after this engine's own limiter; throws a WaitError (nothing sent) when the team's daily
   * budget is spent.
   */
  teamPacer?: TeamPacer;
}

/** Grants one call against limits shared with other engines; resolves when it may go out. */
export interface TeamPacer {
  acquire(signal?: AbortSignal): Promise<void>;
  /** iCIMS answered 429 with this wait: it is the account's, so every engine holds (never throws). */
  rateLimited?(retryAfterMs: number): void;
}

export interface CallSpec {
  operation: IcimsOperation;
  applicationId: string | null;
  method: 'GET' | 'POST';
  url: string;
  body?: string;
  headers?: Record<string, string>;
  /** The connection test bypasses the breaker: an admin must be able to test while it is open. */
  bypassBreaker?: boolean;
}

export interface CallResult {
  response: HttpResponse;
  /** The typed error for a non-2xx status, else null. */
  error: IcimsError | null;
  /** The Authorization header the call carried (to tell OAuth which token a 401 was for). */
  authorization: string | null;
}

const TRANSIENT = [ServerError, TimeoutError, NetworkError];

/**
 * One HTTP call to iCIMS through every client-side guard, in this order:
 *
 *   breaker (fail fast) → concurrency slot → auth header (may fetch a token) → rate limiter →
 *   team pacer (team mode) → daily budget → send → metrics, breaker verdict, limiter feedback
 *
 * The slot is taken before the rate limiter so that the time the limiter records is the time
 * the call really goes out (a call that got its rate slot and then queued for a connection
 * could otherwise bunch up with later ones and break the per-minute cap). The budget is spent
 * last, after every wait, so a call that never goes out never costs budget.
 *
 * The real and the mock client both run through here; only the Transport differs, so the
 * dashboard behaves the same in mock mode.
 */
export class CallPipeline {
  constructor(private readonly deps: PipelineDeps) {}

  async call(spec: CallSpec, options: CallOptions = {}): Promise<CallResult> {
    const { breaker, gate, auth, limiter, budget, transport, clock } = this.deps;
    const { signal } = options;
    const jobId = options.jobId ?? null;
    const permit: CircuitPermit | null = spec.bypassBreaker ? null : breaker.acquire();
    let verdict: 'success' | 'failure' | 'neutral' = 'neutral';
    let release: (() => void) | null = null;
    try {
      release = await gate.acquire(signal);
      const authorization = await auth.authorization(options);
      await limiter.acquire(signal);
      await this.deps.teamPacer?.acquire(signal);
      budget.consume();
      const headers: Record<string, string> = { accept: 'application/json', ...spec.headers };
      if (spec.body !== undefined) headers['content-type'] = 'application/json';
      if (authorization) headers.authorization = authorization;

      const started = clock.now();
      let response: HttpResponse;
      try {
        response = await transport.send({ method: spec.method, url: spec.url, headers, body: spec.body }, signal);
      } catch (error) {
        if (error instanceof TimeoutError || error instanceof NetworkError) {
          const typed = new (error.constructor as typeof TimeoutError)(this.deps.redact(error.message), null, {
            mayHaveArrived: error.inDoubt,
          });
          this.record(spec, jobId, started, null, typed);
          verdict = 'failure';
          throw typed;
        }
        throw error; // aborted: proves nothing, recorded nowhere
      }
      const now = clock.now();
      limiter.observe(response.headers, now);
      const error =
        response.status >= 200 && response.status < 300 ? null : errorFromResponse(response, now, this.deps.redact);
      if (error instanceof RateLimitError) {
        limiter.pauseUntil(now + error.retryAfterMs);
        this.deps.teamPacer?.rateLimited?.(error.retryAfterMs);
      }
      this.record(spec, jobId, started, response.status, error);
      verdict = response.status >= 500 ? 'failure' : 'success';
      return { response, error, authorization };
    } catch (error) {
      // The token endpoint being down is as much an outage as iCIMS being down.
      if (verdict === 'neutral' && TRANSIENT.some((cls) => error instanceof cls)) verdict = 'failure';
      throw error;
    } finally {
      release?.();
      if (permit) {
        if (verdict === 'success') breaker.recordSuccess(permit);
        else if (verdict === 'failure') breaker.recordFailure(permit);
        else breaker.recordNeutral(permit);
      }
    }
  }

  private record(
    spec: CallSpec,
    jobId: number | null,
    started: number,
    statusCode: number | null,
    error: IcimsError | null,
  ): void {
    const latencyMs = Math.max(0, this.deps.clock.now() - started);
    this.deps.sink.record({
      at: started,
      operation: spec.operation,
      statusCode,
      outcome: error ? 'failure' : 'success',
      latencyMs,
      rateLimited: statusCode === 429,
      errorCode: error?.code ?? null,
      errorMessage: error ? this.deps.redact(error.message) : null,
      applicationId: spec.applicationId,
      jobId,
    });
    const fields = {
      operation: spec.operation,
      applicationId: spec.applicationId,
      statusCode,
      latencyMs,
      error: error?.message ?? null,
    };
    // Every call goes to the log (the file is size-capped): it is what one reads after an incident.
    this.deps.logger.log(error ? 'warn' : 'info', error ? 'icims.call_failed' : 'icims.call', fields);
  }
}
