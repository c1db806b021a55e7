import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/main/engine/config/resolve-config';
import { assertSecretFollowsDestination } from '../../src/main/engine/settings/destination-binding';
import { startConsole, TEST_API_KEY, testEnv } from '../helpers/console-harness';
import type { ConsoleHarness } from '../helpers/console-harness';
import { rpc, startCaptureServer } from './security-harness';

/*
 * Attack 1: with a saved API key, Test connection (or Save) with a new base URL sent
 * `Authorization: Bearer <saved key>` to whatever server the new URL named.
 */
let harness: ConsoleHarness;
let capture: Awaited<ReturnType<typeof startCaptureServer>>;

beforeAll(async () => {
  capture = await startCaptureServer();
  harness = await startConsole({
    // Nothing from the environment: the destination and the key are saved in Settings.
    env: (fake) => {
      const env = testEnv(fake);
      delete env.ICIMS_MODE;
      delete env.ICIMS_BASE_URL;
      delete env.ICIMS_API_KEY;
      return env;
    },
    savedSettings: {
      values: { mode: 'real', baseUrl: 'http://placeholder.invalid' },
      secrets: { apiKey: TEST_API_KEY },
    },
  });
  // Point it at the fake the way an admin would: new URL, key typed again.
  const saved = await rpc(harness, 'saveSettings', {
    values: { baseUrl: harness.fake.url },
    secrets: { apiKey: TEST_API_KEY },
  });
  expect(saved.status).toBe(200);
});
afterAll(async () => {
  await harness?.close();
  await capture?.close();
});

describe('a saved secret is never sent to a destination it was not saved for', () => {
  it('Test connection with a new base URL and no key typed is refused, and nothing reaches that server', async () => {
    const res = await rpc(harness, 'testConnection', { values: { baseUrl: capture.url }, secrets: {} });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.message).toMatch(/re-enter the API key: the destination changed \(Base URL\)/);
    expect(capture.requests).toEqual([]);
  });

  it('Save with a new base URL and no key typed is refused with a message that says so; nothing changes', async () => {
    const res = await rpc(harness, 'saveSettings', { values: { baseUrl: capture.url }, secrets: {} });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_input');
    expect(res.body.message).toMatch(/The destination changed \(Base URL\): re-enter the API key/);
    expect(res.body.issues).toContainEqual({ path: 'secrets.apiKey', message: expect.stringMatching(/re-enter/) });
    const view = await rpc(harness, 'getSettings');
    expect(view.body.values.baseUrl).toBe(harness.fake.url);
    expect(capture.requests).toEqual([]);
  });

  it('with the key typed again the new destination is used (the admin knows the key)', async () => {
    const typed = 'a-key-typed-for-the-new-server-123';
    const res = await rpc(harness, 'testConnection', { values: { baseUrl: capture.url }, secrets: { apiKey: typed } });
    expect(res.status).toBe(200);
    expect(capture.requests.map((r) => r.authorization)).toContain(`Bearer ${typed}`);
    expect(capture.requests.map((r) => r.authorization)).not.toContain(`Bearer ${TEST_API_KEY}`);
  });
});

describe('every part of the destination counts: base URL, auth method, token URL', () => {
  const oauth = resolveConfig({
    env: {},
    saved: {
      mode: 'real',
      baseUrl: 'https://api.icims.com',
      authMethod: 'oauth',
      clientId: 'client',
      tokenUrl: 'https://login.icims.com/oauth/token',
      clientSecret: 'saved-client-secret-123',
      password: 'saved-password-1234',
      username: 'someone',
    },
  });
  const moved = (changes: Record<string, unknown>) =>
    resolveConfig({
      env: {},
      saved: {
        mode: 'real',
        baseUrl: 'https://api.icims.com',
        authMethod: 'oauth',
        clientId: 'client',
        tokenUrl: 'https://login.icims.com/oauth/token',
        clientSecret: 'saved-client-secret-123',
        password: 'saved-password-1234',
        username: 'someone',
        ...changes,
      },
    });

  it('a new token URL needs the client secret again', () => {
    expect(() => assertSecretFollowsDestination(oauth, moved({ tokenUrl: 'https://evil.example/token' }), {})).toThrow(
      /destination changed \(Token URL\): re-enter the client secret/,
    );
  });

  it('another auth method needs its secret again (a saved password does not follow)', () => {
    expect(() => assertSecretFollowsDestination(oauth, moved({ authMethod: 'basic' }), {})).toThrow(
      /destination changed \(Auth method, Token URL\): re-enter the password/,
    );
  });

  it('a key set by environment cannot follow a base URL changed in Settings', () => {
    const env = { ICIMS_API_KEY: 'env-key-0123456789', ICIMS_MODE: 'real' };
    const current = resolveConfig({ env, saved: { baseUrl: 'https://api.icims.com' } });
    const next = resolveConfig({ env, saved: { baseUrl: 'https://evil.example' } });
    expect(() => assertSecretFollowsDestination(current, next, {})).toThrow(
      /comes from the environment \(ICIMS_API_KEY\)/,
    );
  });

  it('changes that are not the destination need no secret (time zone, limits)', () => {
    expect(() =>
      assertSecretFollowsDestination(oauth, moved({ timezone: 'Europe/Paris', timeoutMs: 5000 }), {}),
    ).not.toThrow();
  });
});
