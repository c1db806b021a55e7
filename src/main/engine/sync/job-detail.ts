import type { Database } from 'better-sqlite3';
import type { JobAttempt, JobDetail } from '../../../shared/jobs';
import { ALL_JOB_FIELDS, isoTime, isoTimeOrNull, jobColumns, toJobSummary } from './job-row';
import type { JobRow } from './job-row';
import { perDatabase } from './per-database';
import { JobNotFoundError } from './queue-errors';

interface AttemptRow {
  at: number;
  label: string;
  outcome: JobAttempt['outcome'];
  status_code: number | null;
  latency_ms: number | null;
  error: string | null;
}

const statements = perDatabase((db) => ({
  job: db.prepare<[number], JobRow>(`SELECT ${jobColumns(ALL_JOB_FIELDS)} FROM sync_jobs WHERE id = ?`),
  history: db.prepare<[number], AttemptRow>(
    'SELECT at, label, outcome, status_code, latency_ms, error FROM job_attempts WHERE job_id = ? ORDER BY id',
  ),
}));

/** The Jobs screen's detail view: the summary plus the note, the key, the event and every try, oldest first. */
export function getJobDetail(db: Database, jobId: number): JobDetail {
  const s = statements(db);
  const row = s.job.get(jobId);
  if (!row) throw new JobNotFoundError(jobId);
  return toJobDetail(row, historyOf(row, s.history.all(jobId)));
}

/** A job row and its tries, oldest first, as the detail view shows them (both stores). */
export function toJobDetail(row: JobRow, history: JobAttempt[]): JobDetail {
  return {
    ...toJobSummary(row),
    entityType: row.entityType,
    entityId: row.entityId,
    noteText: row.noteText,
    idempotencyKey: row.idempotencyKey,
    event: parseEvent(row.payload),
    leaseExpiresAt: isoTimeOrNull(row.leaseExpiresAt),
    completedAt: isoTimeOrNull(row.completedAt),
    icimsNoteId: row.icimsNoteId,
    history,
  };
}

/**
 * Every try, oldest first: the rows in job_attempts, then the successful try a completed job
 * keeps on its own row (complete-job.ts), which is always the newest.
 */
function historyOf(row: JobRow, attempts: AttemptRow[]): JobAttempt[] {
  const history: JobAttempt[] = attempts.map((a) => ({
    at: isoTime(a.at),
    label: a.label,
    outcome: a.outcome,
    statusCode: a.status_code,
    latencyMs: a.latency_ms,
    error: a.error,
  }));
  if (row.successAt !== null) {
    history.push({
      at: isoTime(row.successAt),
      label: row.successLabel ?? '',
      outcome: 'success',
      statusCode: row.successStatusCode,
      latencyMs: row.successLatencyMs,
      error: null,
    });
  }
  return history;
}

function parseEvent(payload: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(payload);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  } catch {
    return { unreadable: payload };
  }
}
