import { describe, expect, it } from 'vitest';
import { PUSH_TOPICS } from '../../src/shared/console-api';
import { parsePushMessage } from '../../src/renderer/src/api/push-message';

/** The data of a server-sent `push` message, as the headless console's server writes it. */

describe('push message parsing', () => {
  it('reads every topic the server pushes', () => {
    for (const topic of PUSH_TOPICS) expect(parsePushMessage(JSON.stringify({ topic }))).toEqual({ topic });
    expect(parsePushMessage('{"topic":"jobs"}')).toEqual({ topic: 'jobs' });
  });

  it('ignores extra fields (a newer server may add some)', () => {
    expect(parsePushMessage('{"topic":"ops","at":"2026-01-15T10:00:00Z","count":3}')).toEqual({ topic: 'ops' });
  });

  it('drops what it does not understand instead of throwing', () => {
    for (const data of [
      '',
      'not json',
      '{"topic":',
      'null',
      '42',
      '"ops"',
      '[]',
      '{}',
      '{"topic":"unknown"}',
      '{"topic":7}',
      '{"Topic":"ops"}',
    ]) {
      expect(parsePushMessage(data), data).toBeNull();
    }
    expect(parsePushMessage(undefined)).toBeNull();
    expect(parsePushMessage({ topic: 'ops' })).toBeNull();
  });
});
