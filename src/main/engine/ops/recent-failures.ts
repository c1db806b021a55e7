import type { Database } from 'better-sqlite3';
import type { RecentFailure } from '../../../shared/ops-snapshot';
import { perDatabase } from '../sync/per-database';

interface FailureRow {
  at: number;
  operation: string;
  status_code: number | null;
  error_code: string | null;
  error_message: string | null;
  job_id: number | null;
  application_id: string | null;
}

const statements = perDatabase((db) => ({
  failures: db.prepare<[number], FailureRow>(
    `SELECT at, operation, status_code, error_code, error_message, job_id, application_id
       FROM api_calls WHERE outcome = 'failure' ORDER BY at DESC, id DESC LIMIT ?`,
  ),
}));

/** The newest failed iCIMS calls (every class of failure, 429s and data errors included), newest first. */
export function recentFailures(db: Database, limit = 5): RecentFailure[] {
  return statements(db)
    .failures.all(limit)
    .map((row) => ({
      at: new Date(row.at).toISOString(),
      operation: row.operation,
      statusCode: row.status_code,
      error: row.error_message ?? row.error_code ?? (row.status_code !== null ? `HTTP ${row.status_code}` : 'failed'),
      jobId: row.job_id,
      applicationId: row.application_id,
    }));
}
