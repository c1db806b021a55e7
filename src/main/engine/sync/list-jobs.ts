import type { Database } from 'better-sqlite3';
import type { JobPage, JobStatus } from '../../../shared/jobs';
import { jobColumns, SUMMARY_FIELDS, toJobSummary } from './job-row';
import type { SummaryRow } from './job-row';
import { perDatabase } from './per-database';
import { InvalidCursorError } from './queue-errors';
import { jobIdsWithCause } from './failure-groups';
import type { EventType } from '../../../shared/scheduling-event';

export interface ListJobsQuery {
  status?: JobStatus;
  /** Exact application id. */
  applicationId?: string;
  limit?: number;
  /** A previous page's `nextCursor`. */
  cursor?: string;
  /** Part of an application id, event id or candidate name, any case. */
  q?: string;
  type?: EventType;
  /** ISO times: stored at or after `from`, before `to`. */
  from?: string;
  to?: string;
  /** A failure group's key. */
  cause?: string;
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
  const searched = searchFilter(db, query);
  const rows = searched
    ? db
        .prepare<unknown[], SummaryRow>(
          `SELECT ${SUMMARY_COLUMNS} FROM sync_jobs WHERE ${searched.where.join(' AND ')} AND id < ? ORDER BY id DESC LIMIT ?`,
        )
        .all(...searched.params, below, take)
    : query.applicationId !== undefined && query.status !== undefined
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

/**
 * The search and filters beyond status and exact application id. They are for a person looking
 * for something, not for the worker: the query is built per call and may scan the table (the
 * candidate's name lives in the stored event). LIKE is case-insensitive for ASCII in SQLite.
 */
export function searchFilter(db: Database, query: ListJobsQuery): { where: string[]; params: unknown[] } | null {
  if (!query.q && !query.type && !query.from && !query.to && !query.cause) return null;
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.status !== undefined) {
    where.push('status = ?');
    params.push(query.status);
  }
  if (query.applicationId !== undefined) {
    where.push('application_id = ?');
    params.push(query.applicationId);
  }
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      "(application_id LIKE ? ESCAPE '\\' OR event_id LIKE ? ESCAPE '\\' OR json_extract(payload, '$.candidateName') LIKE ? ESCAPE '\\')",
    );
    params.push(like, like, like);
  }
  if (query.type) {
    where.push('type = ?');
    params.push(query.type);
  }
  if (query.from) {
    where.push('created_at >= ?');
    params.push(Date.parse(query.from));
  }
  if (query.to) {
    where.push('created_at < ?');
    params.push(Date.parse(query.to));
  }
  if (query.cause) {
    where.push('id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(jobIdsWithCause(db, query.cause)));
  }
  return { where, params };
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
