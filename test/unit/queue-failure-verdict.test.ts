import { describe, expect, it } from 'vitest';
import {
  AuthError,
  CircuitOpenError,
  ConfigError,
  DailyLimitError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  ServerError,
  TimeoutError,
  ValidationError,
} from '../../src/main/engine/icims/errors';
import { failureVerdict } from '../../src/main/engine/sync/failure-verdict';

describe('failureVerdict', () => {
  it.each([
    ['429', new RateLimitError('HTTP 429', 42_000), { kind: 'wait', waitMs: 42_000 }],
    ['daily budget', new DailyLimitError('budget used', 3_600_000), { kind: 'wait', waitMs: 3_600_000 }],
    ['open circuit', new CircuitOpenError('circuit open', 55_000), { kind: 'wait', waitMs: 55_000 }],
    ['5xx', new ServerError('HTTP 503', 503), { kind: 'retryable' }],
    ['timeout', new TimeoutError('timed out'), { kind: 'retryable' }],
    ['connection', new NetworkError('ECONNRESET'), { kind: 'retryable' }],
    ['401', new AuthError('HTTP 401', 401), { kind: 'permanent' }],
    ['404', new NotFoundError('HTTP 404', 404), { kind: 'permanent' }],
    ['400', new ValidationError('HTTP 400', 400), { kind: 'permanent' }],
    ['config', new ConfigError('no base URL'), { kind: 'permanent' }],
    ['a bug of ours', new TypeError('x is undefined'), { kind: 'retryable' }],
  ])('%s', (_name, error, verdict) => {
    expect(failureVerdict(error)).toEqual(verdict);
  });
});
