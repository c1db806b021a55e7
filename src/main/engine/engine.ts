import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ConsoleApiHandlers } from '../../shared/console-api';
import type { SchedulingEvent } from '../../shared/scheduling-event';
import { systemClock } from './clock';
import type { EngineConfig } from './config/engine-config';
import { secretValues } from './config/engine-config';
import { resolveConfig } from './config/resolve-config';
import type { Engine, EngineOptions, IngestResult } from './engine-types';
import { ConsoleTokens } from './host/console-tokens';
import { loadOrCreateKey, secureDataDir } from './host/private-files';
import { SessionStore } from './host/session-store';
import { lockDataDir } from './host/data-dir-lock';
import { createIcimsClient } from './icims/create-client';
import type { IcimsClientHandle } from './icims/create-client';
import { jobContext } from './job-context';
import { JsonLogger } from './json-logger';
import type { Logger } from './logger';
import { AlertWatcher } from './ops/alert-watcher';
import { ApiCallRepository } from './ops/api-call-repository';
import { createRedactor, redactFields } from './redaction';
import { PushHub } from './push-hub';
import { credentialFingerprint } from './settings/credential-fingerprint';
import { SettingsService } from './settings/settings-service';
import { TrafficSimulator } from './simulation/traffic-simulator';
import { openDatabase } from './sync/database';
import { destinationOf, pointQueueAt } from './sync/destination';
import { ingestEvents } from './sync/ingest';
import { WorkerPauseStore } from './sync/worker-pause-store';
import { SyncWorker } from './sync/sync-worker';
import { sqliteWorkerQueue } from './sync/worker-queue';
import { createConsoleApi } from './console-api-handlers';
import { createConsoleTokenHandlers } from './console-token-handlers';
import { AuditTrail } from './audit/audit-trail';
import { withAuditTrail } from './audit/audited-handlers';
import { buildDiagnosticsBundle, runtimeVersions } from './diagnostics/diagnostics-bundle';
import { AlertSettingsService } from './issues/alert-settings-service';
import { createIssueHandlers } from './issues/issue-handlers';
import { IssueMonitor } from './issues/issue-monitor';
import { IssueStore } from './issues/issue-store';
import { WebhookSender } from './issues/webhook-sender';

const PRUNE_INTERVAL_MS = 60 * 60_000;

/**
 * Everything the iCIMS client is built from; the client (with its breaker, limiter and token
 * cache) is only rebuilt when this changes. Secrets enter through their hash only.
 */
function clientIdentity(config: EngineConfig, key: Buffer): string {
  return `${credentialFingerprint(config, key)}:${JSON.stringify({ ...config.icims, auth: null })}`;
}

