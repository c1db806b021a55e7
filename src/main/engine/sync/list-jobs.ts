import type { Database } from 'better-sqlite3';
import type { JobPage, JobStatus } from '../../../shared/jobs';
import { jobColumns, SUMMARY_FIELDS, toJobSummary } from './job-row';
import type { SummaryRow } from './job-row';
import { perDatabase } from './per-database';
import { InvalidCursorError } from './queue-errors';

export interface ListJobsQuery {
  status?: JobStatus;
  /** Exact application id. */
  applicationId?: string;
  limit?: number;
  /** A previous page's `nextCursor`. */
  cursor?: string;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/**
 * Keyset paging, newest first: a page is "the next N ids below the cursor", answered from an
 * index whatever the page number, and rows stored meanwhile never shift a page (no gaps, no
 * repeats). With no cursor the bound is above every id.
 */
const NO_CURSOR = Number.MAX_SAFE_INTEGER;

const SUMMARY_COLUMNS = jobColumns(SUMMARY_FIELDS);

const statements = perDatabase((db) => ({
  all: db.prepare<[number, number], SummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM sync_jobs WHERE id < ? ORDER BY id DESC LIMIT ?`,
  ),
  byStatus: db.prepare<[string, number, number], SummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM sync_jobs WHERE status = ? AND id < ? ORDER BY id DESC LIMIT ?`,
  ),
  byApplication: db.prepare<[string, number, number], SummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM sync_jobs INDEXED BY sync_jobs_application
      WHERE application_id = ? AND id < ? ORDER BY id DESC LIMIT ?`,
  ),
  byApplicationAndStatus: db.prepare<[string, string, number, number], SummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM sync_jobs INDEXED BY sync_jobs_application
      WHERE application_id = ? AND status = ? AND id < ? ORDER BY id DESC LIMIT ?`,
  ),
}));

export function listJobs(db: Database, query: ListJobsQuery = {}): JobPage {
  const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE);
  const below = query.cursor === undefined || query.cursor === '' ? NO_CURSOR : decodeCursor(query.cursor);
  const s = statements(db);
  // One row more than asked tells whether another page exists.
  const take = limit + 1;
  const rows =
    query.applicationId !== undefined && query.status !== undefined
      ? s.byApplicationAndStatus.all(query.applicationId, query.status, below, take)
      : query.applicationId !== undefined
        ? s.byApplication.all(query.applicationId, below, take)
        : query.status !== undefined
          ? s.byStatus.all(query.status, below, take)
          : s.all.all(below, take);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    jobs: page.map(toJobSummary),
    nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null,
  };
}

export function encodeCursor(id: number): string {
  return Buffer.from(`j1:${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^j1:([1-9][0-9]{0,15})$/.exec(text);
  const id = match?.[1] === undefined ? NaN : Number(match[1]);
  if (!Number.isSafeInteger(id)) throw new InvalidCursorError();
  return id;
}
