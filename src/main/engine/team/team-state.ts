import type { PoolClient } from 'pg';
import type { TeamDatabase } from './pg-connection';

/**
 * What belongs to the team rather than to one engine, as rows every engine follows: the worker
 * pause (Pause pressed in any console), the auth pause (a 401/403 anywhere pauses everyone), the
 * 429 hold (one engine's Retry-After holds the team), the circuit breaker (one probe for the
 * whole team), and the settings version (saved from any console, reloaded by every engine). Each write NOTIFYs `team_state` in the
 * same statement, so the notification leaves only if the row changed and only on commit;
 * team-state-follower.ts turns it into a re-read.
 *
 * Times are database time (epoch ms). An engine never compares them with its own clock: it uses
 * `dbNow` from the same read to get a duration (see TeamStateFollower.untilLocal).
 */

export const TEAM_STATE_CHANNEL = 'team_state';

export interface AuthPause {
  reason: string;
  since: number;
  by: string | null;
  /**
   * A keyed hash of the credentials iCIMS rejected (credential-fingerprint.ts, keyed with the
   * team's key), so an engine that starts with other credentials knows the pause is not its own.
   */
  credentials?: string | null;
}

/** Pause from a console (the Pause button): every engine stops claiming until Resume. */
export interface WorkerPause {
  reason: string;
  since: number;
  by: string | null;
}

export interface RateHold {
  until: number;
  by: string | null;
}

export type BreakerState =
  | { state: 'closed' }
  | { state: 'open'; openedAt: number; nextProbeAt: number; reason: string; by: string | null }
  | { state: 'probing'; openedAt: number; probeOwner: string; probeSince: number; reason: string };

export interface TeamStateSnapshot {
  /** Database time of this read. */
  dbNow: number;
  authPause: AuthPause | null;
  workerPause: WorkerPause | null;
  rateHold: RateHold | null;
  breaker: BreakerState;
  settingsVersion: number;
}

type Key = 'auth_pause' | 'worker_pause' | 'rate_hold' | 'breaker' | 'settings';

/** Upsert one row and notify, as one statement: $1 key, $2 value (jsonb), $3 by. */
const WRITE = `
  WITH written AS (
    INSERT INTO team_state (key, value, updated_by) VALUES ($1, $2::jsonb, $3)
    ON CONFLICT (key) DO UPDATE
      SET value = excluded.value, version = team_state.version + 1, updated_at = team_now_ms(), updated_by = excluded.updated_by
    RETURNING key, version)
  SELECT pg_notify('${TEAM_STATE_CHANNEL}', key), version FROM written`;

export class TeamState {
  constructor(private readonly db: TeamDatabase) {}

  async read(): Promise<TeamStateSnapshot> {
    // The LEFT JOIN gives the database time even before any row exists.
    const rows = await this.db.query<{ key: Key | null; value: unknown; version: string | null; now: string }>(
      `SELECT s.key, s.value, s.version, team_now_ms() AS now FROM (SELECT 1) AS one LEFT JOIN team_state s ON true`,
    );
    const byKey = new Map(rows.filter((row) => row.key !== null).map((row) => [row.key, row]));
    const value = <T>(key: Key): T | null => (byKey.get(key)?.value as T | null | undefined) ?? null;
    const dbNow = Number(rows[0]?.now);
    const hold = value<RateHold>('rate_hold');
    return {
      dbNow,
      authPause: value<AuthPause>('auth_pause'),
      workerPause: value<WorkerPause>('worker_pause'),
      // A hold that has run out is no hold: nobody needs to clear it.
      rateHold: hold && hold.until > dbNow ? hold : null,
      breaker: value<BreakerState>('breaker') ?? { state: 'closed' },
      settingsVersion: Number(byKey.get('settings')?.version ?? 0),
    };
  }

  /** A 401/403 on any engine: every engine stops sending until someone resumes. */
  async pauseForAuth(reason: string, by: string | null, credentials: string | null = null): Promise<void> {
    await this.db.query(
      WRITE.replace(
        '$2::jsonb',
        `jsonb_build_object('reason', $2::text, 'since', team_now_ms(), 'by', $3::text, 'credentials', $4::text)`,
      ),
      ['auth_pause', reason, by, credentials],
    );
  }

