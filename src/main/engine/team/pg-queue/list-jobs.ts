import type { JobPage } from '../../../../shared/jobs';
import { SUMMARY_FIELDS, toJobSummary } from '../../sync/job-row';
import type { SummaryRow } from '../../sync/job-row';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor, MAX_PAGE_SIZE } from '../../sync/list-jobs';
import type { ListJobsQuery } from '../../sync/list-jobs';
import type { TeamDatabase } from '../pg-connection';
import { jobIdsWithCause } from './failure-groups';
import { pgJobColumns, pgJobSource } from './job-row';

/**
 * PostgreSQL side of sync/list-jobs.ts: the same filters, the same search, the same keyset pages
 * newest first and the same cursors (a cursor from one store means the same job id in the
 * other). Every value is a parameter; only the list of conditions is built per call.
 *
 * The search is case-insensitive (ILIKE, for any letters, where SQLite's LIKE folds ASCII only)
 * over the application id, the event id and the candidate's name in the stored event; the body
 * is read only when a search needs it (the payload is the event as ingest validated it, always
 * JSON). The failure-cause filter takes a failure group's key: the jobs of that group now, found
 * by the grouping both stores share (failure-groups.ts).
 */
const SUMMARY_COLUMNS = pgJobColumns(SUMMARY_FIELDS);
const SUMMARY_SOURCE = pgJobSource(SUMMARY_FIELDS);
const NO_CURSOR = Number.MAX_SAFE_INTEGER;

export async function listJobs(db: TeamDatabase, query: ListJobsQuery = {}): Promise<JobPage> {
  const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE);
  const below = query.cursor === undefined || query.cursor === '' ? NO_CURSOR : decodeCursor(query.cursor);
  const { where, params } = await jobConditions(db, query);
  params.push(below, limit + 1);
  where.push(`j.id < $${params.length - 1}`);
  // One row more than asked tells whether another page exists.
  const rows = await db.query<SummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM ${SUMMARY_SOURCE}
      WHERE ${where.join(' AND ')} ORDER BY j.id DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    jobs: page.map(toJobSummary),
    nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null,
  };
}

/**
 * The list's filters as conditions over `sync_jobs j` with numbered parameters (the counts take the
 * same ones, job-counts.ts). A failure-cause filter is resolved to its jobs' ids first.
 */
export async function jobConditions(
  db: TeamDatabase,
  query: Omit<ListJobsQuery, 'limit' | 'cursor'>,
): Promise<{ where: string[]; params: unknown[] }> {
  const causeIds = query.cause ? await jobIdsWithCause(db, query.cause) : null;
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (condition: (n: string) => string, value: unknown): void => {
    params.push(value);
    where.push(condition(`$${params.length}`));
  };
  if (query.status !== undefined) add((n) => `j.status = ${n}`, query.status);
  if (query.applicationId !== undefined) add((n) => `j.application_id = ${n}`, query.applicationId);
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
