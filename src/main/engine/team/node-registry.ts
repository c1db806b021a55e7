import { hostname } from 'node:os';
import type { TeamDatabase } from './pg-connection';

/**
 * Every engine of the team registers under its name and heartbeats; the ops snapshot's `nodes`
 * list (docs/INTERFACES.md §9) is read from here. Liveness is judged on the database clock only:
 * an engine is `lost` when its last heartbeat, stamped by the database, is older than
 * `lostAfterMs` — never by comparing another machine's clock with ours.
 *
 * A lost engine stays listed (as `lost`) for `keepLostMs`, at least a day, so the morning shift
 * sees which machine stopped overnight; after that its row is deleted by the next listing.
 */

export interface TeamNode {
  name: string;
  version: string;
  /** ISO time of the last heartbeat (database clock). */
  lastSeenAt: string;
  state: 'active' | 'lost';
  inFlight: number;
  callsLastMinute: number;
  credentialsFrom: 'environment' | 'team';
  /** False for a console started with SYNC_WORKER=off: it shows the queue but sends nothing. */
  worker: boolean;
  /** The iCIMS it sends to (sync/destination.ts); null until it has pointed the queue at one. */
  destination: string | null;
}

export interface NodeRegistryOptions {
  name: string;
  version: string;
  credentialsFrom: 'environment' | 'team';
  worker: boolean;
  heartbeatMs?: number;
  lostAfterMs?: number;
  keepLostMs?: number;
}

const DAY_MS = 86_400_000;
const MAX_NAME = 100;
/** An engine without a heartbeat this long is lost (three beats missed, at least 30 s). */
export const DEFAULT_LOST_AFTER_MS = 30_000;

/** SYNC_NODE_NAME, or `<hostname>-<pid>`. */
export function nodeName(env: Record<string, string | undefined> = process.env): string {
  const configured = env.SYNC_NODE_NAME?.trim();
  if (configured === undefined || configured === '') return `${hostname()}-${process.pid}`;
  if (configured.length > MAX_NAME || !/^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(configured))
    throw new Error(`SYNC_NODE_NAME must be 1 to ${MAX_NAME} printable ASCII characters`);
  return configured;
}

export class NodeRegistry {
  private timer: NodeJS.Timeout | null = null;
  readonly heartbeatMs: number;
  readonly lostAfterMs: number;
  readonly keepLostMs: number;
  private destination: string | null = null;

  constructor(
    private readonly db: TeamDatabase,
    private readonly options: NodeRegistryOptions,
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 10_000;
    this.lostAfterMs = options.lostAfterMs ?? Math.max(3 * this.heartbeatMs, DEFAULT_LOST_AFTER_MS);
    this.keepLostMs = Math.max(options.keepLostMs ?? 2 * DAY_MS, DAY_MS);
  }

  /**
   * Registers (or re-registers after a restart under the same name) and beats. An engine
   * restarted under its old name simply takes the row over: the name is the operator's handle.
   */
  async register(): Promise<void> {
    const { name, version, credentialsFrom, worker } = this.options;
    await this.db.query(
      `INSERT INTO team_nodes (name, version, started_at, last_seen_at, in_flight, credentials_from, worker, destination)
       VALUES ($1, $2, team_now_ms(), team_now_ms(), 0, $3, $4, $5)
       ON CONFLICT (name) DO UPDATE
         SET version = excluded.version, started_at = excluded.started_at, last_seen_at = excluded.last_seen_at,
             in_flight = 0, credentials_from = excluded.credentials_from, worker = excluded.worker,
             destination = excluded.destination`,
      [name, version, credentialsFrom, worker, this.destination],
    );
  }

  /**
   * The iCIMS this engine now sends to. Written before the engine points the shared queue at it:
   * a switch holds only the jobs no active engine sends (sync/destination.ts).
   */
  async announceDestination(destination: string): Promise<void> {
    this.destination = destination;
    await this.db.query('UPDATE team_nodes SET destination = $2 WHERE name = $1', [this.options.name, destination]);
  }

  async heartbeat(inFlight: number): Promise<void> {
    const rows = await this.db.query(
      'UPDATE team_nodes SET last_seen_at = team_now_ms(), in_flight = $2 WHERE name = $1 RETURNING name',
      [this.options.name, inFlight],
    );
    // Pruned while this engine was cut off for days: come back as a new registration.
    if (rows.length === 0) await this.register();
  }

  /** Heartbeats every heartbeatMs until stop(); a beat lost to a database outage is just skipped. */
  start(inFlight: () => number): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.heartbeat(inFlight()).catch(() => undefined), this.heartbeatMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Forgets engines lost longer than keepLostMs (a working engine calls this now and then). */
  async pruneLost(): Promise<number> {
    const rows = await this.db.query(
      'DELETE FROM team_nodes WHERE last_seen_at < team_now_ms() - $1::bigint RETURNING name',
      [this.keepLostMs],
    );
    return rows.length;
  }

  /**
   * The team's engines, active first, then by name. Reads only, so a console with a read-only
   * role can show it; engines lost longer than keepLostMs are left out even before pruneLost.
   */
  async list(): Promise<TeamNode[]> {
    const rows = await this.db.query<{
      name: string;
      version: string;
      last_seen_at: string;
      lost: boolean;
      in_flight: number;
      calls: string;
      credentials_from: 'environment' | 'team';
      worker: boolean;
      destination: string | null;
    }>(
      `SELECT n.name, n.version, n.last_seen_at, n.in_flight, n.credentials_from, n.worker, n.destination,
              n.last_seen_at < team_now_ms() - $1::bigint AS lost,
              (SELECT count(*) FROM rate_reservations r WHERE r.node = n.name AND r.at > team_now_ms() - 60000) AS calls
         FROM team_nodes n
        WHERE n.last_seen_at >= team_now_ms() - $2::bigint
        ORDER BY lost, n.name`,
      [this.lostAfterMs, this.keepLostMs],
    );
    return rows.map((row) => ({
      name: row.name,
      version: row.version,
      lastSeenAt: new Date(Number(row.last_seen_at)).toISOString(),
      state: row.lost ? 'lost' : 'active',
      // A lost engine's in-flight calls are nobody's: its leases run out and others take the jobs.
      inFlight: row.lost ? 0 : row.in_flight,
      callsLastMinute: Number(row.calls),
      credentialsFrom: row.credentials_from,
      worker: row.worker,
      destination: row.destination,
    }));
  }
}
