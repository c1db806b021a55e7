/**
 * Job counts, SQLite and PostgreSQL side by side: per status (for the whole queue, one
 * application, or what a search finds), in doubt, finished in the last 24 hours, and the ops
 * snapshot's queue counts. Each count is a range of an index, never a scan of the whole table;
 * completions in the last 24 hours are the completed_at index for the partial minute at the start
 * of the window plus the per-minute counts for whole minutes — exact at the boundary without
 * counting a day of jobs.
 *
 * What differs: SQLite takes `now` from the engine, names its indexes and asks one count per
 * statement; PostgreSQL puts every window on the database clock ("the last 24 hours" is the same
 * span whichever engine's console asks) and answers the status counts and the ops snapshot in one
 * statement each.
 */
import type { Database } from 'better-sqlite3';
import type { JobCounts, JobStatus } from '../../../shared/jobs';
import type { TeamDatabase } from '../team/pg-connection';
import { DB_NOW } from '../team/pg-queue/queue-channel';
import type { ListJobsQuery } from './list-jobs';
import { pgJobConditions, pgOfApplication, searchFilter } from './list-jobs';
import { perDatabase } from './per-database';

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60_000;

const SQLITE_COUNT_IN_STATUS = 'SELECT count(*) FROM sync_jobs WHERE status = ?';
export const PG_COUNT_IN_STATUS = 'SELECT count(*)::int AS n FROM sync_jobs WHERE status = $1';

const PG_STATUSES = [
  'pending',
  'processing',
  'completed',
  'failed',
  'cancelled',
  'held',
] as const satisfies readonly (keyof JobCounts)[];

// SQLite asks SQLITE_COUNT_IN_STATUS once per status; PostgreSQL all six in one statement.
export const PG_COUNT_JOBS = `SELECT ${PG_STATUSES.map(
  (status) => `(SELECT count(*)::int FROM sync_jobs WHERE status = '${status}') AS ${status}`,
).join(', ')}`;

const SQLITE_COUNT_JOBS_OF_APPLICATION =
  'SELECT status, count(*) AS n FROM sync_jobs WHERE application_id = ? GROUP BY status';
export const PG_COUNT_JOBS_OF_APPLICATION = `
  SELECT j.status, count(*)::int AS n FROM sync_jobs j WHERE ${pgOfApplication('$1')} GROUP BY j.status`;

const SQLITE_COUNT_IN_DOUBT =
  "SELECT count(*) FROM sync_jobs INDEXED BY sync_jobs_in_doubt WHERE in_doubt = 1 AND status <> 'cancelled'";
export const PG_COUNT_IN_DOUBT = "SELECT count(*)::int AS n FROM sync_jobs WHERE in_doubt AND status <> 'cancelled'";

// What a search finds, per status: the list's conditions but the status (list-jobs.ts).
const sqliteCountSearched = (where: readonly string[]): string =>
  `SELECT status, count(*) AS n FROM sync_jobs WHERE ${where.join(' AND ')} GROUP BY status`;
const pgCountSearched = (where: readonly string[]): string =>
  `SELECT j.status, count(*)::int AS n FROM sync_jobs j WHERE ${where.join(' AND ')} GROUP BY j.status`;

// SQLite computes the window's bounds in the engine and asks these three; PostgreSQL asks
// PG_FINISHED_LAST_24H, which computes them from the database's now.
const SQLITE_COMPLETED_MINUTES = 'SELECT sum(completed) FROM job_completion_minutes WHERE minute >= ?';
const SQLITE_COMPLETED_BETWEEN =
  "SELECT count(*) FROM sync_jobs INDEXED BY sync_jobs_completed_at WHERE status = 'completed' AND completed_at >= ? AND completed_at < ?";
const SQLITE_FAILED_SINCE =
  "SELECT count(*) FROM sync_jobs INDEXED BY sync_jobs_failed_at WHERE status = 'failed' AND updated_at >= ?";