/**
 * Composition root: one SQLite file, one iCIMS client (rebuilt when settings change), one
 * worker, the ops views over them, and the ConsoleApi both transports carry.
 *
 * Throws before anything runs when the configuration from the environment is invalid (a
 * ConfigValidationError with the message of docs/INTERFACES.md §1), the data folder is in use, or the
 * database cannot be opened safely.
 */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const clock = options.clock ?? systemClock;
  const dataDir = options.dataDir;
  const dbFile = join(dataDir, 'console.db');
  // With no database yet nothing is saved, so the environment alone is the configuration: check
  // it before the data folder gets a database, a log or a lock from a start that cannot succeed.
  if (!existsSync(dbFile)) resolveConfig({ env: options.env });
  secureDataDir(dataDir);
  const unlock = lockDataDir(dataDir);

  let secrets: string[] = [];
  const redact = createRedactor(() => secrets);
  const logFile = join(dataDir, 'console.log');
  const fileLog = new JsonLogger({ file: logFile, redact });
  const logger: Logger = {
    log(level, event, fields) {
      const clean = fields ? redactFields(fields, redact) : fields;
      fileLog.log(level, event, clean);
      options.logger?.log(level, event, clean);
    },
  };

  let db: ReturnType<typeof openDatabase> | null = null;
  try {
    db = openDatabase(dbFile, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    const settings = new SettingsService(db, options.secretStore, options.env, logger);
    let config: EngineConfig = settings.resolve();
    const tokens = new ConsoleTokens(dataDir, {
      api: config.http.apiToken?.reveal() ?? null,
      ingest: config.http.ingestToken?.reveal() ?? null,
    });
    const fingerprintKey = loadOrCreateKey(join(dataDir, 'credential-key'));
    const alertSettings = new AlertSettingsService(db, options.secretStore, logger);
    const learnSecrets = () => {
      const webhookUrl = alertSettings.webhookUrl();
      secrets = [...secretValues(config), ...tokens.values(), ...(webhookUrl ? [webhookUrl] : [])];
    };
    learnSecrets();
    tokens.onChange(learnSecrets);
    // The database, its WAL and the log now exist: narrow whatever an older version left wider.
    secureDataDir(dataDir);

    const database = db;
    const calls = new ApiCallRepository(database, { logger });
    const sink = {
      record: (call: Parameters<ApiCallRepository['record']>[0]) =>
        calls.record({ ...call, jobId: jobContext.getStore()?.jobId ?? null }),
    };
    const push = new PushHub(clock);
    const buildClient = (cfg: EngineConfig): IcimsClientHandle => {
      const client = createIcimsClient(cfg.icims, {
        sink,
        clock,
        logger,
        dailyUsed: calls.dailyUsed(clock.now()),
        // Mock mode demonstrates trouble now and then without looking broken.
        mock: { failureRate: 0.01, rateLimitRate: 0.002 },
      });
      client.breaker.onChange(() => push.changed('sync'));
      return client;
    };
    let client = buildClient(config);

    // Where jobs go now; jobs made for another destination wait as `held` until it is back.
    let destination = destinationOf(config.icims);
    const pointAt = (next: string) => {
      const change = pointQueueAt(database, next, clock.now());
      if (change.held > 0 || change.released > 0) logger.log('info', 'jobs.destination_switched', { ...change });
    };
    pointAt(destination);

    const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    const pauseStore = new WorkerPauseStore(database, fingerprintKey);
    const worker = new SyncWorker({
      queue: sqliteWorkerQueue(
        database,
        () => config.sync.backoffMs,
        () => destination,
      ),
      client: () => client,
      clock,
      logger,
      owner,
      leaseMs: config.sync.leaseMs,
      pollIntervalMs: config.sync.pollIntervalMs,
      concurrency: () => config.icims.maxConcurrency,
      readBack: () => config.sync.readBack,
      circuitClosed: () => client.breaker.snapshot().state === 'closed',
      pauseStore: pauseStore.forCredentials(config),
      ...(options.shutdownGraceMs !== undefined ? { shutdownGraceMs: options.shutdownGraceMs } : {}),
      onChange: () => push.changed('jobs'),
    });

    const ingest = (events: unknown[]): IngestResult => {
      const result = ingestEvents(database, events, {
        defaultTimezone: settings.consoleValues().timezone,
        maxAttempts: config.sync.maxAttempts,
        now: clock.now(),
        destination,
      });
      if (result.ok && result.jobs.some((job) => !job.duplicate)) {
        logger.log('info', 'events.ingested', {
          count: result.jobs.length,
          new: result.jobs.filter((job) => !job.duplicate).length,
        });
        worker.wake();
        push.changed('jobs');
      }
      return result;
    };

    const simulator = new TrafficSimulator((events: SchedulingEvent[]) => {
      const result = ingest(events);
      if (!result.ok) logger.log('error', 'simulation.invalid_event', { issues: result.issues });
    });
    const syncSimulator = () => {
      const on = config.icims.mode === 'mock' && settings.consoleValues().simulateTraffic;
      if (on && !simulator.running) simulator.start();
      if (!on && simulator.running) simulator.stop();
    };

    const applyConfig = (next: EngineConfig, credentialsChanged: boolean) => {
      const clientChanged = clientIdentity(next, fingerprintKey) !== clientIdentity(config, fingerprintKey);
      config = next;
      learnSecrets();
      const nextDestination = destinationOf(config.icims);
      if (nextDestination !== destination) {
        // Claims filter on it too, so this order (claims first, then the sweep) never sends a
        // job of the old destination to the new one.
        destination = nextDestination;
        pointAt(destination);
        push.changed('jobs');
      }
      if (clientChanged) {
        // In-flight calls hold the old client; closing lets them finish first.
        const previous = client;
        client = buildClient(config);
        void previous.close();
      }
      if (credentialsChanged) {
        worker.credentialsChanged();
        // Another endpoint or account: what the old one said (429 wait, open circuit) no longer
        // applies. Anything else — the time zone, the simulation toggle, even the pacing — must
        // not lift a wait iCIMS asked for.
        worker.clearHold();
      }
      pauseStore.rememberCredentials(config);
      worker.wake();
      syncSimulator();
      push.changed('settings');
    };

    // Test connection is an admin's check, not a call of the sync: it counts nowhere in the ops
    // numbers (health, success rate, Recent failures, budget). The audit trail records its outcome.
    const adminCheckSink = { record: () => {} };
    const audit = new AuditTrail(database, clock, () => push.changed('audit'), redact);
    const issues = new IssueStore(database);
    const webhook = new WebhookSender({
      url: () => alertSettings.webhookUrl(),
      format: () => alertSettings.values().webhookFormat,
      logger,
      source: `iCIMS Sync Console on ${hostname()}`,
      ...(options.webhookRetryDelaysMs ? { retryDelaysMs: options.webhookRetryDelaysMs } : {}),
    });
    const core = createConsoleApi({
      db: database,
      clock,
      logger,
      settings,
      worker,
      config: () => config,
      client: () => client,
      buildTestClient: (cfg) =>
        createIcimsClient(cfg.icims, { sink: adminCheckSink, clock, logger, dailyUsed: calls.dailyUsed(clock.now()) }),
      applyConfig,
      notify: (change) => push.changed(change),
      openIssues: () => issues.openCount(),
    });
    const issueHandlers = createIssueHandlers({
      clock,
      audit,
      issues,
      alertSettings,
      webhook,
      changed: () => push.changed('alerts'),
      secretsChanged: learnSecrets,
      diagnostics: async (includePersonalData) =>
        buildDiagnosticsBundle(database, {
          now: clock.now(),
          versions: runtimeVersions(database, options.appVersion),
          settings: await core.getSettings({}),
          alertSettings: alertSettings.view(),
          http: { host: config.http.host, port: config.http.port },
          snapshot: await core.getSnapshot({}),
          issues: issues.list(clock.now()),
          logFile,
          redact,
          includePersonalData,
        }),
    });
    const api: ConsoleApiHandlers = withAuditTrail(
      { ...core, ...issueHandlers, ...createConsoleTokenHandlers(tokens, logger) },
      audit,
      { settings: () => core.getSettings({}), alertSettings: async () => alertSettings.view() },
    );
    const sessions = new SessionStore(database, () => clock.now());
    const alerts = new AlertWatcher(() => api.getSnapshot({}), logger);
    const issueMonitor = new IssueMonitor({
      db: database,
      store: issues,
      clock,
      logger,
      snapshot: () => core.getSnapshot({}),
      settings: () => alertSettings.values(),
      timeZone: () => settings.consoleValues().timezone,
      onTransition: (transition) => webhook.send(transition),
      onChange: () => push.changed('alerts'),
    });

    let pruneTimer: NodeJS.Timeout | null = null;
    let started = false;
    let stopped = false;
    logger.log('info', 'engine.created', {
      dataDir,
      mode: config.icims.mode,
      baseUrl: config.icims.baseUrl,
      auth: config.icims.auth.method,
    });

    return {
      api,
      ingest,
      tokens,
      get apiToken() {
        return tokens.value('api');
      },
      sessions,
      http: { host: config.http.host, port: config.http.port, tls: config.http.tls },
      onPush: (listener) => push.subscribe(listener),
      onCriticalAlert: (listener) => alerts.subscribe(listener),
      audit: { record: (entry) => audit.record(entry) },
      checkIssues: () => issueMonitor.check(),
      async start() {
        if (started) return;
        started = true;
        const prune = () => {
          calls.prune(clock.now());
          sessions.pruneExpired();
          audit.pruneOlderThan(clock.now());
          issues.prune(clock.now());
        };
        prune();
        pruneTimer = setInterval(prune, PRUNE_INTERVAL_MS);
        pruneTimer.unref();
        worker.start();
        alerts.start();
        issueMonitor.start();
        syncSimulator();
        logger.log('info', 'engine.started', { owner });
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        simulator.stop();
        alerts.stop();
        issueMonitor.stop();
        webhook.stop();
        if (pruneTimer) clearInterval(pruneTimer);
        await worker.stop();
        await client.close();
        calls.close();
        push.close();
        database.close();
        unlock();
        logger.log('info', 'engine.stopped');
        await fileLog.close();
      },
    };
  } catch (error) {
    db?.close();
    unlock();
    await fileLog.close();
    throw error;
  }
}
