import type { Database } from 'better-sqlite3';
import type { JobCounts, JobStatus } from '../../../shared/jobs';
import type { ListJobsQuery } from './list-jobs';
import { searchFilter } from './list-jobs';
import { perDatabase } from './per-database';

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60_000;

const statements = perDatabase((db) => ({
  // One indexed count per status: a range of the (status, id) index each, never a table scan.
  byStatus: db.prepare<[string], number>('SELECT count(*) FROM sync_jobs WHERE status = ?').pluck(),
  byApplication: db.prepare<[string], { status: string; n: number }>(
    'SELECT status, count(*) AS n FROM sync_jobs WHERE application_id = ? GROUP BY status',
  ),
  completedMinutes: db
    .prepare<[number], number | null>('SELECT sum(completed) FROM job_completion_minutes WHERE minute >= ?')
    .pluck(),
  completedBetween: db
    .prepare<[number, number], number>(
      "SELECT count(*) FROM sync_jobs INDEXED BY sync_jobs_completed_at WHERE status = 'completed' AND completed_at >= ? AND completed_at < ?",
    )
    .pluck(),
  inDoubt: db
    .prepare<[], number>(
      "SELECT count(*) FROM sync_jobs INDEXED BY sync_jobs_in_doubt WHERE in_doubt = 1 AND status <> 'cancelled'",
    )
    .pluck(),
  failedSince: db
    .prepare<[number], number>(
      "SELECT count(*) FROM sync_jobs INDEXED BY sync_jobs_failed_at WHERE status = 'failed' AND updated_at >= ?",
    )
    .pluck(),
}));

/** Jobs whose last write may have reached iCIMS unanswered and that will read it back (cancelled ones will not). */
export function countJobsInDoubt(db: Database): number {
  return statements(db).inDoubt.get() ?? 0;
}

/** Jobs now in one status. */
export function countJobsInStatus(db: Database, status: JobStatus): number {
  return statements(db).byStatus.get(status) ?? 0;
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
    ? db
        .prepare<unknown[], { status: string; n: number }>(
          `SELECT status, count(*) AS n FROM sync_jobs WHERE ${searched.where.join(' AND ')} GROUP BY status`,
        )
        .all(...searched.params)
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
