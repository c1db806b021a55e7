import { ConsoleApiError } from '../../../shared/console-api';
import type { CallContext, ConsoleApiHandlers, ConsoleMethod } from '../../../shared/console-api';
import type { Change } from '../../../shared/live-updates';
import type { HoldReason } from '../../../shared/ops-snapshot';
import type { Logger } from '../logger';
import type { PauseState } from '../sync/sync-worker';
import { isConnectionLost } from './pg-connection';
import { JOBS_DUE_CHANNEL } from './pg-queue/queue-channel';
import type { TeamRuntime } from './team-runtime';
import type { TeamStateSnapshot } from './team-state';

/** What of the worker the team drives (SyncWorker's team-facing methods). */
export interface TeamFollowingWorker {
  wake(): void;
  followPause(state: PauseState | null): void;
  holdUntilAt(until: number, reason: HoldReason): void;
  clearHold(): void;
  snapshot(): { holdReason: HoldReason | null };
}

export interface TeamCoordinationDeps {
  team: TeamRuntime;
  logger: Logger;
  /** The keyed hash of the credentials this engine sends with now (see AuthPause.credentials). */
  credentials: () => string;
  /** ICIMS_CIRCUIT_COOLDOWN_MS: how long an open circuit holds the team before one probe. */
  cooldownMs: () => number;
  /** Something every console of the team should re-read. */
  changed: (change: Change) => void;
  /** Runs (and is awaited) before a team state is followed: the engine takes newer team settings here. */
  beforeFollow?: (snapshot: TeamStateSnapshot) => Promise<void>;
}

/**
 * Makes one engine follow the team (docs/INTERFACES.md §9): a pause pressed in any console or a
 * 401/403 on any engine pauses this worker; a 429's Retry-After or an open circuit on any engine
 * holds it; work made due elsewhere (an enqueue, a retry, a released lease) wakes it at once;
 * and this engine's own pauses and holds are written for the others. Team state arrives through
 * TeamStateFollower (NOTIFY, a re-read after reconnecting, a poll as the backstop).
 */
export class TeamCoordination {
  private worker: TeamFollowingWorker | null = null;
  private pauseWrites: Promise<void> = Promise.resolve();
  private probeTimer: NodeJS.Timeout | null = null;
  private readonly onNotification = (message: { channel: string }): void => {
    if (message.channel === JOBS_DUE_CHANNEL) {
      this.worker?.wake();
      this.deps.changed('jobs');
    }
  };
  private following: Promise<void> = Promise.resolve();
  /**
   * One state at a time, in order, each after `beforeFollow` (newer settings, new credentials
   * among them, are taken before a lifted auth pause lets this worker send again).
   */
  private readonly onTeamState = (snapshot: TeamStateSnapshot): void => {
    this.following = this.following
      .then(() => this.deps.beforeFollow?.(snapshot))
      .catch((error: unknown) => this.deps.logger.log('error', 'team.follow_failed', { error: String(error) }))
      .then(() => this.follow(this.deps.team.follower.current ?? snapshot));
  };
  /** The database came or went: the console says so. */
  private readonly onState = (): void => this.deps.changed('sync');
  /** NOTIFYs sent while the listener was away are lost: look at the queue now. */
  private readonly onReconnected = (): void => {
    this.worker?.wake();
    this.deps.changed('jobs');
  };

  constructor(private readonly deps: TeamCoordinationDeps) {}

  /**
   * The worker's pause store: the team's `auth_pause` / `worker_pause` rows instead of the
   * console's own. A write that fails (the database is away) is logged; the pause still holds
   * here, and is written by the next pause or resume.
   */
  pauseStore(): { load(): PauseState | null; save(state: PauseState | null): void } {
    const { team, logger } = this.deps;
    const by = team.config.nodeName;
    // One write at a time, in the order pressed: a Pause then Resume must not land reversed.
    const write = (work: () => Promise<unknown>) => {
      this.pauseWrites = this.pauseWrites.then(work).then(
        () => undefined,
        (error: unknown) => logger.log('error', 'team.pause_not_written', { error: String(error) }),
      );
    };
    return {
      load: () => {
        const pause = team.follower.current?.authPause;
        // Started with other credentials than the ones iCIMS rejected: the pause was not about
        // these, so lift it for the team (the next 401 pauses it again).
        if (pause?.credentials && pause.credentials !== this.deps.credentials()) {
          write(() => team.state.resumeAuth(by));
          return pauseOf({ ...team.follower.current!, authPause: null });
        }
        return pauseOf(team.follower.current);
      },
      save: (state) => {
        if (state?.reason === 'auth') write(() => team.state.pauseForAuth(state.message, by, this.deps.credentials()));
        else if (state) write(() => team.state.pauseWorkers(state.message, by));
        else write(() => Promise.all([team.state.resumeAuth(by), team.state.resumeWorkers(by)]));
      },
    };
  }

