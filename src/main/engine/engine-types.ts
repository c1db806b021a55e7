import type { ConsoleApiHandlers, PushEvent } from '../../shared/console-api';
import type { InputIssue } from '../../shared/scheduling-event';
import type { Clock } from './clock';
import type { ConsoleTokens } from './host/console-tokens';
import type { SessionStore } from './host/session-store';
import type { AuditRecord } from './audit/audit-trail';
import type { IssueTransition } from './issues/issue-store';
import type { Logger } from './logger';
import type { SecretStore } from './settings/secret-store';

/** What `createEngine` needs from its host (Electron main process or headless entry). */
export interface EngineOptions {
  /** Where `console.db` and the log file live (CONSOLE_DATA_DIR, else the host's default). */
  dataDir: string;
  /** The environment, `.env.local` and `.env` already merged (real env wins). */
  env: Record<string, string | undefined>;
  secretStore: SecretStore;
  clock?: Clock;
  /**
   * Path to a better-sqlite3 binary built for the host's ABI (Electron's differs from Node's);
   * passed to better-sqlite3's `nativeBinding` option. Omitted in plain Node.
   */
  nativeBinding?: string;
  /** Structured log sink; the engine adds its own file log in `dataDir`. */
  logger?: Logger;
  /**
   * How long `stop()` lets calls in flight finish before it aborts them and releases their jobs
   * (default 10 s). Hosts with a hard exit deadline (a service manager's stop timeout) lower it.
   */
  shutdownGraceMs?: number;
  /** The console's version for the diagnostics bundle (the desktop app passes app.getVersion()). */
  appVersion?: string;
  /** Delays between webhook delivery tries (tests shorten them). */
  webhookRetryDelaysMs?: readonly number[];
}

export type IngestResult =
  { ok: true; jobs: { eventId: string; jobId: number; duplicate: boolean }[] } | { ok: false; issues: InputIssue[] };

/** The running engine as its hosts see it: the ConsoleApi plus what the local API needs. */
export interface Engine {
  readonly api: ConsoleApiHandlers;
  /**
   * Validates and stores events in one transaction (all or nothing) and wakes the worker.
   * Duplicate event ids store nothing and return the existing job.
   */
  ingest(events: unknown[]): Promise<IngestResult>;
  /** The API and ingest tokens (environment, else generated and kept 0600 in the data folder). */
  readonly tokens: ConsoleTokens;
  /** The API token as it is now (a rotation changes it). */
  readonly apiToken: string;
  /** Browser sessions of the headless console, kept hashed in the database. */
  readonly sessions: SessionStore;
  /** Where the local API binds (CONSOLE_HTTP_HOST / CONSOLE_HTTP_PORT), and its TLS files if any. */
  readonly http: { host: string; port: number; tls: { certFile: string; keyFile: string } | null };
  /** "Something changed": the renderer invalidates the matching queries. Returns an unsubscribe. */
  onPush(listener: (event: PushEvent) => void): () => void;
  /**
   * An issue opened, escalated or resolved (a snoozed one stays quiet): the desktop app's
   * notifications follow it, as the webhook does. Returns an unsubscribe.
   */
  onIssueTransition(listener: (transition: IssueTransition) => void): () => void;
  /**
   * The audit trail. Hosts record what happens outside ConsoleApi through it — the local server's
   * sign-in and sign-out (`action: 'sign_in' | 'sign_out'`, the session's actor).
   */
  readonly audit: { record(entry: AuditRecord): void };
  /** Looks at the console once and updates the issues (the engine also does it every 5 s). */
  checkIssues(): Promise<IssueTransition[]>;
  start(): Promise<void>;
  /** Stops taking new jobs; lets in-flight calls finish (or releases their jobs); closes the database. */
  stop(): Promise<void>;
}
