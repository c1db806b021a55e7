import { resolveConfig } from '../../src/main/engine/config/resolve-config';
import type { EngineConfig } from '../../src/main/engine/config/engine-config';
import type { FakeAuth } from './fake-icims-types';
import type { FakeIcims } from './fake-icims';

/** Credentials the integration tests use with the fake; long enough to be unmistakable in output. */
export const CREDENTIALS = {
  apiKey: 'test-api-key-0123456789abcdef',
  username: 'svc-scheduler',
  password: 'basic-pa55word-7f3a9c',
  clientId: 'console-client-id',
  clientSecret: 'oauth-client-secret-5e1d2b',
} as const;

export type AuthKind = 'apiKey' | 'basic' | 'oauth';
export type StyleKind = 'applications' | 'workflows';
export const AUTH_KINDS: AuthKind[] = ['apiKey', 'basic', 'oauth'];
export const STYLE_KINDS: StyleKind[] = ['applications', 'workflows'];
export const CUSTOMER_ID = '7301';

export function fakeAuth(kind: AuthKind, expiresInSec?: number): FakeAuth {
  if (kind === 'apiKey') return { mode: 'apiKey', apiKey: CREDENTIALS.apiKey };
  if (kind === 'basic') return { mode: 'basic', username: CREDENTIALS.username, password: CREDENTIALS.password };
  return { mode: 'oauth', clientId: CREDENTIALS.clientId, clientSecret: CREDENTIALS.clientSecret, expiresInSec };
}

/** The environment that points the console at `fake` with the given auth and style. */
export function envFor(
  fake: FakeIcims,
  auth: AuthKind,
  style: StyleKind,
  extra: Record<string, string> = {},
  wrongSecret = false,
): Record<string, string> {
  const env: Record<string, string> = {
    ICIMS_MODE: 'real',
    ICIMS_BASE_URL: `${fake.url}/`,
    ICIMS_API_STYLE: style,
    ICIMS_HTTP_RETRY_BASE_MS: '5',
    ICIMS_RATE_LIMIT_PER_MIN: '6000',
    ICIMS_TIMEOUT_MS: '2000',
  };
  if (style === 'workflows') env.ICIMS_CUSTOMER_ID = CUSTOMER_ID;
  const bad = (s: string) => (wrongSecret ? `${s}-WRONG` : s);
  if (auth === 'apiKey') env.ICIMS_API_KEY = bad(CREDENTIALS.apiKey);
  if (auth === 'basic')
    Object.assign(env, { ICIMS_USERNAME: CREDENTIALS.username, ICIMS_PASSWORD: bad(CREDENTIALS.password) });
  if (auth === 'oauth')
    Object.assign(env, {
      ICIMS_CLIENT_ID: CREDENTIALS.clientId,
      ICIMS_CLIENT_SECRET: bad(CREDENTIALS.clientSecret),
      ICIMS_TOKEN_URL: fake.tokenUrl,
    });
  return { ...env, ...extra };
}

export function configFor(
  fake: FakeIcims,
  auth: AuthKind,
  style: StyleKind,
  extra: Record<string, string> = {},
  wrongSecret = false,
): EngineConfig {
  return resolveConfig({ env: envFor(fake, auth, style, extra, wrongSecret) });
}

/** Every secret value the tests use, wrong variants included. */
export const ALL_SECRETS = [CREDENTIALS.apiKey, CREDENTIALS.password, CREDENTIALS.clientSecret].flatMap((s) => [
  s,
  `${s}-WRONG`,
]);