  /** Resolves once every pause or resume asked for so far is written (or failed and logged). */
  settled(): Promise<void> {
    return this.pauseWrites;
  }

  /** A wait this engine was told to keep is the team's: one engine's 429 or open circuit holds all. */
  shareHold(until: number, reason: HoldReason, now: number): void {
    const { team, logger } = this.deps;
    const by = team.config.nodeName;
    const wait = Math.max(0, until - now);
    const work =
      reason === 'rate_limit'
        ? team.state.holdForRateLimit(wait, by).then(() => {})
        : reason === 'circuit_open' && team.follower.current?.breaker.state === 'closed'
          ? team.state.openBreaker(wait, 'repeated failures calling iCIMS', by)
          : Promise.resolve();
    work.catch((error: unknown) => logger.log('error', 'team.hold_not_written', { error: String(error) }));
  }

  /**
   * False while the team's circuit is open or being probed: the worker then keeps at most one
   * call in flight, so the engine holding the probe sends exactly one.
   */
  circuitClosed(): boolean {
    return (this.deps.team.follower.current?.breaker.state ?? 'closed') === 'closed';
  }

  /**
   * Every call this engine made (the call sink): a success while the team's circuit is not closed
   * was the probe, and closes it for all; a failure that counts against the breaker (no answer,
   * 5xx) on the probe this engine holds opens it again for another cooldown.
   */
  callRecorded(call: { outcome: 'success' | 'failure'; statusCode: number | null }): void {
    const breaker = this.deps.team.follower.current?.breaker;
    if (!breaker || breaker.state === 'closed') return;
    if (call.outcome === 'success') return this.breakerClosed();
    const outage = call.statusCode === null || call.statusCode >= 500;
    if (outage && breaker.state === 'probing' && breaker.probeOwner === this.deps.team.config.nodeName)
      this.write('team.breaker_not_written', () =>
        this.deps.team.state.openBreaker(
          this.deps.cooldownMs(),
          'the probe call failed',
          this.deps.team.config.nodeName,
        ),
      );
  }

  /** The breaker closed here (a probe succeeded, or an admin reset it): tell the team. */
  breakerClosed(): void {
    const { team } = this.deps;
    if (team.follower.current?.breaker.state === 'closed') return;
    this.write('team.breaker_not_written', () => team.state.closeBreaker(team.config.nodeName));
  }

  private write(event: string, work: () => Promise<unknown>): void {
    work().catch((error: unknown) => this.deps.logger.log('error', event, { error: String(error) }));
  }

  async start(worker: TeamFollowingWorker): Promise<void> {
    const { team } = this.deps;
    this.worker = worker;
    team.db.on('notification', this.onNotification);
    team.db.on('state', this.onState);
    team.db.on('reconnected', this.onReconnected);
    team.follower.on('change', this.onTeamState);
    await team.db.listen(JOBS_DUE_CHANNEL);
    const current = team.follower.current;
    if (current) this.follow(current);
  }

  stop(): void {
    const { team } = this.deps;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    team.db.off('notification', this.onNotification);
    team.db.off('state', this.onState);
    team.db.off('reconnected', this.onReconnected);
    team.follower.off('change', this.onTeamState);
    this.worker = null;
  }

  private follow(snapshot: TeamStateSnapshot): void {
    const worker = this.worker;
    if (!worker) return;
    const { follower } = this.deps.team;
    worker.followPause(pauseOf(snapshot));
    if (snapshot.rateHold) worker.holdUntilAt(follower.untilLocal(snapshot.rateHold.until), 'rate_limit');
    this.followBreaker(snapshot, worker);
    this.deps.changed('sync');
  }

