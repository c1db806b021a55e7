import { secretValues } from '../../src/main/engine/config/engine-config';
import { describe, expect, it } from 'vitest';
import { ConfigValidationError } from '../../src/main/engine/config/config-error';
import { resolveConfig } from '../../src/main/engine/config/resolve-config';
import { ConfigError } from '../../src/main/engine/icims/errors';

function issuesOf(
  env: Record<string, string>,
  saved = {},
): { variable: string; field: string | null; message: string }[] {
  try {
    resolveConfig({ env, saved });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigValidationError).issues;
  }
  return [];
}
const messages = (env: Record<string, string>, saved = {}) => issuesOf(env, saved).map((i) => i.message);

const REAL_KEY = { ICIMS_MODE: 'real', ICIMS_BASE_URL: 'https://api.icims.com', ICIMS_API_KEY: 'key-0123456789' };

describe('resolveConfig', () => {
  it('mock mode with no configuration starts cleanly with the contract defaults', () => {
    const config = resolveConfig({ env: {} });
    expect(config.icims).toMatchObject({
      mode: 'mock',
      baseUrl: '',
      auth: { method: 'apiKey', apiKey: null },
      apiStyle: 'applications',
      customerId: null,
      notesField: 'notes',
      rateLimitPerMin: 100,
      maxConcurrency: 5,
      dailyLimit: 10000,
      timeoutMs: 15000,
      httpRetryBaseMs: 500,
      circuitThreshold: 5,
      circuitCooldownMs: 60000,
    });
    expect(config.sync).toEqual({
      leaseMs: 120000,
      pollIntervalMs: 30000,
      readBack: 'auto',
      worker: 'on',
      backoffMs: [60000, 300000, 900000, 1800000, 3600000],
      maxAttempts: 5,
    });
    expect(config.http).toEqual({ host: '127.0.0.1', port: 3000, apiToken: null, ingestToken: null, tls: null });
    expect(config.dataDir).toBeNull();
    expect(config.summary).toEqual({
      mode: 'mock',
      baseUrl: '',
      authMethod: 'apiKey',
      apiStyle: 'applications',
      hasCredential: false,
    });
  });

  it('real mode without a base URL: exactly "ICIMS_BASE_URL is required"', () => {
    const error = (() => {
      try {
        resolveConfig({ env: { ICIMS_MODE: 'real', ICIMS_API_KEY: 'key-0123456789' } });
      } catch (e) {
        return e as ConfigValidationError;
      }
      throw new Error('expected a ConfigValidationError');
    })();
    expect(error.message).toBe('ICIMS_BASE_URL is required');
    expect(error.issues).toEqual([
      { variable: 'ICIMS_BASE_URL', field: 'baseUrl', message: 'ICIMS_BASE_URL is required' },
    ]);
  });

  it('apiKey auth with a key under 10 characters: exactly "ICIMS_API_KEY appears invalid", without the key', () => {
    const issues = issuesOf({ ...REAL_KEY, ICIMS_API_KEY: 'short-key' });
    expect(issues).toEqual([{ variable: 'ICIMS_API_KEY', field: 'apiKey', message: 'ICIMS_API_KEY appears invalid' }]);
  });

  it('lists every problem at once, each naming its variable', () => {
    const error = (() => {
      try {
        resolveConfig({
          env: {
            ICIMS_MODE: 'real',
            ICIMS_API_KEY: 'tiny',
            ICIMS_API_STYLE: 'workflows',
            ICIMS_RATE_LIMIT_PER_MIN: 'fast',
            CONSOLE_HTTP_PORT: '70000',
          },
        });
      } catch (e) {
        return e as ConfigValidationError;
      }
      throw new Error('expected an error');
    })();
    expect(error.issues.map((i) => i.variable).sort()).toEqual([
      'CONSOLE_HTTP_PORT',
      'ICIMS_API_KEY',
      'ICIMS_BASE_URL',
      'ICIMS_CUSTOMER_ID',
      'ICIMS_RATE_LIMIT_PER_MIN',
    ]);
    expect(error.message).toMatch(/^5 configuration problems: /);
    expect(error.message).not.toContain('tiny');
  });

  it('workflows style needs ICIMS_CUSTOMER_ID in real mode', () => {
    expect(messages({ ...REAL_KEY, ICIMS_API_STYLE: 'workflows' })).toEqual([
      'ICIMS_CUSTOMER_ID is required for the workflows API style',
    ]);
    expect(
      resolveConfig({ env: { ...REAL_KEY, ICIMS_API_STYLE: 'workflows', ICIMS_CUSTOMER_ID: ' 7301 ' } }).icims
        .customerId,
    ).toBe('7301');
  });

  it('oauth (inferred from ICIMS_CLIENT_ID) needs the secret and the token URL', () => {
    expect(
      messages({ ICIMS_MODE: 'real', ICIMS_BASE_URL: 'https://api.icims.com', ICIMS_CLIENT_ID: 'client' }),
    ).toEqual(['ICIMS_CLIENT_SECRET is required for oauth auth', 'ICIMS_TOKEN_URL is required for oauth auth']);
    expect(messages({ ICIMS_MODE: 'real', ICIMS_BASE_URL: 'https://api.icims.com', ICIMS_AUTH: 'oauth' })).toContain(
      'ICIMS_CLIENT_ID is required for oauth auth',
    );
    expect(
      messages({
        ICIMS_MODE: 'real',
        ICIMS_BASE_URL: 'https://api.icims.com',
        ICIMS_CLIENT_ID: 'c',
        ICIMS_CLIENT_SECRET: 's',
        ICIMS_TOKEN_URL: 'not a url',
      }),
    ).toEqual(['ICIMS_TOKEN_URL must be an http(s) URL, e.g. https://login.icims.com/oauth/token']);
  });

  it('basic (inferred from ICIMS_USERNAME) needs the password', () => {
    expect(messages({ ICIMS_MODE: 'real', ICIMS_BASE_URL: 'https://api.icims.com', ICIMS_USERNAME: 'svc' })).toEqual([
      'ICIMS_PASSWORD is required for basic auth',
    ]);
    const config = resolveConfig({
      env: { ICIMS_MODE: 'real', ICIMS_BASE_URL: 'https://api.icims.com', ICIMS_USERNAME: 'svc', ICIMS_PASSWORD: 'pw' },
    });
    expect(config.icims.auth.method).toBe('basic');
    expect(config.summary.hasCredential).toBe(true);
  });

  it('infers oauth before basic before apiKey; an explicit ICIMS_AUTH wins', () => {
    const both = { ICIMS_CLIENT_ID: 'c', ICIMS_USERNAME: 'u' };
    expect(resolveConfig({ env: both }).icims.auth.method).toBe('oauth');
    expect(resolveConfig({ env: { ICIMS_USERNAME: 'u' } }).icims.auth.method).toBe('basic');
    expect(resolveConfig({ env: { ...both, ICIMS_AUTH: 'apiKey' } }).icims.auth.method).toBe('apiKey');
    expect(resolveConfig({ env: {}, saved: { username: 'u', authMethod: null } }).icims.auth.method).toBe('basic');
    expect(messages({ ICIMS_AUTH: 'token' })).toEqual(['ICIMS_AUTH must be one of apiKey, oauth, basic (got "token")']);
  });

  it('environment variables win over saved settings; saved settings fill the rest', () => {
    const config = resolveConfig({
      env: { ICIMS_BASE_URL: 'https://api-eu.icims.com///', ICIMS_RATE_LIMIT_PER_MIN: '60' },
      saved: {
        mode: 'real',
        baseUrl: 'https://saved.example.com',
        rateLimitPerMin: 30,
        maxConcurrency: 2,
        apiKey: 'saved-key-0123456789',
      },
    });
    expect(config.icims.baseUrl).toBe('https://api-eu.icims.com');
    expect(config.icims.mode).toBe('real');
    expect(config.icims.rateLimitPerMin).toBe(60);
    expect(config.icims.maxConcurrency).toBe(2);
    expect(config.icims.auth.method === 'apiKey' && config.icims.auth.apiKey?.reveal()).toBe('saved-key-0123456789');
    expect(config.lockedByEnvironment.sort()).toEqual(['baseUrl', 'rateLimitPerMin']);
  });

  it('a secret set in the environment wins over the saved one', () => {
    const config = resolveConfig({
      env: { ICIMS_API_KEY: 'env-key-0123456789' },
      saved: { apiKey: 'saved-key-0123456789' },
    });
    expect(config.icims.auth.method === 'apiKey' && config.icims.auth.apiKey?.reveal()).toBe('env-key-0123456789');
    expect(config.lockedByEnvironment).toEqual(['apiKey']);
  });

  it('numbers must be positive integers', () => {
    expect(messages({ ICIMS_MAX_CONCURRENCY: '0' })).toEqual([
      'ICIMS_MAX_CONCURRENCY must be a positive integer (got "0")',
    ]);
    expect(messages({ ICIMS_TIMEOUT_MS: '1.5' })).toEqual(['ICIMS_TIMEOUT_MS must be a positive integer (got "1.5")']);
    expect(messages({ ICIMS_DAILY_LIMIT: '-1' })).toEqual(['ICIMS_DAILY_LIMIT must be a positive integer (got "-1")']);
    expect(messages({ ICIMS_CIRCUIT_THRESHOLD: 'five' })).toEqual([
      'ICIMS_CIRCUIT_THRESHOLD must be a positive integer (got "five")',
    ]);
    expect(messages({ SYNC_MAX_ATTEMPTS: '1e3' })).toEqual([
      'SYNC_MAX_ATTEMPTS must be a positive integer (got "1e3")',
    ]);
    expect(messages({}, { rateLimitPerMin: 0 })).toEqual(['ICIMS_RATE_LIMIT_PER_MIN must be a positive integer']);
  });

  it('reads the env-only variables', () => {
    const config = resolveConfig({
      env: {
        ICIMS_HTTP_RETRY_BASE_MS: '250',
        ICIMS_CIRCUIT_THRESHOLD: '3',
        ICIMS_CIRCUIT_COOLDOWN_MS: '1000',
        SYNC_LEASE_MS: '5000',
        SYNC_POLL_INTERVAL_MS: '1000',
        SYNC_BACKOFF_MS: ' 10, 20 ,30',
        SYNC_MAX_ATTEMPTS: '2',
        ICIMS_READ_BACK: 'off',
        SYNC_WORKER: 'off',
        CONSOLE_HTTP_HOST: '0.0.0.0',
        CONSOLE_HTTP_PORT: '0',
        CONSOLE_TLS_CERT: '/etc/console/cert.pem',
        CONSOLE_TLS_KEY: '/etc/console/key.pem',
        CONSOLE_API_TOKEN: 'tok-123456-0123456789abcdef-0123456789',
        CONSOLE_DATA_DIR: '/tmp/console',
      },
    });
    expect(config.icims).toMatchObject({ httpRetryBaseMs: 250, circuitThreshold: 3, circuitCooldownMs: 1000 });
    expect(config.sync).toEqual({
      leaseMs: 5000,
      pollIntervalMs: 1000,
      backoffMs: [10, 20, 30],
      maxAttempts: 2,
      readBack: 'off',
      worker: 'off',
    });
    expect(config.http.host).toBe('0.0.0.0');
    expect(config.http.port).toBe(0);
    expect(config.http.tls).toEqual({ certFile: '/etc/console/cert.pem', keyFile: '/etc/console/key.pem' });
    expect(config.http.apiToken?.reveal()).toBe('tok-123456-0123456789abcdef-0123456789');
    expect(config.dataDir).toBe('/tmp/console');
  });

  it('team mode: SYNC_DATABASE_URL, SYNC_NODE_NAME and SYNC_TEAM_KEY are read; a bad value is named, never echoed', () => {
    expect(resolveConfig({ env: {} }).team).toBeNull();
    const key = Buffer.alloc(32, 7).toString('base64');
    const config = resolveConfig({
      env: { SYNC_DATABASE_URL: 'postgres://u:hunter22@db.internal/sync', SYNC_NODE_NAME: 'ops-1', SYNC_TEAM_KEY: key },
    });
    expect(config.team?.nodeName).toBe('ops-1');
    expect(config.team?.teamKey?.length).toBe(32);
    expect(config.team?.databaseUrl.reveal()).toBe('postgres://u:hunter22@db.internal/sync');
    // The password is redacted on its own too: a driver error may quote it without the URL.
    expect(secretValues(config)).toContain('hunter22');
    expect(JSON.stringify(config)).not.toContain('hunter22');

    expect(issuesOf({ SYNC_DATABASE_URL: 'mysql://u:hunter22@db/sync' })).toEqual([
      {
        variable: 'SYNC_DATABASE_URL',
        field: null,
        message: expect.stringMatching(/must be a PostgreSQL connection string/),
      },
    ]);
    expect(JSON.stringify(issuesOf({ SYNC_DATABASE_URL: 'mysql://u:hunter22@db/sync' }))).not.toContain('hunter22');
    expect(issuesOf({ SYNC_DATABASE_URL: 'postgres://db/sync', SYNC_TEAM_KEY: 'c2hvcnQ=' })).toEqual([
      { variable: 'SYNC_TEAM_KEY', field: null, message: expect.stringMatching(/must decode to 32 bytes/) },
    ]);
    expect(issuesOf({ SYNC_DATABASE_URL: 'postgres://db/sync', SYNC_NODE_NAME: 'a\u0001b' })[0]?.variable).toBe(
      'SYNC_NODE_NAME',
    );
  });

  it('SYNC_WORKER is on unless it says off; anything else is refused by name', () => {
    expect(resolveConfig({ env: {} }).sync.worker).toBe('on');
    expect(issuesOf({ SYNC_WORKER: 'no' }).map((issue) => issue.variable)).toEqual(['SYNC_WORKER']);
    expect(messages({ SYNC_WORKER: 'no' })[0]).toMatch(/^SYNC_WORKER must be one of on, off/);
  });

  it('SYNC_BACKOFF_MS must be a comma list of positive integers; CONSOLE_HTTP_PORT 0..65535', () => {
    expect(messages({ SYNC_BACKOFF_MS: '60000,,300000' })[0]).toMatch(
      /^SYNC_BACKOFF_MS must be a comma-separated list of positive integers/,
    );
    expect(messages({ SYNC_BACKOFF_MS: '1m,5m' })[0]).toMatch(/^SYNC_BACKOFF_MS must be a comma-separated list/);
    expect(messages({ CONSOLE_HTTP_PORT: '65536' })).toEqual(['CONSOLE_HTTP_PORT must be at most 65535 (got "65536")']);
    expect(messages({ CONSOLE_HTTP_PORT: 'http' })).toEqual([
      'CONSOLE_HTTP_PORT must be an integer from 0 to 65535 (got "http")',
    ]);
  });

  it('mock mode requires nothing but still rejects what is given and wrong', () => {
    expect(messages({ ICIMS_MODE: 'mock', ICIMS_API_STYLE: 'workflows', ICIMS_USERNAME: 'svc' })).toEqual([]);
    expect(messages({ ICIMS_BASE_URL: 'api.icims.com' })).toEqual([
      'ICIMS_BASE_URL must be an http(s) URL without query or credentials, e.g. https://api.icims.com',
    ]);
    expect(messages({ ICIMS_MODE: 'fake' })).toEqual(['ICIMS_MODE must be one of mock, real (got "fake")']);
  });

  it('a base URL with embedded credentials is refused without echoing them', () => {
    const [message] = messages({ ...REAL_KEY, ICIMS_BASE_URL: 'https://user:hunter2@api.icims.com' });
    expect(message).toContain('ICIMS_BASE_URL must be an http(s) URL');
    expect(message).not.toContain('hunter2');
  });
});
