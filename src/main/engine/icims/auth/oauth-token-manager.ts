import { z } from 'zod';
import type { Secret } from '../../config/secret';
import type { Clock } from '../../clock';
import type { Logger } from '../../logger';
import type { Redactor } from '../../redaction';
import { describeResponse, errorFromResponse } from '../error-parsing';
import type { IcimsError } from '../errors';
import { AuthError, NetworkError, ServerError, TimeoutError } from '../errors';
import type { HttpResponse, Transport } from '../http-transport';
import type { ApiCallSink, CallOptions } from '../icims-client';
import type { AuthProvider } from './auth-provider';

export interface OAuthOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: Secret;
  transport: Transport;
  clock: Clock;
  sink: ApiCallSink;
  redact: Redactor;
  logger: Logger;
}

interface CachedToken {
  value: string;
  /** When to fetch a new one: shortly before iCIMS says it expires. */
  refreshAt: number;
}

/** When the token endpoint gives no expires_in. */
const DEFAULT_LIFETIME_S = 3600;
/** Refresh this long before expiry (at most; 10 % of the lifetime for short-lived tokens). */
const MAX_REFRESH_MARGIN_MS = 60_000;

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional().catch(undefined),
  expires_in: z.coerce.number().nonnegative().optional().catch(undefined),
});

/**
 * OAuth 2.0 client credentials (docs/INTERFACES.md §5).
 *
 * Single flight: while a token request is out, every caller awaits that same promise, so N
 * concurrent calls at start-up (or after expiry) cost one token request, not N. A caller whose
 * signal aborts stops waiting but does not cancel the shared request: the others still need it.
 *
 * A 401 from iCIMS drops the token only if it is still the one the failed call used — when five
 * calls fail with the same stale token, the first drop triggers one refresh and the other four
 * find a newer token already cached.
 *
 * Token calls are recorded in the metrics (operation `token`) but are not counted against the
 * iCIMS rate limit or daily budget: the token endpoint is usually another host with its own
 * limits, and a call that is not an iCIMS API call should not eat the API budget. They are not
 * retried here either: the caller's in-request retry loop retries the whole call, token included.
 */
export class OAuthTokenManager implements AuthProvider {
  readonly method = 'oauth' as const;
  private cached: CachedToken | null = null;
  private inflight: Promise<CachedToken> | null = null;
  private readonly issued: string[] = [];

  constructor(private readonly options: OAuthOptions) {}

  async authorization(options: CallOptions = {}): Promise<string> {
    return `Bearer ${(await this.token(options)).value}`;
  }

  rejected(used: string | null): boolean {
    if (this.cached && used === `Bearer ${this.cached.value}`) this.cached = null;
    return true;
  }

  invalidate(): void {
    this.cached = null;
  }

  liveSecrets(): string[] {
    return this.issued;
  }

  /** A fetch several calls wait for is recorded with the job of the call that started it. */
  private async token({ signal, jobId }: CallOptions): Promise<CachedToken> {
    signal?.throwIfAborted();
    if (this.cached && this.options.clock.now() < this.cached.refreshAt) return this.cached;
    const shared =
      this.inflight ??
      (this.inflight = this.fetchToken(jobId ?? null).finally(() => {
        this.inflight = null;
      }));
    if (!signal) return shared;
    return new Promise<CachedToken>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      shared.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private async fetchToken(jobId: number | null): Promise<CachedToken> {
    const { tokenUrl, clientId, clientSecret, transport, clock, redact } = this.options;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret.reveal(),
    }).toString();
    const started = clock.now();
    let response: HttpResponse;
    try {
      response = await transport.send({
        method: 'POST',
        url: tokenUrl,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
      });
    } catch (error) {
      if (error instanceof TimeoutError || error instanceof NetworkError) {
        const typed = new (error.constructor as typeof TimeoutError)(
          redact(`OAuth token request failed: ${error.message}`),
        );
        this.record(started, null, typed, jobId);
        throw typed;
      }
      throw error;
    }
    const failure = this.failureFor(response);
    this.record(started, response.status, failure, jobId);
    if (failure) throw failure;
    const parsed = (() => {
      try {
        return tokenResponseSchema.safeParse(JSON.parse(response.body));
      } catch {
        return null;
      }
    })();
    if (!parsed?.success) {
      throw new AuthError(
        redact(
          `OAuth token endpoint ${new URL(tokenUrl).host} answered ${response.status} without an access_token in a JSON body; check ICIMS_TOKEN_URL`,
        ),
        response.status,
      );
    }
    const token = parsed.data.access_token;
    this.issued.push(token);
    if (this.issued.length > 5) this.issued.shift();
    const lifetimeMs = (parsed.data.expires_in ?? DEFAULT_LIFETIME_S) * 1000;
    const refreshAt = clock.now() + Math.max(0, lifetimeMs - Math.min(MAX_REFRESH_MARGIN_MS, lifetimeMs * 0.1));
    this.cached = { value: token, refreshAt };
    this.options.logger.log('info', 'icims.token_fetched', {
      expiresInSec: lifetimeMs / 1000,
      tokenType: parsed.data.token_type ?? null,
    });
    return this.cached;
  }

  /** The token endpoint's answer as a typed error, or null on 2xx. */
  private failureFor(response: HttpResponse): IcimsError | null {
    const { status } = response;
    if (status >= 200 && status < 300) return null;
    const host = new URL(this.options.tokenUrl).host;
    const what = describeResponse(response, this.options.redact);
    if (status === 400 || status === 401 || status === 403) {
      return new AuthError(
        `OAuth token request to ${host} was refused (${what}); check ICIMS_CLIENT_ID and ICIMS_CLIENT_SECRET`,
        status,
      );
    }
    if (status === 404 || status === 405)
      return new AuthError(`OAuth token endpoint not found at ${host} (${what}); check ICIMS_TOKEN_URL`, status);
    const typed = errorFromResponse(response, this.options.clock.now(), this.options.redact);
    if (typed instanceof ServerError)
      return new ServerError(`OAuth token endpoint ${host} failed: ${typed.message}`, status);
    return typed;
  }

  private record(started: number, statusCode: number | null, error: IcimsError | null, jobId: number | null): void {
    const now = this.options.clock.now();
    this.options.sink.record({
      at: started,
      operation: 'token',
      statusCode,
      outcome: error ? 'failure' : 'success',
      latencyMs: Math.max(0, now - started),
      rateLimited: statusCode === 429,
      errorCode: error?.code ?? null,
      errorMessage: error ? this.options.redact(error.message) : null,
      applicationId: null,
      jobId,
    });
  }
}
