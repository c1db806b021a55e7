import type { SecretField, SettingField, SettingsValues } from '../../../shared/settings';
import {
  API_STYLES,
  AUTH_METHODS,
  MODES,
  READ_BACK_MODES,
  SECRET_ENV_NAMES,
  SETTING_ENV_NAMES,
} from '../../../shared/settings';
import {
  DEFAULT_SETTINGS_VALUES,
  envNameOf,
  inferAuthMethod,
  NUMBER_BOUNDS,
  validateSettings,
} from '../../../shared/settings-rules';
import type { ConfigIssue } from './config-error';
import { ConfigValidationError } from './config-error';
import type { EngineConfig, IcimsAuthConfig, TeamConfig } from './engine-config';
import { hasCredential } from './engine-config';
import { EnvReader } from './env-values';
import { secretOrNull } from './secret';
import { nodeName } from '../team/node-registry';
import { parseTeamKey } from '../team/team-secret-box';

/** What the Settings screen stored: values plus decrypted secrets (absent or null = none). */
export type SavedSettings = Partial<SettingsValues> & Partial<Record<SecretField, string | null>>;

export interface ResolveConfigInput {
  /** The environment merged with `.env.local` and `.env` (see loadEnvironment). */
  env: Record<string, string | undefined>;
  saved?: SavedSettings;
}

/** docs/INTERFACES.md §1 defaults of the variables the Settings screen does not edit. */
export const ENV_ONLY_DEFAULTS = {
  ICIMS_HTTP_RETRY_BASE_MS: 500,
  ICIMS_CIRCUIT_THRESHOLD: 5,
  ICIMS_CIRCUIT_COOLDOWN_MS: 60_000,
  SYNC_LEASE_MS: 120_000,
  SYNC_POLL_INTERVAL_MS: 30_000,
  SYNC_BACKOFF_MS: [60_000, 300_000, 900_000, 1_800_000, 3_600_000],
  SYNC_MAX_ATTEMPTS: 5,
  CONSOLE_HTTP_HOST: '127.0.0.1',
  CONSOLE_HTTP_PORT: 3000,
} as const;

const DAY_MS = 86_400_000;

function normaliseBaseUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/** Each Settings field: the environment variable when set, else the saved value, else the default. */
function mergeSettings(env: EnvReader, saved: SavedSettings): SettingsValues {
  const values: SettingsValues = { ...DEFAULT_SETTINGS_VALUES, timezone: 'UTC' };
  const put = <K extends SettingField>(field: K, fromEnv: () => SettingsValues[K]) => {
    const savedValue = saved[field];
    if (env.isSet(SETTING_ENV_NAMES[field])) values[field] = fromEnv();
    else if (savedValue !== undefined) values[field] = savedValue as SettingsValues[K];
  };
  put('mode', () => env.oneOf('ICIMS_MODE', MODES, DEFAULT_SETTINGS_VALUES.mode, 'mode'));
  put('authMethod', () => env.oneOf('ICIMS_AUTH', AUTH_METHODS, 'apiKey', 'authMethod'));
  put('apiStyle', () => env.oneOf('ICIMS_API_STYLE', API_STYLES, DEFAULT_SETTINGS_VALUES.apiStyle, 'apiStyle'));
  put('readBack', () => env.oneOf('ICIMS_READ_BACK', READ_BACK_MODES, DEFAULT_SETTINGS_VALUES.readBack, 'readBack'));
  for (const field of ['baseUrl', 'customerId', 'notesField', 'clientId', 'tokenUrl', 'username'] as const) {
    put(field, () => env.string(SETTING_ENV_NAMES[field], ''));
  }
  for (const field of ['rateLimitPerMin', 'maxConcurrency', 'dailyLimit', 'timeoutMs'] as const) {
    // A malformed number keeps the saved/default value but is reported, so it never runs silently.
    const fallback = typeof saved[field] === 'number' ? (saved[field] as number) : DEFAULT_SETTINGS_VALUES[field];
    put(field, () => env.integer(SETTING_ENV_NAMES[field], fallback, NUMBER_BOUNDS[field], field));
  }
  return values;
}

function mergeSecrets(env: EnvReader, saved: SavedSettings): Record<SecretField, string | null> {
  const pick = (field: SecretField) => env.raw(SECRET_ENV_NAMES[field]) ?? (saved[field] || null);
  return { apiKey: pick('apiKey'), clientSecret: pick('clientSecret'), password: pick('password') };
}

