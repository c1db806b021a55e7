import { describe, expect, it } from 'vitest';
import { errorFromResponse, parseJsonBody } from '../../src/main/engine/icims/error-parsing';
import {
  AuthError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError,
} from '../../src/main/engine/icims/errors';
import { rateLimitWaitMs, resetInMs, retryAfterMs } from '../../src/main/engine/icims/rate-limit-headers';
import { createRedactor } from '../../src/main/engine/redaction';

const redact = createRedactor(['the-api-key-123']);
const NOW = Date.UTC(2026, 0, 15, 10, 0, 0);
const res = (status: number, body = '', headers: Record<string, string> = {}) => ({ status, headers, body });

describe('errorFromResponse', () => {
  it.each([
    [400, ValidationError, false],
    [401, AuthError, false],
    [403, AuthError, false],
    [404, NotFoundError, false],
    [409, ValidationError, false],
    [422, ValidationError, false],
    [429, RateLimitError, true],
    [500, ServerError, true],
    [502, ServerError, true],
    [503, ServerError, true],
    [504, ServerError, true],
  ])('%i → %o (retryable %s)', (status, cls, retryable) => {
    const error = errorFromResponse(res(status), NOW, redact);
    expect(error).toBeInstanceOf(cls);
    expect(error.retryable).toBe(retryable);
    expect(error.statusCode).toBe(status);
  });

  it('reads the iCIMS errors[] body', () => {
    const body = JSON.stringify({ errors: [{ errorMessage: 'Application APP-1 does not exist', errorCode: 7 }] });
    expect(errorFromResponse(res(404, body), NOW, redact).message).toBe(
      '404 Not Found: Application APP-1 does not exist (errorCode 7)',
    );
  });

  it('joins several errors, the x-error and x-warning headers, without repeating x-error', () => {
    const body = JSON.stringify({
      errors: [{ errorMessage: 'Field a invalid', errorCode: 1 }, { errorMessage: 'Field b invalid' }],
    });
    const error = errorFromResponse(
      res(400, body, { 'x-error': 'Field a invalid', 'x-warning': 'Old API version' }),
      NOW,
      redact,
    );
    expect(error.message).toBe(
      '400 Bad Request: Field a invalid (errorCode 1); Field b invalid; warning: Old API version',
    );
  });

  it('redacts what iCIMS echoes back', () => {
    const error = errorFromResponse(res(401, '', { 'x-error': 'Key the-api-key-123 is revoked' }), NOW, redact);
    expect(error.message).toBe('401 Unauthorized: Key [redacted] is revoked');
  });

  it('429: waits from Retry-After seconds, HTTP date, X-RateLimit-Reset, or one minute', () => {
    expect((errorFromResponse(res(429, '', { 'retry-after': '7' }), NOW, redact) as RateLimitError).retryAfterMs).toBe(
      7_000,
    );
    expect(
      (
        errorFromResponse(
          res(429, '', { 'retry-after': new Date(NOW + 12_000).toUTCString() }),
          NOW,
          redact,
        ) as RateLimitError
      ).retryAfterMs,
    ).toBe(12_000);
    expect(
      (errorFromResponse(res(429, '', { 'x-ratelimit-reset': '42' }), NOW, redact) as RateLimitError).retryAfterMs,
    ).toBe(42_000);
    expect((errorFromResponse(res(429), NOW, redact) as RateLimitError).retryAfterMs).toBe(60_000);
  });
});

describe('rate-limit headers', () => {
  it('X-RateLimit-Reset is epoch seconds at or above 10^9, else seconds from now', () => {
    expect(resetInMs({ 'x-ratelimit-reset': String(NOW / 1000 + 30) }, NOW)).toBe(30_000);
    expect(resetInMs({ 'x-ratelimit-reset': '30' }, NOW)).toBe(30_000);
    expect(resetInMs({ 'x-ratelimit-reset': String(NOW / 1000 - 30) }, NOW)).toBe(0);
    expect(resetInMs({ 'x-ratelimit-reset': 'soon' }, NOW)).toBeNull();
  });

  it('Retry-After: seconds or HTTP date; a past date means now; garbage is ignored', () => {
    expect(retryAfterMs({ 'retry-after': '1.5' }, NOW)).toBe(1_500);
    expect(retryAfterMs({ 'retry-after': 'Thu, 15 Jan 2026 10:00:05 GMT' }, NOW)).toBe(5_000);
    expect(retryAfterMs({ 'retry-after': 'Wed, 14 Jan 2026 10:00:05 GMT' }, NOW)).toBe(0);
    expect(retryAfterMs({ 'retry-after': 'later' }, NOW)).toBeNull();
    expect(rateLimitWaitMs({ 'retry-after': '2', 'x-ratelimit-reset': '50' }, NOW)).toBe(2_000);
  });
});

describe('parseJsonBody', () => {
  it('says clearly when a 2xx body is not JSON or is empty', () => {
    expect(() => parseJsonBody(res(200, '<html>maintenance</html>'), 'application', redact)).toThrow(
      /^200 OK but the application body is not valid JSON/,
    );
    expect(() => parseJsonBody(res(200, ''), 'application', redact)).toThrow(
      /^200 OK but the application body is empty$/,
    );
    expect(parseJsonBody(res(200, '{"a":1}'), 'application', redact)).toEqual({ a: 1 });
  });
});
