import type { PoolClient } from 'pg';
import type { TeamDatabase } from './pg-connection';

/**
 * The iCIMS account's rate limit and daily budget, shared by every engine of the team.
 *
 * A window of reservations: each granted call is a row stamped with the database's clock, and a
 * call is granted only while fewer than `perMinute` rows lie in the last `windowMs + headroomMs`.
 * So no stretch of that length — and therefore no rolling minute at iCIMS, give or take
 * `headroomMs` of network jitter between our grant and the call's arrival — ever holds more than
 * the limit. (A leaky bucket with burst b would allow limit + b − 1.) Grants are serialised by
 * a transaction-scoped advisory lock and stamped no earlier than the newest reservation, so a
 * clock step on the server cannot reorder them; engine clocks are never read, so skew between
 * machines does not matter.
 *
 * Every call counts, reads included, and a reservation is never given back: a call we reserved
 * but did not make only makes the team a little more careful.
 */

export interface TeamRateLimiterOptions {
  /** This engine's name (SYNC_NODE_NAME), for callsLastMinute per node. */
  node: string;
  /** ICIMS_RATE_LIMIT_PER_MIN */
  perMinute: number;
  /** ICIMS_DAILY_LIMIT, per UTC day. */
  dailyLimit: number;
  /** 60 000 in production; tests shorten it. */
  windowMs?: number;
  /** Extra span each reservation occupies, for jitter between the grant and iCIMS seeing the call. */
  headroomMs?: number;
}

export type Reservation =
  | { ok: true; /** Database time of the grant, epoch ms. */ at: number }
  | { ok: false; retryAfterMs: number; reason: 'rate' | 'daily' };

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Serialises grants across the team; any fixed number every engine agrees on. */
export const RATE_LOCK_KEY = 7_145_011_002;

export class TeamRateLimiter {
  private readonly windowMs: number;
  private readonly headroomMs: number;

  constructor(
    private readonly db: TeamDatabase,
    private readonly options: TeamRateLimiterOptions,
  ) {
    if (!Number.isInteger(options.perMinute) || options.perMinute < 1)
      throw new Error(`rate limit must be a positive whole number of calls (got ${options.perMinute})`);
    if (!Number.isInteger(options.dailyLimit) || options.dailyLimit < 1)
      throw new Error(`daily limit must be a positive whole number of calls (got ${options.dailyLimit})`);
    this.windowMs = options.windowMs ?? MINUTE_MS;
    this.headroomMs = options.headroomMs ?? 1_000;
  }

  /** Asks for one iCIMS call. On `ok: false`, ask again after `retryAfterMs`. */
  reserve(): Promise<Reservation> {
    return this.db.transaction((client) => this.reserveIn(client));
  }

  /** Calls per node whose grant lies in the last minute of database time. */
  async callsLastMinute(): Promise<Map<string, number>> {
    const rows = await this.db.query<{ node: string; calls: string }>(
      'SELECT node, count(*) AS calls FROM rate_reservations WHERE at > team_now_ms() - $1 GROUP BY node',
      [MINUTE_MS],
    );
    return new Map(rows.map((row) => [row.node, Number(row.calls)]));
  }

  /** Calls granted so far in the current UTC day (database clock). */
  async dailyUsed(): Promise<number> {
    const rows = await this.db.query<{ calls: number }>(
      "SELECT calls FROM rate_days WHERE day = (clock_timestamp() AT TIME ZONE 'UTC')::date",
    );
    return rows[0]?.calls ?? 0;
  }

  private async reserveIn(client: PoolClient): Promise<Reservation> {
    const span = this.windowMs + this.headroomMs;
    await client.query('SELECT pg_advisory_xact_lock($1)', [RATE_LOCK_KEY]);
    const clock = await client.query<{ now: string; newest: string | null }>(
      'SELECT team_now_ms() AS now, (SELECT max(at) FROM rate_reservations) AS newest',
    );
    const row = clock.rows[0];
    const now = Math.max(Number(row?.now), Number(row?.newest ?? 0));
    const day = new Date(Math.floor(now / DAY_MS) * DAY_MS).toISOString().slice(0, 10);

    const used = await client.query<{ calls: number }>('SELECT calls FROM rate_days WHERE day = $1', [day]);
    if ((used.rows[0]?.calls ?? 0) >= this.options.dailyLimit) {
      return { ok: false, reason: 'daily', retryAfterMs: Math.max(1, (Math.floor(now / DAY_MS) + 1) * DAY_MS - now) };
    }

    // The perMinute-th newest grant inside the span: while it is there, the span is full, and a
    // slot opens when it leaves.
    const full = await client.query<{ at: string }>(
      'SELECT at FROM rate_reservations WHERE at > $1 ORDER BY at DESC LIMIT 1 OFFSET $2',
      [now - span, this.options.perMinute - 1],
    );
    const blocking = full.rows[0];
    if (blocking) return { ok: false, reason: 'rate', retryAfterMs: Math.max(1, Number(blocking.at) + span - now) };

    await client.query('INSERT INTO rate_reservations (at, node) VALUES ($1, $2)', [now, this.options.node]);
    await client.query(
      `INSERT INTO rate_days (day, calls) VALUES ($1, 1)
       ON CONFLICT (day) DO UPDATE SET calls = rate_days.calls + 1`,
      [day],
    );
    // Kept a little over a minute for callsLastMinute; a few rows, pruned as we go.
    await client.query('DELETE FROM rate_reservations WHERE at < $1', [now - Math.max(span, MINUTE_MS) - MINUTE_MS]);
    return { ok: true, at: now };
  }
}
