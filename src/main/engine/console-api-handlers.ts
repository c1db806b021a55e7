import type { Database } from 'better-sqlite3';
import type { ConsoleApiHandlers } from '../../shared/console-api';
import { ConsoleApiError } from '../../shared/console-api';
import type { Change } from '../../shared/live-updates';
import type { CircuitSnapshot, WorkerSnapshot } from '../../shared/ops-snapshot';
import type { Clock } from './clock';
import type { EngineConfig } from './config/engine-config';
import type { IcimsClientHandle } from './icims/create-client';
import type { Logger } from './logger';
import { latencySeries } from './ops/latency-series';
import { buildOpsSnapshot } from './ops/snapshot';
import type { SettingsService } from './settings/settings-service';
import { applicationTimeline } from './sync/application-timeline';
import { cancelJob } from './sync/cancel-job';
import { cancelJobs, retryJobs } from './sync/bulk-job-actions';
import { cancelFailureGroup, listFailureGroups, retryFailureGroup } from './sync/failure-groups';
import { countJobs } from './sync/job-counts';
import { getJobDetail } from './sync/job-detail';
import { listJobs } from './sync/list-jobs';
import { releaseCircuitHeldJobs } from './sync/release-circuit-held-jobs';
import { retryAllFailed, retryJob } from './sync/retry-job';
import type { SyncWorker } from './sync/sync-worker';
import type { IssueAuditMethods } from './issues/issue-handlers';

/**
 * The methods this file implements; issues, audit and diagnostics live in issues/issue-handlers.ts,
 * the console-token ones in console-token-handlers.ts (they need the token holder).
 */
export type CoreConsoleApiHandlers = Omit<
  ConsoleApiHandlers,
  IssueAuditMethods | 'getConsoleTokens' | 'revealConsoleToken' | 'rotateConsoleToken'
>;

export interface ConsoleApiDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  settings: SettingsService;
  worker: SyncWorker;
  config: () => EngineConfig;
  client: () => IcimsClientHandle;
  /** A throwaway client for Test connection with unsaved settings. */
  buildTestClient: (config: EngineConfig) => IcimsClientHandle;
  applyConfig: (config: EngineConfig, credentialsChanged: boolean) => void;
  /** Something was written: the push hub tells the renderers what that makes stale. */
  notify: (change: Change) => void;
  /** Issues open now, for the snapshot. */
  openIssues: () => number;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The engine's one implementation of ConsoleApi. Inputs arrive parsed by the transport. */