export const PG_FINISHED_LAST_24H = `
  WITH w AS (SELECT ${DB_NOW} - 86400000 AS since),
  b AS (SELECT since, ((since + 59999) / 60000) * 60000 AS whole FROM w)
  SELECT ((SELECT count(*) FROM sync_jobs WHERE status = 'completed' AND completed_at >= b.since AND completed_at < b.whole)
          + coalesce((SELECT sum(completed) FROM job_completion_minutes WHERE minute >= b.whole), 0))::int AS completed,
         (SELECT count(*) FROM sync_jobs WHERE status = 'failed' AND updated_at >= b.since)::int AS failed
    FROM b`;

/** What the ops snapshot reads of the queue (queueCounts), in one statement. */
export const PG_QUEUE_COUNTS = `
  SELECT (SELECT count(*)::int FROM sync_jobs WHERE status = 'pending') AS pending,
         (SELECT count(*)::int FROM sync_jobs WHERE status = 'processing') AS processing,
         (SELECT count(*)::int FROM sync_jobs WHERE status = 'failed') AS failed,
         (SELECT count(*)::int FROM sync_jobs WHERE status = 'held') AS held,
         (SELECT count(*)::int FROM sync_jobs WHERE in_doubt AND status <> 'cancelled') AS "inDoubt",
         f.completed AS "completedLast24h", f.failed AS "failedLast24h"
    FROM (${PG_FINISHED_LAST_24H}) f`;

const statements = perDatabase((db) => ({
  byStatus: db.prepare<[string], number>(SQLITE_COUNT_IN_STATUS).pluck(),
  byApplication: db.prepare<[string], { status: string; n: number }>(SQLITE_COUNT_JOBS_OF_APPLICATION),
  completedMinutes: db.prepare<[number], number | null>(SQLITE_COMPLETED_MINUTES).pluck(),
  completedBetween: db.prepare<[number, number], number>(SQLITE_COMPLETED_BETWEEN).pluck(),
  inDoubt: db.prepare<[], number>(SQLITE_COUNT_IN_DOUBT).pluck(),
  failedSince: db.prepare<[number], number>(SQLITE_FAILED_SINCE).pluck(),
}));

const pgCount = async (db: TeamDatabase, sql: string, values: unknown[]): Promise<number> =>
  (await db.query<{ n: number }>(sql, values))[0]?.n ?? 0;

/** Jobs whose last write may have reached iCIMS unanswered and that will read it back (cancelled ones will not). */
export function countJobsInDoubt(db: Database): number {
  return statements(db).inDoubt.get() ?? 0;
}

/** countJobsInDoubt on the team database. */
export function pgCountJobsInDoubt(db: TeamDatabase): Promise<number> {
  return pgCount(db, PG_COUNT_IN_DOUBT, []);
}

/** Jobs now in one status. */
export function countJobsInStatus(db: Database, status: JobStatus): number {
  return statements(db).byStatus.get(status) ?? 0;
}

/** countJobsInStatus on the team database. */
export function pgCountJobsInStatus(db: TeamDatabase, status: JobStatus): Promise<number> {
  return pgCount(db, PG_COUNT_IN_STATUS, [status]);
}

/** What the counts may be narrowed to: the Jobs screen's search and filters, all but the status. */
export type CountJobsFilter = Omit<ListJobsQuery, 'status' | 'limit' | 'cursor'>;

/**
 * Jobs per status, for the whole queue or for what a search finds (the same filters as the list,
 * so the status tabs count the rows the list shows).
 */
