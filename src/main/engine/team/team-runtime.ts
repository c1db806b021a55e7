import type { TeamNodeSnapshot, TeamSnapshot } from '../../../shared/ops-snapshot';
import { systemClock } from '../clock';
import type { TeamConfig } from '../config/engine-config';
import type { TeamPacer } from '../icims/call-pipeline';
import { DailyLimitError } from '../icims/errors';
import type { Logger } from '../logger';
import { NodeRegistry } from './node-registry';
import { TeamDatabase, describeError } from './pg-connection';
import { migrateTeamDatabase } from './pg-migrate';
import { TeamRateLimiter } from './team-rate-limiter';
import { TeamState } from './team-state';
import { TeamStateFollower } from './team-state-follower';

/**
 * The team parts one engine runs in team mode (SYNC_DATABASE_URL): the shared database and its
 * migrations, this engine's registration and heartbeat, the team state it follows (pauses, the
 * 429 hold, the breaker, the settings version), the account's shared call limits, and what this
 * console's database role allows. The queue itself is the PostgreSQL JobStore and WorkerQueue.
 */
export interface TeamRuntimeOptions {
  version: string;
  /** False for SYNC_WORKER=off: registered as a console that sends nothing. */
  worker: boolean;
  credentialsFrom: 'environment' | 'team';
  logger: Logger;
  /** The account's limits as configured now (a saved setting changes them). */
  limits: () => { perMinute: number; dailyLimit: number };
  /** Test hooks: shorter heartbeats and rate windows. */
  heartbeatMs?: number;
  lostAfterMs?: number;
  rateWindowMs?: number;
}

/** A role that may not change the queue gets this sentence beside its disabled buttons. */
const READ_ONLY =
  "this console's database role may only read the shared queue, so retry, cancel, pause and saving settings are disabled; an admin can grant the operator role (docs/TEAM_MODE.md, Roles)";

export class TeamRuntime {
  readonly state: TeamState;
  readonly follower: TeamStateFollower;
  readonly nodes: NodeRegistry;
  private registered = false;
  private readOnlyReason: string | null = null;

  private constructor(
    readonly db: TeamDatabase,
    readonly config: TeamConfig,
    private readonly options: TeamRuntimeOptions,
  ) {
    this.state = new TeamState(db);
    this.follower = new TeamStateFollower(db, this.state, 1_000);
    this.nodes = new NodeRegistry(db, {
      name: config.nodeName,
      version: options.version,
      credentialsFrom: options.credentialsFrom,
      worker: options.worker,
      ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
      ...(options.lostAfterMs !== undefined ? { lostAfterMs: options.lostAfterMs } : {}),
    });
  }

  /**
   * Connects, brings the schema up to date (once for the team, under an advisory lock; an engine
   * older than the database refuses untouched), registers this engine and starts following the
   * team state. Throws with a message naming the database when it cannot be reached at start:
   * an engine that never saw the database has nothing to run.
   */
  static async open(config: TeamConfig, options: TeamRuntimeOptions): Promise<TeamRuntime> {
    const db = new TeamDatabase({
      connectionString: config.databaseUrl.reveal(),
      applicationName: `icims-sync:${config.nodeName}`.slice(0, 63),
    });
    const runtime = new TeamRuntime(db, config, options);
    try {
      await db.open();
      await runtime.checkRole();
      if (runtime.readOnlyReason === null) await migrateTeamDatabase(db.pool);
      await runtime.register();
      await runtime.follower.start();
      return runtime;
    } catch (error) {
      await runtime.close();
      if (error instanceof Error && error.name === 'SchemaTooNewError') throw error;
      throw new Error(`Team mode: cannot use the database of SYNC_DATABASE_URL: ${describeError(error)}`);
    }
  }

  /** Null when this console may operate the queue; else why its buttons are disabled. */
  get readOnly(): string | null {
    return this.readOnlyReason;
  }

