import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, inject } from 'vitest';
import pg from 'pg';
import type { JobDetail, JobStatus } from '../../src/shared/jobs';
import type { SaveSettingsInput } from '../../src/shared/settings';
import { resolveConfig } from '../../src/main/engine/config/resolve-config';
import { createEngine } from '../../src/main/engine/engine';
import type { Engine } from '../../src/main/engine/engine-types';
import { silentLogger } from '../../src/main/engine/logger';
import { FileKeySecretStore } from '../../src/main/engine/settings/file-key-secret-store';
import { SettingsService } from '../../src/main/engine/settings/settings-service';
import { openDatabase } from '../../src/main/engine/sync/database';
import { startLocalServer } from '../../src/main/server/local-server';
import type { LocalServer } from '../../src/main/server/local-server';
import { startFakeIcims } from '../fakes/fake-icims';
import type { FakeIcims, FakeIcimsOptions } from '../fakes/fake-icims';
import { OffsetClock } from './offset-clock';
import { onDatabase } from './pg-cluster';

export const TEST_API_KEY = 'test-api-key-0123456789';
export const TEST_CONSOLE_TOKEN = 'console-token-for-tests-0123456789';

/** Environment for a real-mode console against the fake, with schedules short enough for tests. */
export function testEnv(fake: FakeIcims, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ICIMS_MODE: 'real',
    ICIMS_BASE_URL: fake.url,
    ICIMS_API_KEY: TEST_API_KEY,
    ICIMS_HTTP_RETRY_BASE_MS: '5',
    ICIMS_RATE_LIMIT_PER_MIN: '6000',
    ICIMS_TIMEOUT_MS: '2000',
    ICIMS_CIRCUIT_COOLDOWN_MS: '60000',
    SYNC_BACKOFF_MS: '200,400,600,800,1000',
    SYNC_POLL_INTERVAL_MS: '100',
    SYNC_LEASE_MS: '2000',
    CONSOLE_HTTP_HOST: '127.0.0.1',
    CONSOLE_HTTP_PORT: '0',
    CONSOLE_API_TOKEN: TEST_CONSOLE_TOKEN,
    ...overrides,
  };
}

/**
 * A parsed local API answer. Loosely typed on purpose: tests read many response shapes and assert
 * on them field by field (or parse them with the contract's schemas).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ApiBody = any;

export interface ConsoleHarness {
  fake: FakeIcims;
  engine: Engine;
  server: LocalServer;
  dataDir: string;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The engine's clock: real time, which a test may jump forward. */
  clock: OffsetClock;
  /** Calls the local API; `token: null` sends no Authorization header. */
  api(
    method: string,
    path: string,
    options?: { body?: unknown; raw?: string | Buffer; token?: string | null; headers?: Record<string, string> },
  ): Promise<{ status: number; body: ApiBody }>;
  /** Polls the job until it has `status` and, when given, `until(job)` holds; returns it. */
  waitForJob(id: number, status: JobStatus, until?: (job: JobDetail) => boolean): Promise<JobDetail>;
  /**
   * Resolves after the worker has made one whole pass over the queue that began after this call.
   * "Nothing was sent" is proven over such a turn (while no call is in flight), never by sleeping.
   */
  workerTurn(): Promise<void>;
  /** Stops the console (not the fake): a restart can reuse the data folder. */
  stopConsole(): Promise<void>;
  /** Starts a new console on the same data folder and fake. */
  restart(env?: Record<string, string>): Promise<ConsoleHarness>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  fake?: FakeIcimsOptions;
  /** The whole environment, or a function of the fake (default: testEnv(fake) with `envOverrides`). */
  env?: Record<string, string> | ((fake: FakeIcims) => Record<string, string>);
  /** Merged over testEnv(fake) when `env` is not given. */
  envOverrides?: Record<string, string>;
  /** Reuse an existing fake and data folder (restart), and in team mode the same database. */
  existing?: { fake: FakeIcims; dataDir: string; teamDatabaseUrl: string | null };
  /** The engine's clock (default: a fresh OffsetClock, i.e. real time). */
  clock?: OffsetClock;
  /** The engine's shutdown grace for calls in flight (default: the engine's, 10 s). */
  shutdownGraceMs?: number;
  /**
   * Settings saved through the Settings service before the engine first starts, as an admin
   * would have saved them in an earlier run (for values the environment must not lock).
   */
  savedSettings?: { values?: SaveSettingsInput['values']; secrets?: SaveSettingsInput['secrets'] };
}

/**
 * Saves settings into a data folder the way the Settings screen does (secrets encrypted with the
 * folder's key file), with no environment locking anything.
 */
export function seedSettings(dataDir: string, saved: NonNullable<HarnessOptions['savedSettings']>): void {
  const db = openDatabase(join(dataDir, 'console.db'));
  try {
    const settings = new SettingsService(db, new FileKeySecretStore(dataDir), {}, silentLogger);
    settings.save({ values: saved.values ?? {}, secrets: saved.secrets ?? {} }, resolveConfig({ env: {} }));
  } finally {
    db.close();
  }
}

/**
 * A real console (engine + local API) on a temp data folder, writing to the fake iCIMS over real
 * HTTP. Each call gets its own folder and ports, so tests can run in parallel.
 */
