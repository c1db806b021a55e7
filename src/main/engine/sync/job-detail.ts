import type { Database } from 'better-sqlite3';
import type { JobAttempt, JobDetail } from '../../../shared/jobs';
import { isoTime, isoTimeOrNull, jobFromRow, toJobSummary } from './job-row';
import type { Job, JobRow } from './job-row';
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
  job: db.prepare<[number], JobRow>('SELECT * FROM sync_jobs WHERE id = ?'),
  history: db.prepare<[number], AttemptRow>(
    'SELECT at, label, outcome, status_code, latency_ms, error FROM job_attempts WHERE job_id = ? ORDER BY id',
  ),
}));

/** The job as the engine sees it, or null. */
export function findJob(db: Database, jobId: number): Job | null {
  const row = statements(db).job.get(jobId);
  return row ? jobFromRow(row) : null;
}

/** The Jobs screen's detail view: the summary plus the note, the key, the event and every try, oldest first. */
export function getJobDetail(db: Database, jobId: number): JobDetail {
  const s = statements(db);
  const row = s.job.get(jobId);
  if (!row) throw new JobNotFoundError(jobId);
  return {
    ...toJobSummary(row),
    entityType: row.entity_type,
    entityId: row.entity_id,
    noteText: row.note_text,
    idempotencyKey: row.idempotency_key,
    event: parseEvent(row.payload),
    leaseExpiresAt: isoTimeOrNull(row.lease_expires_at),
    completedAt: isoTimeOrNull(row.completed_at),
    icimsNoteId: row.icims_note_id,
    history: historyOf(row, s.history.all(jobId)),
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
  if (row.success_at !== null) {
    history.push({
      at: isoTime(row.success_at),
      label: row.success_label ?? '',
      outcome: 'success',
      statusCode: row.success_status_code,
      latencyMs: row.success_latency_ms,
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
