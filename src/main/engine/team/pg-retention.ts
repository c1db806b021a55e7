import { AUDIT_RETENTION_MS } from '../audit/audit-trail';
import { API_CALL_RETENTION_MS } from '../ops/api-call-repository';
import { PRUNE_BATCH, pgDrain, pgPruneJobs, pgPruneOlderThan } from '../sync/prune-jobs';
import type { TeamDatabase } from './pg-connection';
import { DB_NOW } from './pg-queue/queue-channel';

const DAY_MS = 86_400_000;

/** One batch of API call records older than the SQLite store keeps its own (7 days). */
export const PG_PRUNE_CALLS = pgPruneOlderThan('api_calls', 'id', 'at', API_CALL_RETENTION_MS);

/** One batch of the team's audit entries older than a console keeps its own (a year). */
export const PG_PRUNE_AUDIT = pgPruneOlderThan('audit_log', 'id', 'at', AUDIT_RETENTION_MS);

/** The small tables, whole: call minutes with their calls, completion minutes, daily call counts. */
export const PG_PRUNE_SMALL_TABLES = `
  WITH calls AS (DELETE FROM api_call_minutes WHERE minute < ${DB_NOW} - ${API_CALL_RETENTION_MS}::bigint - 60000),
  completions AS (DELETE FROM job_completion_minutes WHERE minute < ${DB_NOW} - ${8 * DAY_MS}::bigint)
  DELETE FROM rate_days WHERE day < (clock_timestamp() AT TIME ZONE 'UTC')::date - 40`;

export interface TeamPruneResult {
  jobs: number;
  tombstones: number;
  calls: number;
  audit: number;
}

/**
 * Retention for the team database (docs/TEAM_MODE.md, "Retention"), which any engine may run:
 * first the queue — old completed and cancelled jobs with their bodies and tries, leaving
 * tombstones, then old tombstones: sync/prune-jobs.ts (`pgPruneJobs`, beside SQLite's pruneJobs,
 * with the horizons both share) — then what is the team's alone: api_calls older than 7 days (as
 * the SQLite store's API_CALL_RETENTION_MS) and their minute rollups, audit entries after a year
 * (AUDIT_RETENTION_MS), completion minutes after 8 days, daily call counts after 40 days. Everything in batches of `batch` (each its own
 * statement, the jobs under SKIP LOCKED), so a prune never holds up claims and autovacuum reclaims
 * space in small steps.
 */
export async function pruneTeamRetention(db: TeamDatabase, batch = PRUNE_BATCH): Promise<TeamPruneResult> {
  const { jobs, tombstones } = await pgPruneJobs(db, batch);
  const calls = await pgDrain(db, PG_PRUNE_CALLS, batch);
  const audit = await pgDrain(db, PG_PRUNE_AUDIT, batch);
  await db.query(PG_PRUNE_SMALL_TABLES);
  return { jobs, tombstones, calls, audit };
}
