import { EventEmitter } from 'node:events';
import type { TeamDatabase } from './pg-connection';
import { TEAM_STATE_CHANNEL } from './team-state';
import type { TeamState, TeamStateSnapshot } from './team-state';

/**
 * Keeps this engine's copy of the team state current: a NOTIFY on `team_state` (sent by any
 * engine's write, see team-state.ts) triggers a re-read, so every engine follows within a
 * second; after the listener reconnects, and every `pollMs` as a backstop, it re-reads anyway,
 * because notifications sent while the connection was down are never delivered.
 */
export class TeamStateFollower extends EventEmitter<{ change: [TeamStateSnapshot] }> {
  private snapshot: TeamStateSnapshot | null = null;
  private readAtLocal = 0;
  private reading: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly onNotification = (message: { channel: string }): void => {
    if (message.channel === TEAM_STATE_CHANNEL) this.refresh().catch(() => undefined);
  };
  private readonly onReconnected = (): void => {
    this.refresh().catch(() => undefined);
  };

  constructor(
    private readonly db: TeamDatabase,
    private readonly state: TeamState,
    private readonly pollMs = 5_000,
  ) {
    super();
  }

  async start(): Promise<TeamStateSnapshot> {
    this.db.on('notification', this.onNotification);
    this.db.on('reconnected', this.onReconnected);
    await this.db.listen(TEAM_STATE_CHANNEL);
    this.timer = setInterval(() => this.refresh().catch(() => undefined), this.pollMs);
    this.timer.unref();
    await this.refresh();
    return this.snapshot as TeamStateSnapshot;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.db.off('notification', this.onNotification);
    this.db.off('reconnected', this.onReconnected);
  }

  get current(): TeamStateSnapshot | null {
    return this.snapshot;
  }

  /** A database time of the current snapshot as this machine's epoch ms (skew cancels out). */
  untilLocal(dbTime: number): number {
    if (!this.snapshot) return Date.now();
    return this.readAtLocal + (dbTime - this.snapshot.dbNow);
  }

  /** Re-reads now; reads asked for while one is under way collapse into one more read. */
  refresh(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      try {
        do {
          this.again = false;
          const next = await this.state.read();
          const changed = !this.snapshot || comparable(this.snapshot) !== comparable(next);
          this.snapshot = next;
          this.readAtLocal = Date.now();
          if (changed) this.emit('change', next);
        } while (this.again);
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }
}

function comparable(snapshot: TeamStateSnapshot): string {
  const { dbNow: _ignored, ...rest } = snapshot;
  return JSON.stringify(rest);
}