  /**
   * Tells the team which iCIMS this engine sends to, before it points the shared queue there. A
   * console that could not register (its role may not) has no row to say it in.
   */
  async announceDestination(destination: string): Promise<void> {
    if (this.registered) await this.nodes.announceDestination(destination);
  }

  /** Heartbeats every few seconds with the number of calls in flight on this engine. */
  start(inFlight: () => number): void {
    if (this.registered) this.nodes.start(inFlight);
  }

  /**
   * The account's call limits, shared by every engine (see TeamRateLimiter), and its 429 holds:
   * a Retry-After one engine got is written to the team state, and no engine's call goes out
   * before it has passed.
   */
  pacer(): TeamPacer {
    return {
      rateLimited: (retryAfterMs) => {
        this.state
          .holdForRateLimit(retryAfterMs, this.config.nodeName)
          .then(() => this.follower.refresh())
          .catch((error: unknown) =>
            this.options.logger.log('error', 'team.hold_not_written', { error: describeError(error) }),
          );
      },
      acquire: async (signal) => {
        for (;;) {
          const hold = this.follower.current?.rateHold;
          const holdMs = hold ? this.follower.untilLocal(hold.until) - Date.now() : 0;
          if (holdMs > 0) {
            await systemClock.sleep(Math.min(holdMs, 5_000), signal);
            continue;
          }
          const grant = await this.limiter().reserve();
          if (grant.ok) return;
          if (grant.reason === 'daily')
            throw new DailyLimitError(
              `Daily iCIMS call budget used up for the team (ICIMS_DAILY_LIMIT, counted for every engine together); nothing was sent`,
              grant.retryAfterMs,
            );
          // The wait is in database time, which runs at the real clock's pace.
          await systemClock.sleep(Math.min(grant.retryAfterMs, 5_000), signal);
        }
      },
    };
  }

  /** The account's limits as configured now (a saved setting changes them). */
  private limiter(): TeamRateLimiter {
    return new TeamRateLimiter(this.db, {
      node: this.config.nodeName,
      ...this.options.limits(),
      ...(this.options.rateWindowMs !== undefined ? { windowMs: this.options.rateWindowMs } : {}),
    });
  }

  /** `nodes` and `team` of the ops snapshot, and the team's calls today. A database away leaves `nodes` empty, never throws. */
  async snapshot(): Promise<{ nodes: TeamNodeSnapshot[]; team: TeamSnapshot; dailyUsed: number | null }> {
    let nodes: TeamNodeSnapshot[] = [];
    let dailyUsed: number | null = null;
    try {
      [nodes, dailyUsed] = await Promise.all([this.nodes.list(), this.limiter().dailyUsed()]);
    } catch {
      nodes = [];
    }
    const status = this.db.current;
    return {
      nodes,
      dailyUsed,
      team: {
        node: this.config.nodeName,
        database: { state: status.state, lastError: status.state === 'up' ? null : status.lastError },
        readOnly: this.readOnlyReason,
      },
    };
  }

  async close(): Promise<void> {
    this.nodes.stop();
    this.follower.stop();
    await this.db.close();
  }

  /** The database's grants decide what this console may do; nothing in our config does. */
  private async checkRole(): Promise<void> {
    const rows = await this.db.query<{ can_update: boolean | null }>(
      "SELECT CASE WHEN to_regclass('sync_jobs') IS NULL THEN NULL ELSE has_table_privilege('sync_jobs', 'UPDATE') END AS can_update",
    );
    this.readOnlyReason = rows[0]?.can_update === false ? READ_ONLY : null;
  }

  /** Consoles whose role may not register (a viewer) are simply not listed among the engines. */
  private async register(): Promise<void> {
    try {
      await this.nodes.register();
      this.registered = true;
    } catch (error) {
      if ((error as { code?: string }).code !== '42501') throw error;
      this.options.logger.log('info', 'team.not_registered', { reason: 'the database role may not register' });
    }
  }
}
