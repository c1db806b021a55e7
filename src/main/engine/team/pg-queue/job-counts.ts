import type { JobCounts, JobStatus } from '../../../../shared/jobs';
import type { CountJobsFilter, QueueCounts } from '../../sync/job-counts';
import type { TeamDatabase } from '../pg-connection';
import { jobConditions } from './list-jobs';
import { DB_NOW } from './queue-channel';

/**
 * PostgreSQL side of sync/job-counts.ts. Every time window is on the database clock: "the last
 * 24 hours" is the same span whichever engine's console asks.
 */
const STATUSES = [
  'pending',
  'processing',
  'completed',
  'failed',
  'cancelled',
  'held',
] as const satisfies readonly (keyof JobCounts)[];

// One count per status, each a range of the (status, id) index, never a scan of the whole table.
export const PG_COUNT_JOBS = `SELECT ${STATUSES.map(
  (status) => `(SELECT count(*)::int FROM sync_jobs WHERE status = '${status}') AS ${status}`,
).join(', ')}`;

export const PG_COUNT_JOBS_OF_APPLICATION = `
  SELECT status, count(*)::int AS n FROM sync_jobs WHERE application_id = $1 GROUP BY status`;

export const PG_COUNT_IN_STATUS = 'SELECT count(*)::int AS n FROM sync_jobs WHERE status = $1';

export const PG_COUNT_IN_DOUBT = "SELECT count(*)::int AS n FROM sync_jobs WHERE in_doubt AND status <> 'cancelled'";

/**
 * Completions: the completed_at index for the partial minute at the start of the window, then
 * the per-minute counts for whole minutes — exact at the boundary without counting a day of jobs.
 */
export const PG_FINISHED_LAST_24H = `
  WITH w AS (SELECT ${DB_NOW} - 86400000 AS since),
  b AS (SELECT since, ((since + 59999) / 60000) * 60000 AS whole FROM w)
  SELECT ((SELECT count(*) FROM sync_jobs WHERE status = 'completed' AND completed_at >= b.since AND completed_at < b.whole)
          + coalesce((SELECT sum(completed) FROM job_completion_minutes WHERE minute >= b.whole), 0))::int AS completed,
         (SELECT count(*) FROM sync_jobs WHERE status = 'failed' AND updated_at >= b.since)::int AS failed
    FROM b`;

const count = async (db: TeamDatabase, sql: string, values: unknown[]): Promise<number> =>
  (await db.query<{ n: number }>(sql, values))[0]?.n ?? 0;

/** Jobs whose last write may have reached iCIMS unanswered and that will read it back (cancelled ones will not). */
export function countJobsInDoubt(db: TeamDatabase): Promise<number> {
  return count(db, PG_COUNT_IN_DOUBT, []);
}

/** Jobs now in one status. */
export function countJobsInStatus(db: TeamDatabase, status: JobStatus): Promise<number> {
  return count(db, PG_COUNT_IN_STATUS, [status]);
}

/**
 * Jobs per status, for the whole queue or for what a search finds: the list's filters but the
 * status (list-jobs.ts), so the status tabs count the rows the list shows.
 */
export async function countJobs(db: TeamDatabase, filter: CountJobsFilter = {}): Promise<JobCounts> {
  const counts: JobCounts = { pending: 0, processing: 0, completed: 0, failed: 0, cancelled: 0, held: 0 };
  const searched = Boolean(filter.q || filter.type || filter.from || filter.to || filter.cause);
  if (!searched && filter.applicationId === undefined) {
    const [row] = await db.query<JobCounts>(PG_COUNT_JOBS);
    return { ...counts, ...row };
  }
  let rows: { status: keyof JobCounts; n: number }[];
  if (searched) {
    const { where, params } = await jobConditions(db, filter);
    rows = await db.query(
      `SELECT j.status, count(*)::int AS n FROM sync_jobs j WHERE ${where.join(' AND ')} GROUP BY j.status`,
      params,
    );
  } else {
    rows = await db.query(PG_COUNT_JOBS_OF_APPLICATION, [filter.applicationId]);
  }
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/**
 * Jobs completed in the last 24 hours of database time, and jobs that failed in them and are
 * still failed (one retried since no longer counts: it is not failed any more).
 */
export async function countFinishedLast24h(
  db: TeamDatabase,
): Promise<{ completedLast24h: number; failedLast24h: number }> {
  const [row] = await db.query<{ completed: number; failed: number }>(PG_FINISHED_LAST_24H);
  return { completedLast24h: row?.completed ?? 0, failedLast24h: row?.failed ?? 0 };
}

/** What the ops snapshot reads of the queue (sync/job-counts.ts's queueCounts), in one statement. */
export const PG_QUEUE_COUNTS = `
  SELECT (SELECT count(*)::int FROM sync_jobs WHERE status = 'pending') AS pending,
         (SELECT count(*)::int FROM sync_jobs WHERE status = 'processing') AS processing,
         (SELECT count(*)::int FROM sync_jobs WHERE status = 'failed') AS failed,
         (SELECT count(*)::int FROM sync_jobs WHERE status = 'held') AS held,
         (SELECT count(*)::int FROM sync_jobs WHERE in_doubt AND status <> 'cancelled') AS "inDoubt",
         f.completed AS "completedLast24h", f.failed AS "failedLast24h"
    FROM (${PG_FINISHED_LAST_24H}) f`;

/** The queue's counts for the ops snapshot; "the last 24 hours" on the database clock. */
export async function queueCounts(db: TeamDatabase): Promise<QueueCounts> {
  const [row] = await db.query<QueueCounts>(PG_QUEUE_COUNTS);
  if (!row) throw new Error('the queue counts returned no row');
  return row;
}
