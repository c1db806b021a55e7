import { Agent, errors as undiciErrors } from 'undici';
import { NetworkError, TimeoutError } from './errors';
import type { HeaderMap } from './rate-limit-headers';

/**
 * One HTTP exchange, nothing more: no retries, limits or auth — those live in call-pipeline.ts
 * and real-client.ts so that the mock transport goes through exactly the same path.
 */

export interface HttpRequest {
  method: 'GET' | 'POST';
  /** Absolute URL. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: HeaderMap;
  body: string;
}

export interface Transport {
  /**
   * Resolves with any HTTP status. Rejects with TimeoutError (no complete response within the
   * timeout), NetworkError (nothing usable came back), or the signal's reason when `signal` aborts.
   * Both errors say whether the request may have reached the server (`inDoubt`).
   */
  send(request: HttpRequest, signal?: AbortSignal): Promise<HttpResponse>;
  close(): Promise<void>;
}

export interface UndiciTransportOptions {
  /** Sockets per origin (ICIMS_MAX_CONCURRENCY): the pool never opens more. */
  connections: number;
  /** ICIMS_TIMEOUT_MS: for the whole exchange, headers and body together. */
  timeoutMs: number;
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);

/**
 * Failures that happen before a byte of the request is written: no connection, no address, no
 * TLS session. Only these prove a note was *not* written; anything else (a reset or close
 * mid-exchange, an unknown code) may have reached iCIMS and leaves the write in doubt.
 */
const NEVER_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_TLS_HANDSHAKE_TIMEOUT',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

function errorCodes(error: unknown): string[] {
  const e = error as { code?: unknown; cause?: { code?: unknown } };
  return [e.code, e.cause?.code].filter((c): c is string => typeof c === 'string');
}

/** True when the failure proves the request never left this machine. */
export function neverSent(error: unknown): boolean {
  return errorCodes(error).some((code) => NEVER_SENT_CODES.has(code));
}

function normaliseHeaders(headers: Record<string, string | string[] | undefined>): HeaderMap {
  const out: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function describeCause(error: unknown): string {
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.code && !e.code.startsWith('UND_ERR') ? e.code : (e.cause?.code ?? e.code);
  const message = e.cause?.message ?? e.message ?? String(error);
  return code && !message.includes(code) ? `${code} (${message})` : message;
}

/**
 * The production transport: one undici Agent (a keep-alive Pool per origin, so the iCIMS host
 * and an OAuth token host each get their own), HTTP/1.1 only (no ALPN h2).
 *
 * The timeout is our own timer rather than only undici's headersTimeout/bodyTimeout, because
 * bodyTimeout measures the gap between chunks: a server that trickles a byte every few seconds
 * would never trip it. undici's timeouts stay set as a backstop.
 */
export class UndiciTransport implements Transport {
  private readonly agent: Agent;

  constructor(private readonly options: UndiciTransportOptions) {
    this.agent = new Agent({
      connections: options.connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { timeout: Math.min(options.timeoutMs, 30_000) },
      allowH2: false,
    });
  }

  async send(request: HttpRequest, signal?: AbortSignal): Promise<HttpResponse> {
    signal?.throwIfAborted();
    const url = new URL(request.url);
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.options.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
    try {
      const response = await this.agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal: combined,
      });
      const body = await response.body.text();
      return { status: response.statusCode, headers: normaliseHeaders(response.headers), body };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const mayHaveArrived = !neverSent(error);
      if (timeout.signal.aborted || TIMEOUT_CODES.has((error as { code?: string }).code ?? '')) {
        throw new TimeoutError(
          `No response from ${url.host} within ${this.options.timeoutMs} ms (ICIMS_TIMEOUT_MS)`,
          null,
          { mayHaveArrived },
        );
      }
      if (error instanceof undiciErrors.InvalidArgumentError) throw error;
      throw new NetworkError(`Could not reach ${url.host}: ${describeCause(error)}`, null, { mayHaveArrived });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Lets in-flight calls finish for a moment (the engine aborts them first), then drops every socket. */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 2000);
    });
    await Promise.race([this.agent.close(), grace]);
    clearTimeout(timer);
    await this.agent.destroy();
  }
}