export async function startConsole(options: HarnessOptions = {}): Promise<ConsoleHarness> {
  const fake =
    options.existing?.fake ??
    (await startFakeIcims({ auth: { mode: 'apiKey', apiKey: TEST_API_KEY }, ...options.fake }));
  const dataDir = options.existing?.dataDir ?? mkdtempSync(join(tmpdir(), 'console-it-'));
  const env = await onQueueBackend(
    typeof options.env === 'function' ? options.env(fake) : (options.env ?? testEnv(fake, options.envOverrides)),
    options.existing?.teamDatabaseUrl ?? null,
  );
  if (options.savedSettings) seedSettings(dataDir, options.savedSettings);
  const clock = options.clock ?? new OffsetClock();
  const engine = await createEngine({
    dataDir,
    env,
    secretStore: new FileKeySecretStore(dataDir),
    clock,
    ...(options.shutdownGraceMs !== undefined ? { shutdownGraceMs: options.shutdownGraceMs } : {}),
  });
  await engine.start();
  const server = await startLocalServer({ engine, staticDir: null, logger: { log: () => {} } });
  let consoleStopped = false;

  const harness: ConsoleHarness = {
    fake,
    engine,
    server,
    dataDir,
    url: server.url,
    clock,
    waitForJob(id, status, until) {
      return waitFor(
        async () => {
          const job = await engine.api.getJob({ id });
          return job.status === status && (until?.(job) ?? true) ? job : null;
        },
        { what: `job ${id} to be ${status}` },
      );
    },
    workerTurn: () => clock.nextSleep(),
    async api(method, path, opts = {}) {
      const token = opts.token === undefined ? engine.apiToken : opts.token;
      const headers: Record<string, string> = { ...opts.headers };
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let body: string | Buffer | undefined = opts.raw;
      if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] = 'application/json';
      }
      const res = await request(`${server.url}${path}`, { method: method as 'GET', headers, body });
      const text = await res.body.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: res.statusCode, body: parsed };
    },
    async stopConsole() {
      if (consoleStopped) return;
      consoleStopped = true;
      await server.close();
      await engine.stop();
    },
    async restart(nextEnv) {
      await harness.stopConsole();
      // The fake and the data folder are the new console's to close now.
      open.delete(harness);
      const teamDatabaseUrl = env.SYNC_DATABASE_URL ?? null;
      return startConsole({ env: nextEnv ?? env, existing: { fake, dataDir, teamDatabaseUrl }, clock });
    },
    async close() {
      open.delete(harness);
      await harness.stopConsole();
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  open.add(harness);
  return harness;
}

/** Which queue the suites run on: the `postgres` project of vitest.config.ts sets it. */
export const queueBackend: 'sqlite' | 'postgres' =
  process.env.TEST_QUEUE_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

let teamDatabases = 0;

/** The team key of the `postgres` project's consoles (32 bytes, base64). */
export const TEST_TEAM_KEY = Buffer.alloc(32, 0x5a).toString('base64');

/**
 * In the `postgres` project every console runs in team mode on a database of its own (a restart
 * keeps it), so the suites check the same behaviour on both queues. A test that sets
 * SYNC_DATABASE_URL itself keeps its own.
 */
async function onQueueBackend(env: Record<string, string>, existing: string | null): Promise<Record<string, string>> {
  if (queueBackend === 'sqlite' || env.SYNC_DATABASE_URL) return env;
  if (existing) return { SYNC_TEAM_KEY: TEST_TEAM_KEY, ...env, SYNC_DATABASE_URL: existing };
  const clusterUrl = inject('teamPgUrl');
  if (!clusterUrl) throw new Error('the postgres project has no cluster (see pg-global-setup.ts)');
  const name = `console_${process.pid}_${++teamDatabases}`;
  await onDatabase(clusterUrl, (client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  return { ...env, SYNC_DATABASE_URL: clusterUrl.replace(/\/postgres$/, `/${name}`), SYNC_TEAM_KEY: TEST_TEAM_KEY };
}

/** Consoles started and not yet closed (a restarted one hands its fake and folder on). */
const open = new Set<ConsoleHarness>();

/** Closes, after each test of the file, every console the test started (and its fake and folder). */
export function closeConsolesAfterEach(): void {
  afterEach(async () => {
    await Promise.all([...open].map((harness) => harness.close()));
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a truthy value (or throws after `timeoutMs`). */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 25, what = 'condition' } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(intervalMs);
  }
}

let counter = 0;

/** A valid contract event of the given type; fields can be overridden. */
export function makeEvent(
  type: 'link_created' | 'booked' | 'rescheduled' | 'cancelled',
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  counter += 1;
  const base = {
    eventId: `evt-${process.pid}-${Date.now().toString(36)}-${counter}`,
    applicationId: 'APP-12345',
    entityId: '0b6f3c7e-6c1e-4f3b-9a59-5a1f7f2b8c11',
    occurredAt: '2026-01-15T18:59:00Z',
    candidateName: 'John Doe',
    interviewerEmail: 'interviewer@company.com',
    timezone: 'America/New_York',
  };
  switch (type) {
    case 'link_created':
      return {
        ...base,
        type,
        entityType: 'scheduling_request',
        schedulingLinkUrl: 'https://scheduling.example.com/s/abc123',
        ...overrides,
      };
    case 'booked':
      return {
        ...base,
        type,
        entityType: 'booking',
        startsAt: '2026-01-16T19:00:00Z',
        endsAt: '2026-01-16T19:45:00Z',
        ...overrides,
      };
    case 'rescheduled':
      return {
        ...base,
        type,
        entityType: 'booking',
        startsAt: '2026-01-17T20:00:00Z',
        previousStartsAt: '2026-01-16T19:00:00Z',
        ...overrides,
      };
    case 'cancelled':
      return {
        ...base,
        type,
        entityType: 'booking',
        startsAt: '2026-01-17T20:00:00Z',
        reason: 'Candidate withdrew',
        ...overrides,
      };
  }
}