function authConfig(values: SettingsValues, secrets: Record<SecretField, string | null>): IcimsAuthConfig {
  const method = inferAuthMethod(values);
  if (method === 'oauth') {
    return {
      method,
      clientId: values.clientId.trim(),
      clientSecret: secretOrNull(secrets.clientSecret),
      tokenUrl: values.tokenUrl.trim(),
    };
  }
  if (method === 'basic') return { method, username: values.username.trim(), password: secretOrNull(secrets.password) };
  return { method, apiKey: secretOrNull(secrets.apiKey?.trim()) };
}

/**
 * Resolves the engine configuration from the environment (which wins) and the saved settings.
 * Throws a ConfigValidationError listing every problem, each under its environment variable;
 * secret values are never part of a message. Mock mode requires nothing, but what is given is
 * still checked (see src/shared/settings-rules.ts for the policy).
 */
export function resolveConfig(input: ResolveConfigInput): EngineConfig {
  const env = new EnvReader(input.env);
  const saved = input.saved ?? {};
  const values = mergeSettings(env, saved);
  const secrets = mergeSecrets(env, saved);

  const reported = new Set(env.issues.map((i) => i.variable));
  const fieldIssues: ConfigIssue[] = validateSettings(
    values,
    { apiKey: false, clientSecret: false, password: false },
    secrets,
  )
    .map((issue) => ({ variable: envNameOf(issue.field), field: issue.field as string, message: issue.message }))
    .filter((issue) => !reported.has(issue.variable));

  const d = ENV_ONLY_DEFAULTS;
  const httpRetryBaseMs = env.integer('ICIMS_HTTP_RETRY_BASE_MS', d.ICIMS_HTTP_RETRY_BASE_MS, { max: 60_000 });
  const circuitThreshold = env.integer('ICIMS_CIRCUIT_THRESHOLD', d.ICIMS_CIRCUIT_THRESHOLD, { max: 1000 });
  const circuitCooldownMs = env.integer('ICIMS_CIRCUIT_COOLDOWN_MS', d.ICIMS_CIRCUIT_COOLDOWN_MS, { max: DAY_MS });
  const leaseMs = env.integer('SYNC_LEASE_MS', d.SYNC_LEASE_MS, { max: DAY_MS });
  const pollIntervalMs = env.integer('SYNC_POLL_INTERVAL_MS', d.SYNC_POLL_INTERVAL_MS, { max: DAY_MS });
  const backoffMs = env.integerList('SYNC_BACKOFF_MS', [...d.SYNC_BACKOFF_MS], 7 * DAY_MS);
  const maxAttempts = env.integer('SYNC_MAX_ATTEMPTS', d.SYNC_MAX_ATTEMPTS, { max: 100 });
  const worker = env.oneOf('SYNC_WORKER', ['on', 'off'] as const, 'on');
  const team = teamConfig(env);
  const host = env.string('CONSOLE_HTTP_HOST', d.CONSOLE_HTTP_HOST);
  const port = env.integer('CONSOLE_HTTP_PORT', d.CONSOLE_HTTP_PORT, { min: 0, max: 65_535 });

  const apiToken = consoleToken(env, 'CONSOLE_API_TOKEN');
  const ingestToken = consoleToken(env, 'CONSOLE_INGEST_TOKEN');
  if (apiToken !== undefined && apiToken === ingestToken)
    env.issue('CONSOLE_INGEST_TOKEN', null, 'CONSOLE_INGEST_TOKEN must differ from CONSOLE_API_TOKEN');
  const tls = tlsFiles(env, host);

  const issues = [...env.issues, ...fieldIssues];
  if (issues.length > 0) throw new ConfigValidationError(issues);

  const auth = authConfig(values, secrets);
  const baseUrl = normaliseBaseUrl(values.baseUrl);
  const icims: EngineConfig['icims'] = {
    mode: values.mode,
    baseUrl,
    auth,
    apiStyle: values.apiStyle,
    customerId: values.customerId.trim() === '' ? null : values.customerId.trim(),
    notesField: values.notesField.trim() === '' ? DEFAULT_SETTINGS_VALUES.notesField : values.notesField.trim(),
    rateLimitPerMin: values.rateLimitPerMin,
    maxConcurrency: values.maxConcurrency,
    dailyLimit: values.dailyLimit,
    timeoutMs: values.timeoutMs,
    httpRetryBaseMs,
    circuitThreshold,
    circuitCooldownMs,
  };
  const lockedByEnvironment = [
    ...Object.entries(SETTING_ENV_NAMES).filter(([, name]) => env.isSet(name)),
    ...Object.entries(SECRET_ENV_NAMES).filter(([, name]) => env.isSet(name)),
  ].map(([field]) => field);

  return {
    icims,
    sync: { leaseMs, pollIntervalMs, backoffMs, maxAttempts, readBack: values.readBack, worker },
    team,
    http: { host, port, apiToken: secretOrNull(apiToken), ingestToken: secretOrNull(ingestToken), tls },
    dataDir: env.raw('CONSOLE_DATA_DIR') ?? null,
    summary: {
      mode: icims.mode,
      baseUrl,
      authMethod: auth.method,
      apiStyle: icims.apiStyle,
      hasCredential: hasCredential(auth),
    },
    lockedByEnvironment,
  };
}

