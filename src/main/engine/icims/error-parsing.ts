import { STATUS_CODES } from 'node:http';
import type { Redactor } from '../redaction';
import type { IcimsError } from './errors';
import { AuthError, NotFoundError, RateLimitError, ServerError, ValidationError } from './errors';
import type { HttpResponse } from './http-transport';
import { rateLimitWaitMs } from './rate-limit-headers';

/**
 * Turns a non-2xx iCIMS response into a typed error whose message an ops person can act on:
 * status, reason, then whatever iCIMS said — the `errors[]` body (`errorMessage (errorCode N)`),
 * the `x-error` and `x-warning` headers, or failing those a short excerpt of the body (an HTML
 * error page from a proxy, say). Always redacted.
 */

interface IcimsErrorEntry {
  errorMessage?: unknown;
  errorCode?: unknown;
  message?: unknown;
}

const MAX_EXCERPT = 200;

function oneLine(text: string, max = MAX_EXCERPT): string {
  const flat = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function bodyDetails(body: string): { details: string[]; structured: boolean } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { details: body.trim() ? [oneLine(body)] : [], structured: false };
  }
  const obj = (parsed ?? {}) as { errors?: unknown; error?: unknown; error_description?: unknown; message?: unknown };
  const details: string[] = [];
  if (Array.isArray(obj.errors)) {
    for (const entry of obj.errors as IcimsErrorEntry[]) {
      const text = entry?.errorMessage ?? entry?.message;
      if (typeof text !== 'string' && typeof text !== 'number') continue;
      const code = entry.errorCode;
      details.push(
        code !== undefined && code !== null
          ? `${oneLine(String(text))} (errorCode ${String(code)})`
          : oneLine(String(text)),
      );
    }
  }
  // OAuth-style errors from a token endpoint or gateway.
  if (typeof obj.error === 'string')
    details.push(
      typeof obj.error_description === 'string' ? `${obj.error}: ${oneLine(obj.error_description)}` : obj.error,
    );
  if (details.length === 0 && typeof obj.message === 'string') details.push(oneLine(obj.message));
  return { details, structured: true };
}

/** `404 Not Found: Application APP-1 does not exist (errorCode 7)`, redacted. */
export function describeResponse(response: HttpResponse, redact: Redactor): string {
  const { details } = bodyDetails(response.body);
  const xError = response.headers['x-error'];
  const xWarning = response.headers['x-warning'];
  if (xError && !details.some((d) => d.includes(xError))) details.push(oneLine(xError));
  if (xWarning) details.push(`warning: ${oneLine(xWarning)}`);
  const head = `${response.status} ${STATUS_CODES[response.status] ?? 'Unknown Status'}`;
  return redact(details.length > 0 ? `${head}: ${details.join('; ')}` : head);
}

/** The typed error for a non-2xx response (error classes: docs/INTERFACES.md §6). */
export function errorFromResponse(response: HttpResponse, now: number, redact: Redactor): IcimsError {
  const message = describeResponse(response, redact);
  const status = response.status;
  if (status === 429) return new RateLimitError(message, rateLimitWaitMs(response.headers, now));
  if (status === 401 || status === 403) return new AuthError(message, status);
  if (status === 404) return new NotFoundError(message, status);
  if (status >= 500) return new ServerError(message, status);
  return new ValidationError(message, status);
}

/** Parses a 2xx JSON body; a body that is not JSON is a server fault with a clear message. */
export function parseJsonBody(response: HttpResponse, what: string, redact: Redactor): unknown {
  if (response.body.trim() === '')
    throw new ServerError(
      redact(`${response.status} ${STATUS_CODES[response.status] ?? ''} but the ${what} body is empty`),
      response.status,
    );
  try {
    return JSON.parse(response.body);
  } catch (error) {
    throw new ServerError(
      redact(
        `${response.status} ${STATUS_CODES[response.status] ?? ''} but the ${what} body is not valid JSON (${(error as Error).message}); it starts with: ${oneLine(response.body, 80)}`,
      ),
      response.status,
    );
  }
}