  /** New credentials or a resume from any console lifts the pause for all. */
  async resumeAuth(by: string | null): Promise<void> {
    await this.db.query(WRITE, ['auth_pause', 'null', by]);
  }

  async pauseWorkers(reason: string, by: string | null): Promise<void> {
    await this.db.query(
      WRITE.replace('$2::jsonb', `jsonb_build_object('reason', $2::text, 'since', team_now_ms(), 'by', $3::text)`),
      ['worker_pause', reason, by],
    );
  }

  async resumeWorkers(by: string | null): Promise<void> {
    await this.db.query(WRITE, ['worker_pause', 'null', by]);
  }

  /**
   * One engine's 429: the whole team waits Retry-After. A later 429 may lengthen the hold but
   * never shorten it (two engines' answers can arrive in any order).
   */
  async holdForRateLimit(retryAfterMs: number, by: string | null): Promise<number> {
    const rows = await this.db.query<{ until: string }>(
      // The DO UPDATE sees the row locked and current, so two engines' holds cannot race.
      `WITH written AS (
         INSERT INTO team_state (key, value, updated_by)
           VALUES ($1, jsonb_build_object('until', team_now_ms() + $2::bigint, 'by', $3::text), $3)
         ON CONFLICT (key) DO UPDATE
           SET value = CASE WHEN (excluded.value->>'until')::bigint > (team_state.value->>'until')::bigint
                            THEN excluded.value ELSE team_state.value END,
               version = team_state.version + 1, updated_at = team_now_ms(), updated_by = excluded.updated_by
         RETURNING key, (value->>'until')::bigint AS until)
       SELECT pg_notify('${TEAM_STATE_CHANNEL}', key), until FROM written`,
      ['rate_hold', Math.max(0, Math.round(retryAfterMs)), by],
    );
    return Number(rows[0]?.until);
  }

  /** The breaker opened (on this engine's failures): nobody sends until the probe after cooldown. */
  async openBreaker(cooldownMs: number, reason: string, by: string | null): Promise<void> {
    await this.db.query(
      WRITE.replace(
        '$2::jsonb',
        `jsonb_build_object('state', 'open', 'openedAt', team_now_ms(), 'nextProbeAt', team_now_ms() + $4::bigint,
                            'reason', $2::text, 'by', $3::text)`,
      ),
      ['breaker', reason, by, Math.max(0, Math.round(cooldownMs))],
    );
  }

  /**
   * After the cooldown exactly one engine may send the probe. A probe whose engine vanished
   * (no close, no reopen within `probeTimeoutMs`) can be taken over. True if `owner` got it.
   */
  async takeProbe(owner: string, probeTimeoutMs: number): Promise<boolean> {
    const rows = await this.db.query(
      `WITH taken AS (
         UPDATE team_state
            SET value = jsonb_build_object('state', 'probing', 'openedAt', value->'openedAt', 'probeOwner', $1::text,
                                           'probeSince', team_now_ms(), 'reason', value->'reason'),
                version = version + 1, updated_at = team_now_ms(), updated_by = $1
          WHERE key = 'breaker'
            AND ((value->>'state' = 'open' AND (value->>'nextProbeAt')::bigint <= team_now_ms())
              OR (value->>'state' = 'probing' AND (value->>'probeSince')::bigint + $2::bigint <= team_now_ms()))
         RETURNING key)
       SELECT pg_notify('${TEAM_STATE_CHANNEL}', key) FROM taken`,
      [owner, Math.max(0, Math.round(probeTimeoutMs))],
    );
    return rows.length === 1;
  }

  async closeBreaker(by: string | null): Promise<void> {
    await this.db.query(WRITE, ['breaker', JSON.stringify({ state: 'closed' }), by]);
  }

  /**
   * Settings were saved: every engine reloads them. Returns the new version. Given the client of
   * a transaction, the bump commits (and notifies) with what it writes (team-settings.ts).
   */
  async settingsSaved(by: string | null, client?: PoolClient): Promise<number> {
    const rows = client
      ? (await client.query<{ version: string }>(WRITE, ['settings', '{}', by])).rows
      : await this.db.query<{ version: string }>(WRITE, ['settings', '{}', by]);
    return Number(rows[0]?.version);
  }
}
