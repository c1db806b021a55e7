/**
 * The job list, SQLite and PostgreSQL side by side: the same filters, the same search, the same
 * keyset pages newest first and the same cursors (a cursor from one store means the same job id in
 * the other). The failure-cause filter takes a failure group's key: the jobs of that group now,
 * found by the grouping both stores share (failure-groups.ts).
 *
 * What differs: SQLite prepares one statement per common filter (status, application, both) and
 * builds a statement only for a search; its LIKE folds ASCII only and reads the candidate's name
 * with json_extract. PostgreSQL builds the conditions per call (pgJobConditions; every value a
 * parameter), searches with ILIKE (any letters) and reads the body (`sync_job_bodies`) only when a
 * search needs it.
 */
import type { Database } from 'better-sqlite3';
import type { JobPage, JobStatus } from '../../../shared/jobs';
import type { TeamDatabase } from '../team/pg-connection';
import { jobColumns, pgJobColumns, pgJobSource, SUMMARY_FIELDS, toJobSummary } from './job-row';
import type { SummaryRow } from './job-row';
import { perDatabase } from './per-database';
import { InvalidCursorError } from './queue-errors';
import { jobIdsWithCause, pgJobIdsWithCause } from './failure-groups';
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
const PG_SUMMARY_COLUMNS = pgJobColumns(SUMMARY_FIELDS);
const PG_SUMMARY_SOURCE = pgJobSource(SUMMARY_FIELDS);

// SQLite prepares the common filters once; a search builds its statement per call (searchFilter).
const SQLITE_LIST_JOBS = `SELECT ${SUMMARY_COLUMNS} FROM sync_jobs WHERE id < ? ORDER BY id DESC LIMIT ?`;
const SQLITE_LIST_JOBS_IN_STATUS = `SELECT ${SUMMARY_COLUMNS} FROM sync_jobs WHERE status = ? AND id < ? ORDER BY id DESC LIMIT ?`;
const SQLITE_LIST_JOBS_OF_APPLICATION = `SELECT ${SUMMARY_COLUMNS} FROM sync_jobs INDEXED BY sync_jobs_application
      WHERE application_id = ? AND id < ? ORDER BY id DESC LIMIT ?`;
const SQLITE_LIST_JOBS_OF_APPLICATION_IN_STATUS = `SELECT ${SUMMARY_COLUMNS} FROM sync_jobs INDEXED BY sync_jobs_application
      WHERE application_id = ? AND status = ? AND id < ? ORDER BY id DESC LIMIT ?`;
const sqliteSearchJobs = (where: readonly string[]): string =>
  `SELECT ${SUMMARY_COLUMNS} FROM sync_jobs WHERE ${where.join(' AND ')} AND id < ? ORDER BY id DESC LIMIT ?`;

// PostgreSQL builds every page from pgJobConditions; `limit` is the last parameter.
const pgListJobsSql = (where: readonly string[], limit: string): string =>
  `SELECT ${PG_SUMMARY_COLUMNS} FROM ${PG_SUMMARY_SOURCE}
      WHERE ${where.join(' AND ')} ORDER BY j.id DESC LIMIT ${limit}`;

const statements = perDatabase((db) => ({
  all: db.prepare<[number, number], SummaryRow>(SQLITE_LIST_JOBS),
  byStatus: db.prepare<[string, number, number], SummaryRow>(SQLITE_LIST_JOBS_IN_STATUS),
  byApplication: db.prepare<[string, number, number], SummaryRow>(SQLITE_LIST_JOBS_OF_APPLICATION),
  byApplicationAndStatus: db.prepare<[string, string, number, number], SummaryRow>(
    SQLITE_LIST_JOBS_OF_APPLICATION_IN_STATUS,
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
    ? db.prepare<unknown[], SummaryRow>(sqliteSearchJobs(searched.where)).all(...searched.params, below, take)
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

/** listJobs on the team database. */
export async function pgListJobs(db: TeamDatabase, query: ListJobsQuery = {}): Promise<JobPage> {
  const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE);
  const below = query.cursor === undefined || query.cursor === '' ? NO_CURSOR : decodeCursor(query.cursor);
  const { where, params } = await pgJobConditions(db, query);
  params.push(below, limit + 1);
  where.push(`j.id < $${params.length - 1}`);
  // One row more than asked tells whether another page exists.
  const rows = await db.query<SummaryRow>(pgListJobsSql(where, `$${params.length}`), params);
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

/**
 * `application_id = n` for PostgreSQL over `sync_jobs j`, spelled as the two partial indexes that hold an
 * application's jobs (team migration 5): its open jobs (pending, processing) in
 * sync_jobs_open_by_application, the others in sync_jobs_settled_by_application. The planner reads
 * each arm from its index and joins them (a BitmapOr); written plainly it would match neither
 * index and scan the table. The same rows either way (status is never null).
 */
export const pgOfApplication = (n: string): string =>
  `((j.application_id = ${n} AND (j.status = 'pending' OR j.status = 'processing'))
     OR (j.application_id = ${n} AND j.status <> 'pending' AND j.status <> 'processing'))`;

/**
 * The list's filters as PostgreSQL conditions over `sync_jobs j` with numbered parameters (the
 * counts take the same ones, job-counts.ts). Case-insensitive search (ILIKE, for any letters) over
 * the application id, the event id and the candidate's name in the stored event (the payload is the
 * event as ingest validated it, always JSON). A failure-cause filter is resolved to its jobs' ids first.
 */
export async function pgJobConditions(
  db: TeamDatabase,
  query: Omit<ListJobsQuery, 'limit' | 'cursor'>,
): Promise<{ where: string[]; params: unknown[] }> {
  const causeIds = query.cause ? await pgJobIdsWithCause(db, query.cause) : null;
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (condition: (n: string) => string, value: unknown): void => {
    params.push(value);
    where.push(condition(`$${params.length}`));
  };
  if (query.status !== undefined) add((n) => `j.status = ${n}`, query.status);
  if (query.applicationId !== undefined) add(pgOfApplication, query.applicationId);
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    add(
      (n) => `(j.application_id ILIKE ${n} ESCAPE '\\' OR j.event_id ILIKE ${n} ESCAPE '\\'
               OR EXISTS (SELECT 1 FROM sync_job_bodies s WHERE s.job_id = j.id
                           AND (s.payload::jsonb ->> 'candidateName') ILIKE ${n} ESCAPE '\\'))`,
      like,
    );
  }
  if (query.type) add((n) => `j.type = ${n}`, query.type);
  if (query.from) add((n) => `j.created_at >= ${n}`, Date.parse(query.from));
  if (query.to) add((n) => `j.created_at < ${n}`, Date.parse(query.to));
  if (causeIds) add((n) => `j.id = ANY(${n}::bigint[])`, causeIds);
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
