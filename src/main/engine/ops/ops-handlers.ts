import type { ConsoleApiHandlers } from '../../../shared/console-api';
import { ConsoleApiError } from '../../../shared/console-api';
import type { Change } from '../../../shared/live-updates';
import type { CircuitSnapshot, OpsSnapshot, WorkerSnapshot } from '../../../shared/ops-snapshot';
import type { Clock } from '../clock';
import type { LiveIcimsClient } from '../live-client';
import type { LiveConfig } from '../live-config';
import type { Logger } from '../logger';
import type { JobStore } from '../sync/job-store';
import type { QueueCounts } from '../sync/job-counts';
import type { SyncWorker } from '../sync/sync-worker';
import type { CallLog } from './api-call-repository';
import { buildOpsSnapshot } from './snapshot';

export type OpsMethods = 'getSnapshot' | 'getLatencySeries' | 'pauseWorker' | 'resumeWorker' | 'resetBreaker';

export interface OpsHandlerDeps {
  /** The queue, for the snapshot's counts and the breaker reset's release. */
  jobs: Pick<JobStore, 'queueCounts' | 'releaseCircuitHeld'>;
  /** The recorded iCIMS calls; every read of them goes through here (it owns their buffer). */
  calls: CallLog;
  /**
   * Team mode: this console's own calls, shown while the team's (in `calls`) cannot be read
   * because the database is away.
   */
  ownCalls?: CallLog;
  clock: Clock;
  logger: Logger;
  live: LiveConfig;
  icims: LiveIcimsClient;
  worker: SyncWorker;
  /** Something was written: the push hub tells the renderers what that makes stale. */
  notify: (change: Change) => void;
  /** Issues open now, for the snapshot. */
  openIssues: () => number;
  /**
   * Team mode: the engines and the shared database for the snapshot. Pause and Resume then act on
   * the team's workers, so a console that sends nothing (SYNC_WORKER=off) may press them too.
   */
  team?: () => Promise<Pick<OpsSnapshot, 'nodes' | 'team'> & { dailyUsed: number | null }>;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const NO_COUNTS: QueueCounts = {
  pending: 0,
  processing: 0,
  failed: 0,
  held: 0,
  inDoubt: 0,
  completedLast24h: 0,
  failedLast24h: 0,
};

/** The ConsoleApi methods of the Dashboard: the ops snapshot, the latency chart, the worker and the breaker. */
export function createOpsHandlers(deps: OpsHandlerDeps): Pick<ConsoleApiHandlers, OpsMethods> {
  const { jobs, clock, worker } = deps;
  const requireSendingWorker = () => {
    if (worker.snapshot().state === 'off' && !deps.team)
      throw new ConsoleApiError(
        'conflict',
        'This console sends nothing (started with SYNC_WORKER=off), so it has no worker to pause or resume',
      );
  };

  // Team mode: while the database is away, the snapshot still answers with the counts last read.
  let lastCounts: Awaited<ReturnType<JobStore['queueCounts']>> | null = null;
  const queueCounts = async (now: number) => {
    try {
      lastCounts = await jobs.queueCounts(now);
      return lastCounts;
    } catch (error) {
      if (!deps.team) throw error;
      // Away since before this console first read them: no counts to show, the status says why.
      return lastCounts ?? NO_COUNTS;
    }
  };

  // Team mode: the team's calls, or this console's own while the database is away.
  const fromCalls = async <T>(read: (calls: CallLog) => Promise<T>, away = false): Promise<T> => {
    const own = deps.ownCalls;
    if (!own) return read(deps.calls);
    if (away) return read(own);
    return read(deps.calls).catch(() => read(own));
  };

  return {
    async getSnapshot() {
      const config = deps.live.current();
      const client = deps.icims.current();
      const breaker = client.breaker.snapshot();
      const circuit: CircuitSnapshot = {
        ...breaker,
        openedAt: iso(breaker.openedAt),
        nextProbeAt: iso(breaker.nextProbeAt),
      };
      const workerSnapshot = withClientRateLimitHold(worker.snapshot(), client.rateLimit().pausedUntil);
      const now = clock.now();
      const [counts, team] = await Promise.all([queueCounts(now), deps.team?.()]);
      const away = team?.team?.database.state === 'unreachable';
      const snapshot = await fromCalls(
        (calls) =>
          buildOpsSnapshot(counts, calls, {
            now,
            config: {
              mode: config.summary.mode,
              baseUrl: config.summary.baseUrl,
              hasApiKey: config.summary.hasCredential,
              authMethod: config.summary.authMethod,
              apiStyle: config.summary.apiStyle,
            },
            circuit,
            worker: workerSnapshot,
            // Team mode: the account's budget is the team's, counted in the database.
            dailyBudget: {
              limit: config.icims.dailyLimit,
              ...(team?.dailyUsed != null ? { used: team.dailyUsed } : {}),
            },
            ratePerMin: config.icims.rateLimitPerMin,
            openIssues: deps.openIssues(),
            authFailure:
              worker.pausedFor === 'auth' && workerSnapshot.pausedAt
                ? {
                    since: Date.parse(workerSnapshot.pausedAt),
                    message: workerSnapshot.pausedReason ?? 'iCIMS rejected the credentials',
                  }
                : null,
          }),
        away,
      );
      if (!team) return snapshot;
      const shared = { nodes: team.nodes, team: team.team };
      if (!away) return { ...snapshot, ...shared };
      // The shared queue is away: the console says so (and shows the counts last read).
      return {
        ...snapshot,
        ...shared,
        status: 'down',
        statusReasons: [
          'The team database is unreachable: the queue cannot be read or changed, and new events are refused with 503 until it is back',
          ...snapshot.statusReasons,
        ],
      };
    },

    async getLatencySeries({ hours }) {
      return fromCalls(async (calls) => (await calls.read()).latencySeries({ now: clock.now(), hours }));
    },

    async pauseWorker() {
      requireSendingWorker();
      worker.pauseBy('admin', 'Paused by an admin from the console');
      return { ok: true };
    },

    async resumeWorker() {
      requireSendingWorker();
      worker.resume();
      return { ok: true };
    },

    async resetBreaker() {
      deps.icims.current().breaker.reset();
      const released = await jobs.releaseCircuitHeld(clock.now());
      worker.clearHold();
      deps.logger.log('info', 'icims.circuit_reset_by_admin', { released });
      if (released > 0) deps.notify('jobs');
      deps.notify('sync');
      return { ok: true };
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
