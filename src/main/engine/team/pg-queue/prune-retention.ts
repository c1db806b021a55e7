import type { TeamDatabase } from '../pg-connection';
import { DB_NOW } from './queue-channel';

/**
 * Retention for the team database (docs/TEAM_MODE.md, "Retention"). What goes, and when:
 *
 * - completed and cancelled jobs older than `jobsMs` (default 30 days): the row, its body (the
 *   event payload with the candidate's name and email, and the note text) and its history. Each
 *   leaves a tombstone — event id, job id, status — so a re-sent event id is still answered as a
 *   duplicate and can never become a second note (enqueue-jobs.ts reads tombstones);
 * - tombstones older than `tombstonesMs` (default 400 days): by then no scheduling system
 *   re-sends the event;
 * - api_calls older than `callsMs` (default 7 days, as the SQLite store's API_CALL_RETENTION_MS)
 *   and their minute rollups; completion minutes after 8 days; daily call counts after 40 days.
 *
 * Pending, processing and failed jobs are never pruned: they still need an engine or a person.
 * Deletion goes in batches with SKIP LOCKED so a prune never holds up claims and autovacuum
 * reclaims space in small steps.
 */
export interface RetentionPolicy {
  jobsMs: number;
  tombstonesMs: number;
  callsMs: number;
  batch: number;
}

const DAY_MS = 86_400_000;
export const DEFAULT_RETENTION: RetentionPolicy = {
  jobsMs: 30 * DAY_MS,
  tombstonesMs: 400 * DAY_MS,
  callsMs: 7 * DAY_MS,
  batch: 1000,
};

export const PG_PRUNE_JOBS = `
  WITH old AS (
    SELECT id, event_id, status FROM sync_jobs
     WHERE (status = 'completed' AND completed_at < ${DB_NOW} - $1::bigint)
        OR (status = 'cancelled' AND updated_at < ${DB_NOW} - $1::bigint)
     ORDER BY id
     LIMIT $2
     FOR UPDATE SKIP LOCKED),
  tombstoned AS (
    INSERT INTO event_tombstones (event_id, job_id, status, pruned_at)
    SELECT event_id, id, status, ${DB_NOW} FROM old
    ON CONFLICT (event_id) DO NOTHING),
  gone AS (DELETE FROM sync_jobs j USING old WHERE j.id = old.id RETURNING j.id)
  SELECT count(*)::int AS n FROM gone`;

export const PG_PRUNE_TOMBSTONES = `
  DELETE FROM event_tombstones WHERE event_id IN (
    SELECT event_id FROM event_tombstones WHERE pruned_at < ${DB_NOW} - $1::bigint LIMIT $2)`;

export const PG_PRUNE_CALLS = `
  DELETE FROM api_calls WHERE id IN (SELECT id FROM api_calls WHERE at < ${DB_NOW} - $1::bigint LIMIT $2)`;

export const PG_PRUNE_SMALL_TABLES = `
  WITH calls AS (DELETE FROM api_call_minutes WHERE minute < ${DB_NOW} - $1::bigint - 60000),
  completions AS (DELETE FROM job_completion_minutes WHERE minute < ${DB_NOW} - ${8 * DAY_MS}::bigint)
  DELETE FROM rate_days WHERE day < (clock_timestamp() AT TIME ZONE 'UTC')::date - 40`;

export interface PruneResult {
  jobs: number;
  tombstones: number;
  calls: number;
}

/** Prunes until nothing past the horizon is left (in batches, each its own transaction). */
export async function pruneRetention(
  db: TeamDatabase,
  policy: RetentionPolicy = DEFAULT_RETENTION,
): Promise<PruneResult> {
  const drain = async (sql: string, horizon: number, counted: boolean): Promise<number> => {
    let total = 0;
    for (;;) {
      const rows = await db.query<{ n?: number }>(counted ? sql : `${sql} RETURNING 1`, [horizon, policy.batch]);
      const n = counted ? (rows[0]?.n ?? 0) : rows.length;
      total += n;
      if (n < policy.batch) return total;
    }
  };
  const jobs = await drain(PG_PRUNE_JOBS, policy.jobsMs, true);
  const tombstones = await drain(PG_PRUNE_TOMBSTONES, policy.tombstonesMs, false);
  const calls = await drain(PG_PRUNE_CALLS, policy.callsMs, false);
  await db.query(PG_PRUNE_SMALL_TABLES, [policy.callsMs]);
  return { jobs, tombstones, calls };
}
