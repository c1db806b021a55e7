import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ConsoleApiHandlers } from '../../shared/console-api';
import type { Change } from '../../shared/live-updates';
import type { SchedulingEvent } from '../../shared/scheduling-event';
import { systemClock } from './clock';
import { secretValues } from './config/engine-config';
import type { TeamConfig } from './config/engine-config';
import { credentialFingerprint } from './settings/credential-fingerprint';
import { resolveConfig } from './config/resolve-config';
import type { Engine, EngineOptions, IngestResult } from './engine-types';
import { ConsoleTokens } from './host/console-tokens';
import { createConsoleTokenHandlers } from './host/console-token-handlers';
import { loadOrCreateKey, secureDataDir } from './host/private-files';
import { SessionStore } from './host/session-store';
import { lockDataDir } from './host/data-dir-lock';
import { JsonLogger } from './json-logger';
import { KnownSecrets } from './known-secrets';
import { LiveIcimsClient } from './live-client';
import { LiveConfig } from './live-config';
import type { Logger } from './logger';
import { ApiCallRepository } from './ops/api-call-repository';
import { TeamAuditTrail } from './team/team-audit-trail';
import { TeamCallLog } from './team/team-call-log';
import { createOpsHandlers } from './ops/ops-handlers';
import { createRedactor, redactFields } from './redaction';
import { PushHub } from './push-hub';
import { createSettingsHandlers } from './settings/settings-handlers';
import { SettingsService } from './settings/settings-service';
import { TrafficSimulator } from './simulation/traffic-simulator';
import { openDatabase } from './sync/database';
import { destinationOf } from './sync/destination';
import { ingestEvents } from './sync/ingest';
import { createJobHandlers } from './sync/job-handlers';
import { sqliteJobStore } from './sync/job-store';
import { pruneJobs } from './sync/prune-jobs';
import { WorkerPauseStore } from './sync/worker-pause-store';
import { SyncWorker } from './sync/sync-worker';
import { sqliteWorkerQueue } from './sync/worker-queue';
import type { WorkerQueue } from './sync/worker-queue';
import { pgJobStore } from './team/pg-job-store';
import { pruneTeamRetention } from './team/pg-retention';
import { pgWorkerQueue } from './team/pg-worker-queue';
import { TeamCoordination, teamError, withTeamErrors } from './team/team-coordination';
import { TeamRuntime } from './team/team-runtime';
import { credentialsFrom, TeamSettings } from './team/team-settings';
import { AuditTrail } from './audit/audit-trail';
import type { AuditLog } from './audit/audit-trail';
import { withAuditTrail } from './audit/audited-handlers';
import { buildDiagnosticsBundle, runtimeVersions } from './diagnostics/diagnostics-bundle';
import { AlertSettingsService } from './issues/alert-settings-service';
import { createIssueHandlers } from './issues/issue-handlers';
import { IssueMonitor } from './issues/issue-monitor';
import { IssueStore } from './issues/issue-store';
import type { IssueTransition } from './issues/issue-store';
import { WebhookSender } from './issues/webhook-sender';

const PRUNE_INTERVAL_MS = 60 * 60_000;

