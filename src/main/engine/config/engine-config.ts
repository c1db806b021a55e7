import type { AuthMethod } from '../../../shared/settings-rules';
import type { Secret } from './secret';

/**
 * The typed configuration the engine runs on, resolved once from the environment and the saved
 * settings (see resolve-config.ts). Credentials are `Secret`s: logging, stringifying or
 * inspecting a config never shows them.
 */

export type IcimsAuthConfig =
  | { method: 'apiKey'; apiKey: Secret | null }
  | { method: 'oauth'; clientId: string; clientSecret: Secret | null; tokenUrl: string }
  | { method: 'basic'; username: string; password: Secret | null };

export interface IcimsConfig {
  mode: 'mock' | 'real';
  /** Without a trailing slash; '' when not configured (only possible in mock mode). */
  baseUrl: string;
  auth: IcimsAuthConfig;
  apiStyle: 'applications' | 'workflows';
  /** Required for the workflows style; null when not set. */
  customerId: string | null;
  notesField: string;
  rateLimitPerMin: number;
  maxConcurrency: number;
  dailyLimit: number;
  timeoutMs: number;
  httpRetryBaseMs: number;
  circuitThreshold: number;
  circuitCooldownMs: number;
}

export interface SyncConfig {
  leaseMs: number;
  pollIntervalMs: number;
  /** SYNC_BACKOFF_MS: the wait after the initial write fails, then after retry 1, 2, … */
  backoffMs: number[];
  maxAttempts: number;
  /** ICIMS_READ_BACK: `auto` reads an in-doubt write back before re-sending it; `off` trusts the key. */
  readBack: 'auto' | 'off';
  /** SYNC_WORKER: `off` gives a console that shows and operates the queue but sends nothing. */
  worker: 'on' | 'off';
}

/** Team mode (SYNC_DATABASE_URL set): one queue on PostgreSQL shared by several engines. */
export interface TeamConfig {
  /** SYNC_DATABASE_URL: may carry a password, so it is a Secret (redacted everywhere). */
  databaseUrl: Secret;
  /** SYNC_NODE_NAME, else `<hostname>-<pid>`: this engine's name in the ops snapshot's `nodes`. */
  nodeName: string;
  /** SYNC_TEAM_KEY (32 bytes): seals the secrets and tokens the team stores; null keeps them per engine. */
  teamKey: Buffer | null;
}

export interface HttpConfig {
  host: string;
  port: number;
  /** CONSOLE_API_TOKEN when set; null means "generate one and store it". */
  apiToken: Secret | null;
  /** CONSOLE_INGEST_TOKEN when set; null means "generate one and store it". */
  ingestToken: Secret | null;
  /** CONSOLE_TLS_CERT / CONSOLE_TLS_KEY: HTTPS for the local API (required beyond loopback). */
  tls: { certFile: string; keyFile: string } | null;
}

/** Safe to show anywhere (ops JSON, Settings screen, logs). */
export interface ConfigSummary {
  mode: 'mock' | 'real';
  baseUrl: string;
  authMethod: AuthMethod;
  apiStyle: 'applications' | 'workflows';
  /** Whether the selected auth method has all its credentials (never the credentials). */
  hasCredential: boolean;
}

export interface EngineConfig {
  icims: IcimsConfig;
  sync: SyncConfig;
  /** Null: the embedded SQLite queue (the default). */
  team: TeamConfig | null;
  http: HttpConfig;
  /** CONSOLE_DATA_DIR; null means the host's default (Electron userData, headless ./data). */
  dataDir: string | null;
  summary: ConfigSummary;
  /** Settings and secret fields whose value comes from the environment (read-only in Settings). */
  lockedByEnvironment: string[];
}

export function hasCredential(auth: IcimsAuthConfig): boolean {
  switch (auth.method) {
    case 'apiKey':
      return auth.apiKey !== null;
    case 'oauth':
      return auth.clientId !== '' && auth.clientSecret !== null && auth.tokenUrl !== '';
    case 'basic':
      return auth.username !== '' && auth.password !== null;
  }
}

/** Every credential value in the config, for the redactor. */
export function secretValues(config: Pick<EngineConfig, 'icims' | 'http'> & { team?: TeamConfig | null }): string[] {
  const secrets: (Secret | null)[] = [config.http.apiToken, config.http.ingestToken, config.team?.databaseUrl ?? null];
  const auth = config.icims.auth;
  if (auth.method === 'apiKey') secrets.push(auth.apiKey);
  if (auth.method === 'oauth') secrets.push(auth.clientSecret);
  if (auth.method === 'basic') secrets.push(auth.password);
  const values = secrets.filter((s): s is Secret => s !== null).map((s) => s.reveal());
  // A driver error can quote the password alone, without the rest of the connection string.
  const dbPassword = config.team ? databasePassword(config.team.databaseUrl.reveal()) : '';
  return dbPassword === '' ? values : [...values, dbPassword];
}

function databasePassword(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}