  /**
   * An open circuit holds every engine until its probe time; then exactly one engine takes the
   * probe (TeamState.takeProbe) and sends one call, the others wait for its verdict — or take
   * the probe over if its engine vanished.
   */
  private followBreaker(snapshot: TeamStateSnapshot, worker: TeamFollowingWorker): void {
    const { team } = this.deps;
    const breaker = snapshot.breaker;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    if (breaker.state === 'closed') {
      if (worker.snapshot().holdReason === 'circuit_open') worker.clearHold();
      return;
    }
    if (breaker.state === 'probing' && breaker.probeOwner === team.config.nodeName) {
      if (worker.snapshot().holdReason === 'circuit_open') worker.clearHold();
      return;
    }
    const until =
      breaker.state === 'open'
        ? team.follower.untilLocal(breaker.nextProbeAt)
        : team.follower.untilLocal(breaker.probeSince + PROBE_TIMEOUT_MS);
    worker.holdUntilAt(until, 'circuit_open');
    this.probeTimer = setTimeout(
      () => {
        team.state
          .takeProbe(team.config.nodeName, PROBE_TIMEOUT_MS)
          .then(() => team.follower.refresh())
          .catch((error: unknown) => this.deps.logger.log('warn', 'team.probe_not_taken', { error: String(error) }));
      },
      Math.max(0, until - Date.now()),
    );
    this.probeTimer.unref();
  }
}

/** A probe whose engine has not closed or reopened the circuit by then may be taken over. */
const PROBE_TIMEOUT_MS = 30_000;

function pauseOf(snapshot: TeamStateSnapshot | null): PauseState | null {
  if (snapshot?.authPause) return { reason: 'auth', message: snapshot.authPause.reason, at: snapshot.authPause.since };
  if (snapshot?.workerPause)
    return { reason: 'admin', message: snapshot.workerPause.reason, at: snapshot.workerPause.since };
  return null;
}

const PERMISSION_DENIED = '42501';

/**
 * What a console whose role may only read is refused up front: every method that changes the
 * team's queue, pauses, breaker or settings. Checked before the handler runs, because some of
 * them act on this engine first (the worker's pause, the breaker, the local copy of settings)
 * and would only meet the database's refusal afterwards. Whether the role may only read is the
 * database's answer (TeamRuntime.checkRole), never a setting of ours.
 */
export const TEAM_MUTATIONS: ReadonlySet<ConsoleMethod> = new Set<ConsoleMethod>([
  'retryJob',
  'cancelJob',
  'retryAllFailed',
  'retryJobs',
  'cancelJobs',
  'retryFailureGroup',
  'cancelFailureGroup',
  'pauseWorker',
  'resumeWorker',
  'resetBreaker',
  'saveSettings',
]);

/**
 * Team mode's answers for what the database refuses: unreachable → `unavailable` (503, nothing
 * was changed), a grant missing → `forbidden` with the read-only sentence (up front for
 * TEAM_MUTATIONS when the role may only read). Every other error passes unchanged; the caller's
 * context (who acts, for the audit trail) is passed on.
 */
export function withTeamErrors(handlers: ConsoleApiHandlers, readOnly: () => string | null): ConsoleApiHandlers {
  const wrapped: Record<string, unknown> = {};
  for (const [name, handler] of Object.entries(handlers) as [
    ConsoleMethod,
    (input: unknown, context?: CallContext) => Promise<unknown>,
  ][]) {
    wrapped[name] = async (input: unknown, context?: CallContext) => {
      const refusal = TEAM_MUTATIONS.has(name) ? readOnly() : null;
      if (refusal) throw new ConsoleApiError('forbidden', `Not allowed: ${refusal}`);
      try {
        return await handler(input, context);
      } catch (error) {
        throw teamError(error, readOnly());
      }
    };
  }
  return wrapped as unknown as ConsoleApiHandlers;
}

export function teamError(error: unknown, readOnly: string | null): unknown {
  if (error instanceof ConsoleApiError) return error;
  if (isConnectionLost(error))
    return new ConsoleApiError(
      'unavailable',
      'The team database is unreachable, so nothing was read or changed; try again in a moment',
    );
  if ((error as { code?: unknown } | null)?.code === PERMISSION_DENIED)
    return new ConsoleApiError(
      'forbidden',
      `Not allowed: ${readOnly ?? "this console's database role may not make this change (docs/TEAM_MODE.md, Roles)"}`,
    );
  return error;
}