export function createConsoleApi(deps: ConsoleApiDeps): CoreConsoleApiHandlers {
  const { db, clock, settings, worker } = deps;
  const jobsChanged = () => deps.notify('jobs');

  return {
    async getSnapshot() {
      const config = deps.config();
      const client = deps.client();
      const breaker = client.breaker.snapshot();
      const circuit: CircuitSnapshot = {
        ...breaker,
        openedAt: iso(breaker.openedAt),
        nextProbeAt: iso(breaker.nextProbeAt),
      };
      const workerSnapshot = withClientRateLimitHold(worker.snapshot(), client.rateLimit().pausedUntil);
      return buildOpsSnapshot(db, {
        now: clock.now(),
        config: {
          mode: config.summary.mode,
          baseUrl: config.summary.baseUrl,
          hasApiKey: config.summary.hasCredential,
          authMethod: config.summary.authMethod,
          apiStyle: config.summary.apiStyle,
        },
        circuit,
        worker: workerSnapshot,
        dailyBudget: { limit: config.icims.dailyLimit },
        ratePerMin: config.icims.rateLimitPerMin,
        openIssues: deps.openIssues(),
        authFailure:
          worker.pausedFor === 'auth' && workerSnapshot.pausedAt
            ? {
                since: Date.parse(workerSnapshot.pausedAt),
                message: workerSnapshot.pausedReason ?? 'iCIMS rejected the credentials',
              }
            : null,
      });
    },

    async getLatencySeries({ hours }) {
      return latencySeries(db, { now: clock.now(), hours });
    },

    async listJobs(input) {
      return listJobs(db, input);
    },

    async getJobCounts(input) {
      return countJobs(db, input.applicationId ? { applicationId: input.applicationId } : {});
    },

    async getJob({ id }) {
      return getJobDetail(db, id);
    },

    async getApplicationTimeline({ applicationId }) {
      return applicationTimeline(db, applicationId);
    },

    async retryJob({ id }) {
      retryJob(db, id, clock.now());
      deps.logger.log('info', 'job.manual_retry', { jobId: id });
      worker.wake();
      jobsChanged();
      return { ok: true };
    },

    async cancelJob({ id }) {
      cancelJob(db, id, clock.now());
      deps.logger.log('info', 'job.cancelled', { jobId: id });
      jobsChanged();
      return { ok: true };
    },

    async retryAllFailed() {
      const count = retryAllFailed(db, clock.now());
      deps.logger.log('info', 'jobs.manual_retry_all', { count });
      worker.wake();
      jobsChanged();
      return { count };
    },

    async retryJobs({ ids }) {
      const count = retryJobs(db, ids, clock.now());
      deps.logger.log('info', 'jobs.manual_retry_selection', { count });
      worker.wake();
      jobsChanged();
      return { count };
    },

    async cancelJobs({ ids }) {
      const count = cancelJobs(db, ids, clock.now());
      deps.logger.log('info', 'jobs.cancelled_selection', { count });
      jobsChanged();
      return { count };
    },

    async listFailureGroups() {
      return listFailureGroups(db);
    },

    async retryFailureGroup({ key }) {
      const count = retryFailureGroup(db, key, clock.now());
      deps.logger.log('info', 'jobs.manual_retry_group', { count });
      worker.wake();
      jobsChanged();
      return { count };
    },

    async cancelFailureGroup({ key }) {
      const count = cancelFailureGroup(db, key, clock.now());
      deps.logger.log('info', 'jobs.cancelled_group', { count });
      jobsChanged();
      return { count };
    },

    async pauseWorker() {
      worker.pauseBy('admin', 'Paused by an admin from the console');
      return { ok: true };
    },

    async resumeWorker() {
      worker.resume();
      return { ok: true };
    },

    async resetBreaker() {
      deps.client().breaker.reset();
      const released = releaseCircuitHeldJobs(db, clock.now());
      worker.clearHold();
      deps.logger.log('info', 'icims.circuit_reset_by_admin', { released });
      if (released > 0) deps.notify('jobs');
      deps.notify('sync');
      return { ok: true };
    },

    async getSettings() {
      return settings.view(deps.config());
    },

    async saveSettings(input) {
      const change = settings.save({ values: input.values, secrets: input.secrets }, deps.config());
      deps.applyConfig(change.config, change.credentialsChanged);
      return settings.view(change.config);
    },

    async testConnection(input) {
      let config: EngineConfig;
      try {
        config = settings.preview({ values: input.values, secrets: input.secrets }, deps.config()).config;
      } catch (error) {
        if (error instanceof ConsoleApiError) {
          const detail = error.issues?.map((issue) => issue.message).join('; ');
          return { ok: false, latencyMs: null, statusCode: null, message: `Not tested: ${detail || error.message}` };
        }
        throw error;
      }
      if (config.icims.mode === 'mock') {
        return {
          ok: true,
          latencyMs: 0,
          statusCode: null,
          message: 'Mock mode: notes go to the simulated iCIMS inside the console; nothing is sent over the network.',
        };
      }
      const client = deps.buildTestClient(config);
      try {
        return await client.testConnection();
      } finally {
        await client.close();
      }
    },
  };
}

/**
 * The worker holds jobs back after a 429 too long to wait inside a request; a shorter one is
 * waited out by the client while the job stays in flight. Either way nothing is sent until the
 * later of the two, and the dashboard's "Rate limited" row should say so.
 */
function withClientRateLimitHold(worker: WorkerSnapshot, clientPausedUntil: number | null): WorkerSnapshot {
  if (clientPausedUntil === null) return worker;
  const workerUntil = worker.rateLimitedUntil ? Date.parse(worker.rateLimitedUntil) : 0;
  return clientPausedUntil > workerUntil
    ? { ...worker, rateLimitedUntil: new Date(clientPausedUntil).toISOString(), holdReason: 'rate_limit' }
    : worker;
}
