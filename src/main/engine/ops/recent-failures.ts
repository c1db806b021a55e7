import type { Database } from 'better-sqlite3';
import type { RecentFailure } from '../../../shared/ops-snapshot';
import { perDatabase } from '../sync/per-database';
import type { TeamDatabase } from '../team/pg-connection';

interface FailureRow {
  at: number;
  operation: string;
  status_code: number | null;
  error_code: string | null;
  error_message: string | null;
  job_id: number | null;
  application_id: string | null;
}

// SQLite and PostgreSQL side by side; the team's rows also name the engine that made the call.
const SQLITE_RECENT_FAILURES = `SELECT at, operation, status_code, error_code, error_message, job_id, application_id
       FROM api_calls WHERE outcome = 'failure' ORDER BY at DESC, id DESC LIMIT ?`;
const PG_RECENT_FAILURES = `SELECT at::float8 AS at, operation, status_code, error_code, error_message,
       job_id::float8 AS job_id, application_id, node
  FROM api_calls WHERE outcome = 'failure' ORDER BY at DESC, id DESC LIMIT $1`;

const statements = perDatabase((db) => ({
  failures: db.prepare<[number], FailureRow>(SQLITE_RECENT_FAILURES),
}));

/** The newest failed iCIMS calls (every class of failure, 429s and data errors included), newest first. */
export function recentFailures(db: Database, limit = 5): RecentFailure[] {
  return statements(db).failures.all(limit).map(failureOf);
}

/** recentFailures over the team's calls, each with the engine that made it. */
export async function pgRecentFailures(db: TeamDatabase, limit = 5): Promise<RecentFailure[]> {
  const rows = await db.query<FailureRow & { node: string }>(PG_RECENT_FAILURES, [limit]);
  return rows.map((row) => ({ ...failureOf(row), node: row.node }));
}

function failureOf(row: FailureRow): RecentFailure {
  return {
    at: new Date(row.at).toISOString(),
    operation: row.operation,
    statusCode: row.status_code,
    error: row.error_message ?? row.error_code ?? (row.status_code !== null ? `HTTP ${row.status_code}` : 'failed'),
    jobId: row.job_id,
    applicationId: row.application_id,
  };
}