/**
 * Composition root: one SQLite file, the live configuration (LiveConfig: what the engine runs with
 * now, and who reacts when Settings are saved), the iCIMS client it holds (LiveIcimsClient), one
 * worker, the ops views, and the ConsoleApi both transports carry — one handler map per area
 * (jobs, ops, settings, issues and audit, console tokens), wrapped by the audit trail. Every part
 * gets what it reads passed in; nothing reaches back into variables of this function.
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

  const secrets = new KnownSecrets();
  const redact = createRedactor(() => secrets.list());
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
  let team: TeamRuntime | null = null;
  let teamSettings: TeamSettings | null = null;
  try {
    db = openDatabase(dbFile, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    const database = db;
    const settings = new SettingsService(database, options.secretStore, options.env, logger);
    const live = new LiveConfig(settings.resolve());
    let initial = live.current();
    const tokens = new ConsoleTokens(dataDir, {
      api: initial.http.apiToken?.reveal() ?? null,
      ingest: initial.http.ingestToken?.reveal() ?? null,
    });
    // Team mode (SYNC_DATABASE_URL): the queue, the account's limits, pauses, settings and tokens
    // are the team's, in PostgreSQL, and so are the call records and the audit trail (each also
    // kept in this console's SQLite file). Sessions, issues and alert settings stay this console's.
    if (initial.team) {
      team = await TeamRuntime.open(initial.team, {
        version: runtimeVersions(database, options.appVersion).console ?? 'unknown',
        worker: initial.sync.worker === 'on',
        credentialsFrom: credentialsFrom(options.env, initial.icims.auth.method),
        logger,
        limits: () => ({
          perMinute: live.current().icims.rateLimitPerMin,
          dailyLimit: live.current().icims.dailyLimit,
        }),
      });
      teamSettings = new TeamSettings({
        db: team.db,
        state: team.state,
        settings,
        teamKey: initial.team.teamKey,
        node: initial.team.nodeName,
        current: () => live.current(),
        logger,
      });
      const joined = await teamSettings.join();
      if (joined.changed) live.apply(joined.config, joined.credentialsChanged);
      await teamSettings.syncTokens(tokens);
      initial = live.current();
    }
    const teamRuntime = team;
    const sharedSettings = teamSettings;
    const fingerprintKey = loadOrCreateKey(join(dataDir, 'credential-key'));
    const alertSettings = new AlertSettingsService(database, options.secretStore, logger);
    secrets.add(() => secretValues(live.current()));
    secrets.add(() => tokens.values());
    secrets.add(() => {
      const webhookUrl = alertSettings.webhookUrl();
      return webhookUrl ? [webhookUrl] : [];
    });
    tokens.onChange(() => secrets.refresh());
    live.onChange(() => secrets.refresh());
    // The database, its WAL and the log now exist: narrow whatever an older version left wider.
    secureDataDir(dataDir);

    const calls = new ApiCallRepository(database, { logger });
    // Team mode: every call also goes to the team's log, so the Dashboard's call figures are the
    // team's; this console's own stay in SQLite (shown while the database is away).
    const teamCalls = teamRuntime
      ? new TeamCallLog(teamRuntime.db, { node: teamRuntime.config.nodeName, logger })
      : null;
    const push = new PushHub(clock);
    const icims = new LiveIcimsClient(live, {
      // Team mode: a call that succeeds while the team's circuit is open was its probe.
      calls: teamRuntime
        ? {
            record: (call) => {
              calls.record(call);
              teamCalls?.record(call);
              coordination?.callRecorded(call);
            },
            dailyUsed: (now) => calls.dailyUsed(now),
          }
        : calls,
      clock,
      logger,
      fingerprintKey,
      onBreakerChange: () => {
        if (icims.current().breaker.snapshot().state === 'closed') coordination?.breakerClosed();
        push.changed('sync');
      },
      ...(teamRuntime ? { teamPacer: teamRuntime.pacer() } : {}),
    });
    const coordination = teamRuntime
      ? new TeamCoordination({
          team: teamRuntime,
          logger,
          changed: (change) => push.changed(change),
          credentials: () => credentialFingerprint(live.current(), teamFingerprintKey(teamRuntime.config)),
          cooldownMs: () => live.current().icims.circuitCooldownMs,
          // Settings first: a pause lifted because another console saved new credentials must
          // not resume this worker with the old ones (it would burn a job on a second 401).
          beforeFollow: async (state) => {
            if (sharedSettings && state.settingsVersion > sharedSettings.version)
              await followTeamSettings(sharedSettings, live, tokens, logger);
          },
        })
      : null;

    const jobs = teamRuntime ? pgJobStore(teamRuntime.db) : sqliteJobStore(database);
    // Jobs made for another destination wait as `held` until it is back. Claims filter on
    // live.destination() too, which changes before this sweep runs, so a job of the old
    // destination is never sent to the new one.
    const pointAt = async (destination: string) => {
      // A role that may only read changes nothing in the queue (it could not start otherwise):
      // the engines that send point the shared queue at their destination.
      if (teamRuntime?.readOnly) return;
      // The team's engines first learn where this one sends: their jobs are not held.
      await teamRuntime?.announceDestination(destination);
      const change = await jobs.pointAt(destination, clock.now());
      if (change.held > 0 || change.released > 0) logger.log('info', 'jobs.destination_switched', { ...change });
    };
    await pointAt(live.destination());
    // The switch a save started: the save answers once it is done (the team's queue is a round
    // trip away), so the Jobs screen shows the held jobs right after.
    let switching: Promise<void> = Promise.resolve();
    live.onChange(({ previous }) => {
      if (live.destination() === destinationOf(previous.icims)) return;
      switching = pointAt(live.destination()).then(
        () => push.changed('jobs'),
        (error: unknown) => logger.log('error', 'jobs.destination_switch_failed', { error: String(error) }),
      );
    });

    const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    const pauseStore = new WorkerPauseStore(database, fingerprintKey);
    const backoffMs = () => live.current().sync.backoffMs;
    const destination = () => live.destination();
    const workerQueue: WorkerQueue = teamRuntime
      ? (pgWorkerQueue(teamRuntime.db, { backoffMs, destination }) as unknown as WorkerQueue)
      : sqliteWorkerQueue(database, backoffMs, destination);
    const worker = new SyncWorker({
      queue: workerQueue,
      client: () => icims.current(),
      clock,
      logger,
      owner,
      leaseMs: initial.sync.leaseMs,
      pollIntervalMs: initial.sync.pollIntervalMs,
      concurrency: () => live.current().icims.maxConcurrency,
      readBack: () => live.current().sync.readBack,
      // A console whose database role may only read cannot claim: it sends nothing either.
      sends: initial.sync.worker === 'on' && !teamRuntime?.readOnly,
      circuitClosed: () =>
        icims.current().breaker.snapshot().state === 'closed' && (coordination?.circuitClosed() ?? true),
      pauseStore: coordination?.pauseStore() ?? pauseStore.forCredentials(initial),
      ...(coordination ? { onHold: (until, reason) => coordination.shareHold(until, reason, clock.now()) } : {}),
      ...(options.shutdownGraceMs !== undefined ? { shutdownGraceMs: options.shutdownGraceMs } : {}),
      onChange: () => {
        push.changed('jobs');
      },
    });

    const ingest = async (events: unknown[]): Promise<IngestResult> => {
      const result = await ingestEvents(jobs, events, {
        defaultTimezone: settings.consoleValues().timezone,
        maxAttempts: live.current().sync.maxAttempts,
        now: clock.now(),
        destination: live.destination(),
      }).catch((error: unknown) => {
        // Team mode: the database is away (503, the sender retries) or the role may not write.
        throw teamRuntime ? teamError(error, teamRuntime.readOnly) : error;
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
      ingest(events).then(
        (result) => {
          if (!result.ok) logger.log('error', 'simulation.invalid_event', { issues: result.issues });
        },
        (error: unknown) => logger.log('error', 'simulation.ingest_failed', { error: String(error) }),
      );
    });
    const syncSimulator = () => {
      const on = live.current().icims.mode === 'mock' && settings.consoleValues().simulateTraffic;
      if (on && !simulator.running) simulator.start();
      if (!on && simulator.running) simulator.stop();
    };

    live.onChange(({ config, credentialsChanged }) => {
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
    });

    const ownAudit = new AuditTrail(database, clock, () => push.changed('audit'), redact);
    // Team mode: the team's trail (every console's actions), this console's own kept beside it.
    const teamAudit = teamRuntime
      ? new TeamAuditTrail(teamRuntime.db, ownAudit, {
          node: teamRuntime.config.nodeName,
          clock,
          logger,
          redact,
          writable: () => !teamRuntime.readOnly,
        })
      : null;
    const audit: AuditLog = teamAudit ?? ownAudit;
    const issues = new IssueStore(database);
    const webhook = new WebhookSender({
      url: () => alertSettings.webhookUrl(),
      format: () => alertSettings.values().webhookFormat,
      logger,
      source: `iCIMS Sync Console on ${hostname()}`,
      ...(options.webhookRetryDelaysMs ? { retryDelaysMs: options.webhookRetryDelaysMs } : {}),
    });
    const notify = (change: Change) => push.changed(change);
    const jobHandlers = createJobHandlers({ jobs, clock, logger, worker, notify });
    const opsHandlers = createOpsHandlers({
      jobs,
      ...(teamCalls ? { calls: teamCalls, ownCalls: calls } : { calls }),
      clock,
      logger,
      live,
      icims,
      worker,
      notify,
      openIssues: () => issues.openCount(),
      ...(teamRuntime ? { team: () => teamRuntime.snapshot() } : {}),
    });
    const settingsHandlers = createSettingsHandlers({
      settings,
      live,
      icims,
      applied: () => switching,
      ...(sharedSettings ? { team: sharedSettings } : {}),
    });
    const issueHandlers = createIssueHandlers({
      clock,
      audit,
      issues,
      alertSettings,
      webhook,
      changed: () => push.changed('alerts'),
      secretsChanged: () => secrets.refresh(),
      diagnostics: async (includePersonalData) =>
        buildDiagnosticsBundle(database, {
          now: clock.now(),
          versions: runtimeVersions(database, options.appVersion),
          settings: await settingsHandlers.getSettings({}),
          alertSettings: alertSettings.view(),
          http: { host: live.current().http.host, port: live.current().http.port },
          snapshot: await opsHandlers.getSnapshot({}),
          issues: issues.list(clock.now()),
          logFile,
          redact,
          includePersonalData,
        }),
    });
    const audited: ConsoleApiHandlers = withAuditTrail(
      {
        ...jobHandlers,
        ...opsHandlers,
        ...settingsHandlers,
        ...issueHandlers,
        ...createConsoleTokenHandlers(tokens, logger),
      },
      audit,
      { settings: () => settingsHandlers.getSettings({}), alertSettings: async () => alertSettings.view() },
    );
    const api = teamRuntime ? withTeamErrors(audited, () => teamRuntime.readOnly) : audited;
    const sessions = new SessionStore(database, () => clock.now());
    const transitionListeners = new Set<(transition: IssueTransition) => void>();
    const issueMonitor = new IssueMonitor({
      db: database,
      store: issues,
      clock,
      logger,
      snapshot: () => opsHandlers.getSnapshot({}),
      settings: () => alertSettings.values(),
      timeZone: () => settings.consoleValues().timezone,
      onTransition: (transition) => {
        webhook.send(transition);
        for (const listener of transitionListeners) listener(transition);
      },
      onChange: () => push.changed('alerts'),
    });

    let pruneTimer: NodeJS.Timeout | null = null;
    let started = false;
    let stopped = false;
    logger.log('info', 'engine.created', {
      dataDir,
      mode: initial.icims.mode,
      baseUrl: initial.icims.baseUrl,
      auth: initial.icims.auth.method,
    });

    return {
      api,
      ingest,
      tokens,
      get apiToken() {
        return tokens.value('api');
      },
      sessions,
      http: { host: initial.http.host, port: initial.http.port, tls: initial.http.tls },
      onPush: (listener) => push.subscribe(listener),
      onIssueTransition: (listener) => {
        transitionListeners.add(listener);
        return () => transitionListeners.delete(listener);
      },
      audit: { record: (entry) => audit.record(entry) },
      checkIssues: () => issueMonitor.check(),
      async start() {
        if (started) return;
        started = true;
        const prune = () => {
          calls.prune(clock.now());
          sessions.pruneExpired();
          ownAudit.pruneOlderThan(clock.now());
          issues.prune(clock.now());
          if (!teamRuntime) pruneJobs(database, clock.now());
          // Any engine prunes the team's queue and call records (batches under SKIP LOCKED) and
          // points the queue again: the jobs of an iCIMS whose engines were lost since are held
          // (pointAt leaves those another active engine sends to).
          if (teamRuntime && !teamRuntime.readOnly)
            Promise.all([
              pruneTeamRetention(teamRuntime.db),
              teamRuntime.nodes.pruneLost(),
              pointAt(live.destination()),
            ]).catch((error: unknown) => logger.log('warn', 'team.prune_failed', { error: String(error) }));
        };
        prune();
        pruneTimer = setInterval(prune, PRUNE_INTERVAL_MS);
        pruneTimer.unref();
        if (teamRuntime && coordination && sharedSettings) {
          await teamAudit?.follow(() => push.changed('audit'));
          await coordination.start(worker);
          teamRuntime.start(() => worker.snapshot().inFlight);
        }
        worker.start();
        issueMonitor.start();
        syncSimulator();
        logger.log('info', 'engine.started', { owner });
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        simulator.stop();
        issueMonitor.stop();
        webhook.stop();
        if (pruneTimer) clearInterval(pruneTimer);
        await worker.stop();
        coordination?.stop();
        await coordination?.settled();
        teamAudit?.stop();
        await teamAudit?.settled();
        sharedSettings?.stop();
        await teamCalls?.close();
        await teamRuntime?.close();
        await icims.close();
        calls.close();
        push.close();
        database.close();
        unlock();
        logger.log('info', 'engine.stopped');
        await fileLog.close();
      },
    };
  } catch (error) {
    teamSettings?.stop();
    await team?.close();
    db?.close();
    unlock();
    await fileLog.close();
    throw error;
  }
}

/**
 * The key of the credential fingerprint in a team's auth pause: the team's key, else one derived
 * from where the database is (without its user or password), the same for every engine.
 */
function teamFingerprintKey(team: TeamConfig): Buffer {
  if (team.teamKey) return team.teamKey;
  const url = new URL(team.databaseUrl.reveal());
  return createHash('sha256').update(`icims-sync-console:${url.host}${url.pathname}`).digest();
}

/** Another console saved settings (or rotated a token): take the team's copy. A failure is logged, never fatal. */
async function followTeamSettings(
  team: TeamSettings,
  live: LiveConfig,
  tokens: ConsoleTokens,
  logger: Logger,
): Promise<void> {
  try {
    const pulled = await team.pull();
    if (pulled.changed) live.apply(pulled.config, pulled.credentialsChanged);
    await team.syncTokens(tokens);
  } catch (error) {
    logger.log('error', 'team.settings_not_applied', { error: error instanceof Error ? error.message : String(error) });
  }
}