/** docs/INTERFACES.md §1: the console's own tokens are at least this long. */
export const MIN_CONSOLE_TOKEN_LENGTH = 32;

/** A token set by environment, or undefined; a short one is reported under its variable (never echoed). */
function consoleToken(env: EnvReader, name: 'CONSOLE_API_TOKEN' | 'CONSOLE_INGEST_TOKEN'): string | undefined {
  const value = env.raw(name);
  if (value !== undefined && value.length < MIN_CONSOLE_TOKEN_LENGTH) {
    env.issue(
      name,
      null,
      `${name} must be at least ${MIN_CONSOLE_TOKEN_LENGTH} characters (it has ${value.length}); unset it to have one generated`,
    );
  }
  return value;
}

/** 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare);
}

/**
 * Beyond loopback, tokens and session credentials would cross the network in the clear: a bind
 * address other than loopback needs a certificate and key, or start-up refuses.
 */
function tlsFiles(env: EnvReader, host: string): { certFile: string; keyFile: string } | null {
  const certFile = env.raw('CONSOLE_TLS_CERT');
  const keyFile = env.raw('CONSOLE_TLS_KEY');
  if (certFile && keyFile) return { certFile, keyFile };
  if (certFile || keyFile) {
    env.issue(
      certFile ? 'CONSOLE_TLS_KEY' : 'CONSOLE_TLS_CERT',
      null,
      'CONSOLE_TLS_CERT and CONSOLE_TLS_KEY must be set together',
    );
  } else if (!isLoopbackHost(host)) {
    env.issue(
      'CONSOLE_HTTP_HOST',
      null,
      `CONSOLE_HTTP_HOST=${host} is not a loopback address: other machines could reach the console, and its tokens and sessions would cross the network unencrypted. Set CONSOLE_TLS_CERT and CONSOLE_TLS_KEY (PEM certificate and key files) to serve HTTPS, or bind to 127.0.0.1`,
    );
  }
  return null;
}

/**
 * SYNC_DATABASE_URL (team mode), SYNC_NODE_NAME and SYNC_TEAM_KEY. The URL is never echoed: it
 * may carry the database password. Node name and key are only read in team mode.
 */
function teamConfig(env: EnvReader): TeamConfig | null {
  const url = env.raw('SYNC_DATABASE_URL');
  if (url === undefined) return null;
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (!parsed || !['postgres:', 'postgresql:'].includes(parsed.protocol)) {
    env.issue(
      'SYNC_DATABASE_URL',
      null,
      'SYNC_DATABASE_URL must be a PostgreSQL connection string (postgres://user:password@host:5432/database)',
    );
    return null;
  }
  let name = '';
  try {
    name = nodeName({ SYNC_NODE_NAME: env.raw('SYNC_NODE_NAME') });
  } catch (error) {
    env.issue('SYNC_NODE_NAME', null, (error as Error).message);
  }
  let teamKey: Buffer | null = null;
  try {
    teamKey = parseTeamKey(env.raw('SYNC_TEAM_KEY'));
  } catch (error) {
    env.issue('SYNC_TEAM_KEY', null, (error as Error).message);
  }
  const databaseUrl = secretOrNull(url);
  return databaseUrl ? { databaseUrl, nodeName: name, teamKey } : null;
}