export function countJobs(db: Database, filter: CountJobsFilter = {}): JobCounts {
  const s = statements(db);
  const searched = searchFilter(db, filter);
  const rows = searched
    ? db.prepare<unknown[], { status: string; n: number }>(sqliteCountSearched(searched.where)).all(...searched.params)
    : filter.applicationId !== undefined
      ? s.byApplication.all(filter.applicationId)
      : null;
  if (rows) {
    const counts: JobCounts = { pending: 0, processing: 0, completed: 0, failed: 0, cancelled: 0, held: 0 };
    for (const row of rows) counts[row.status as keyof JobCounts] = row.n;
    return counts;
  }
  return {
    pending: s.byStatus.get('pending') ?? 0,
    processing: s.byStatus.get('processing') ?? 0,
    completed: s.byStatus.get('completed') ?? 0,
    failed: s.byStatus.get('failed') ?? 0,
    cancelled: s.byStatus.get('cancelled') ?? 0,
    held: s.byStatus.get('held') ?? 0,
  };
}

/** countJobs on the team database: the list's filters but the status (pgJobConditions). */
export async function pgCountJobs(db: TeamDatabase, filter: CountJobsFilter = {}): Promise<JobCounts> {
  const counts: JobCounts = { pending: 0, processing: 0, completed: 0, failed: 0, cancelled: 0, held: 0 };
  const searched = Boolean(filter.q || filter.type || filter.from || filter.to || filter.cause);
  if (!searched && filter.applicationId === undefined) {
    const [row] = await db.query<JobCounts>(PG_COUNT_JOBS);
    return { ...counts, ...row };
  }
  let rows: { status: keyof JobCounts; n: number }[];
  if (searched) {
    const { where, params } = await pgJobConditions(db, filter);
    rows = await db.query(pgCountSearched(where), params);
  } else {
    rows = await db.query(PG_COUNT_JOBS_OF_APPLICATION, [filter.applicationId]);
  }
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/**
 * Jobs completed since `now` − 24 h, and jobs that failed since then and are still failed (one
 * retried since no longer counts: it is not failed any more).
 *
 * Completions come from the per-minute counts for whole minutes and from the completed_at index
 * for the partial minute at the start — exact at the boundary without counting a day of jobs.
 */
export function countFinishedLast24h(db: Database, now: number): { completedLast24h: number; failedLast24h: number } {
  const s = statements(db);
  const from = now - DAY_MS;
  const firstWhole = Math.ceil(from / MINUTE_MS) * MINUTE_MS;
  const edge = firstWhole > from ? (s.completedBetween.get(from, firstWhole) ?? 0) : 0;
  return {
    completedLast24h: edge + (s.completedMinutes.get(firstWhole) ?? 0),
    failedLast24h: s.failedSince.get(from) ?? 0,
  };
}

/** countFinishedLast24h on the team database: the last 24 hours of database time. */
export async function pgCountFinishedLast24h(
  db: TeamDatabase,
): Promise<{ completedLast24h: number; failedLast24h: number }> {
  const [row] = await db.query<{ completed: number; failed: number }>(PG_FINISHED_LAST_24H);
  return { completedLast24h: row?.completed ?? 0, failedLast24h: row?.failed ?? 0 };
}

/** What the ops snapshot and the backlog forecast read of the queue (both stores answer it). */
export interface QueueCounts {
  pending: number;
  processing: number;
  failed: number;
  held: number;
  /** Jobs that owe a read-back before their next write (cancelled ones do not). */
  inDoubt: number;
  completedLast24h: number;
  /** Failed since now − 24 h and still failed. */
  failedLast24h: number;
}

/** The queue's counts for the ops snapshot, each from an index. */
export function queueCounts(db: Database, now: number): QueueCounts {
  return {
    pending: countJobsInStatus(db, 'pending'),
    processing: countJobsInStatus(db, 'processing'),
    failed: countJobsInStatus(db, 'failed'),
    held: countJobsInStatus(db, 'held'),
    inDoubt: countJobsInDoubt(db),
    ...countFinishedLast24h(db, now),
  };
}

/** queueCounts on the team database; "the last 24 hours" on the database clock. */
export async function pgQueueCounts(db: TeamDatabase): Promise<QueueCounts> {
  const [row] = await db.query<QueueCounts>(PG_QUEUE_COUNTS);
  if (!row) throw new Error('the queue counts returned no row');
  return row;
}
