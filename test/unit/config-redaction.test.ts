import { describe, expect, it } from 'vitest';
import { createRedactor, redactFields } from '../../src/main/engine/redaction';

describe('createRedactor', () => {
  const redact = createRedactor(['known-secret-value', 'p@ss word/1']);

  it('replaces known secret values wherever they appear, also URL-encoded and base64', () => {
    expect(redact('key=known-secret-value; again known-secret-value')).not.toContain('known-secret-value');
    expect(redact(`form: pw=${encodeURIComponent('p@ss word/1')}`)).not.toContain(encodeURIComponent('p@ss word/1'));
    expect(redact(`blob ${Buffer.from('known-secret-value').toString('base64')}`)).toBe('blob [redacted]');
  });

  it('removes credential shapes whose value it has never seen', () => {
    expect(redact('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig')).toBe('Authorization: Bearer [redacted]');
    expect(redact('{"authorization":"Basic dXNlcjpwYXNz"}')).toBe('{"authorization":"Basic [redacted]"}');
    expect(redact('{"access_token":"tok-abc","expires_in":3600}')).toBe(
      '{"access_token":"[redacted]","expires_in":3600}',
    );
    expect(redact('grant_type=client_credentials&client_id=me&client_secret=s3cr3t')).toBe(
      'grant_type=client_credentials&client_id=me&client_secret=[redacted]',
    );
    expect(redact('password=hunter2 and ICIMS_PASSWORD=hunter3')).toBe(
      'password=[redacted] and ICIMS_PASSWORD=[redacted]',
    );
    expect(redact('failed with bearer abcdefgh12345678')).toBe('failed with bearer [redacted]');
  });

  it('leaves ordinary text, including variable names in messages, alone', () => {
    const text =
      'ICIMS_PASSWORD is required for basic auth; 404 Not Found: Application APP-1 does not exist (errorCode 7)';
    expect(redact(text)).toBe(text);
  });

  it('picks up secrets learnt later through a getter', () => {
    const live: string[] = [];
    const dynamic = createRedactor(() => live);
    expect(dynamic('token abc-fresh-token')).toContain('abc-fresh-token');
    live.push('abc-fresh-token');
    expect(dynamic('echo abc-fresh-token')).toBe('echo [redacted]');
  });

  it('redacts strings nested in log fields and errors', () => {
    const fields = redactFields(
      {
        a: 'known-secret-value',
        nested: { list: ['x known-secret-value'] },
        error: new Error('boom known-secret-value'),
        n: 3,
      },
      redact,
    );
    expect(JSON.stringify(fields)).not.toContain('known-secret-value');
    expect(fields.n).toBe(3);
  });
});
